// Reads the configuration once at start: the file (`--config` or JITGATE_CONFIG), then the
// environment, then flags, each overriding the one before; every problem reported at once
// with where it came from (file:line:col, the variable or the flag); frozen afterwards.
// Nothing present but wrong silently falls back to a default. Relative paths in the file are
// relative to the file, those in flags and variables to the working directory.
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import {
  type ErrorDetail,
  JitgateError,
  parseSourceFile,
  type SourceDocument,
  schemaProblems,
} from '../shared/index.ts'
import { type ConfigDoc, ConfigDocument } from './config-schema.ts'
import { resolveGatewaySection } from './gateway-section.ts'
import { type JitgateConfig, type LogLevel, resolveSettings } from './resolve-settings.ts'

export interface ConfigSources {
  /** The file's path (for messages and relative paths) and text; absent: no file. */
  readonly file?: { readonly path: string; readonly text: string }
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
}

export class ConfigError extends JitgateError {
  constructor(details: readonly ErrorDetail[]) {
    super(
      'config_invalid',
      `the configuration has ${details.length} problem${details.length === 1 ? '' : 's'}`,
      { status: 400, details },
    )
  }
}

const check = TypeCompiler.Compile(ConfigDocument)

export function loadConfig(sources: ConfigSources): JitgateConfig {
  const problems: ErrorDetail[] = []
  const read = sources.file === undefined ? undefined : readFile(sources.file, problems)
  const doc = sources.file === undefined ? {} : read?.value
  const base = sources.file === undefined ? sources.cwd : dirname(resolve(sources.cwd, sources.file.path))
  const fromFile = (path: string): string => (isAbsolute(path) ? path : join(base, path))
  const fromCwd = (path: string): string => (isAbsolute(path) ? path : resolve(sources.cwd, path))
  const config = resolveSettings(doc ?? {}, {
    flags: sources.flags,
    env: sources.env,
    fromFile,
    fromCwd,
    problems,
    ...(sources.file === undefined ? {} : { file: sources.file.path }),
  })
  const source = read?.source
  const gateway =
    doc?.gateway === undefined
      ? undefined
      : resolveGatewaySection(
          doc.gateway,
          {
            env: sources.env,
            fromFile,
            ...(source === undefined ? {} : { file: source.file, locate: (path) => source.locate(path) }),
          },
          problems,
        )
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(gateway === undefined ? config : { ...config, gateway })
}

/** The file's one YAML document, checked against the schema; no value when it is wrong. */
function readFile(
  file: { readonly path: string; readonly text: string },
  problems: ErrorDetail[],
): { value?: ConfigDoc; source?: SourceDocument } {
  const { documents, errors } = parseSourceFile({ file: file.path, text: file.text })
  problems.push(...errors)
  if (errors.length > 0) return {}
  const [doc, extra] = documents
  if (extra !== undefined) {
    const at = extra.locate([])
    problems.push({
      file: file.path,
      ...at,
      message: 'the configuration file holds more than one YAML document',
      hint: 'keep one document; remove the `---` line',
    })
    return {}
  }
  if (doc === undefined) return { value: {} }
  if (doc.value === null || typeof doc.value !== 'object' || Array.isArray(doc.value)) {
    problems.push({
      file: file.path,
      ...doc.locate([]),
      message: 'the configuration must be a mapping of settings',
    })
    return {}
  }
  const found = schemaProblems(check, doc.value, 'see `jitgate config schema`')
  for (const p of found) problems.push(locate(doc, p.path, p.atKey, p.message, p.hint))
  return found.length > 0 ? {} : { value: doc.value as ConfigDoc, source: doc }
}

function locate(
  doc: SourceDocument,
  path: readonly (string | number)[],
  atKey: boolean,
  message: string,
  hint: string | undefined,
): ErrorDetail {
  const at = atKey ? doc.locateKey(path) : doc.locate(path)
  return {
    file: doc.file,
    line: at.line,
    column: at.column,
    message,
    ...(hint === undefined ? {} : { hint }),
  }
}

// A frozen object may hold unfrozen ones (the gateway's settings come frozen at the top).
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

export type { JitgateConfig, LogLevel }
