// The `gateway` section of the configuration file, resolved into the PostgreSQL gateway's
// settings. Its shape was checked with the rest of the file (config-schema.ts); what only
// resolution finds (a password variable that is not set, a URL without a host, a duration
// under a second) is reported here at the file's line and column too, naming the setting.
// Relative paths (certificates, CA files) are relative to the configuration file.
import { type GatewaySettings, resolveGatewayConfig } from '../gateway/index.ts'
import { type ErrorDetail, JitgateError, type Position } from '../shared/index.ts'

export interface GatewaySectionSources {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Makes a path written in the file absolute. */
  readonly fromFile: (path: string) => string
  readonly file?: string
  /** Where the value at a path of the document starts; absent without a file. */
  readonly locate?: (path: readonly (string | number)[]) => Position
}

/** The settings of `section`, or undefined with its problems added to `problems`. */
export function resolveGatewaySection(
  section: unknown,
  sources: GatewaySectionSources,
  problems: ErrorDetail[],
): GatewaySettings | undefined {
  try {
    return resolveGatewayConfig(section, { env: sources.env, resolvePath: sources.fromFile })
  } catch (error) {
    if (!(error instanceof JitgateError) || error.code !== 'config_invalid') throw error
    for (const problem of error.details) problems.push(located(problem, sources))
    return undefined
  }
}

// resolveGatewayConfig names a setting `gateway/upstreams/prod/url`; upstream names hold no `/`.
function located(problem: ErrorDetail, sources: GatewaySectionSources): ErrorDetail {
  const segments = (problem.path ?? 'gateway').split('/')
  const field = segments.join('.')
  const at = sources.locate?.(segments)
  return {
    ...(at === undefined || sources.file === undefined
      ? { path: `${sources.file ?? 'configuration'}: ${field}` }
      : { file: sources.file, line: at.line, column: at.column }),
    message: `'${field}' ${problem.message}`,
    ...(problem.hint === undefined ? {} : { hint: problem.hint }),
  }
}
