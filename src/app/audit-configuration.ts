// Configuration changes and policy reloads in the audit log. At start a node records
// `config.changed` when its configuration's fingerprint differs from the last one recorded
// (so restarts with the same settings add nothing), and `policy.reloaded` when the policy
// set it loaded is not the last one recorded; while it runs, every reload that changes the
// set or fails. Secrets never enter the fingerprint's input in the clear.
import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { type AuditWriter, canonicalJson, type JsonValue, readDetails } from '../audit/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import type { PolicyRegistry } from '../policy/index.ts'
import { redactDatabaseUrl, type SqlAuditStore } from '../store/index.ts'

const SYSTEM = { type: 'system', id: 'jitgate' } as const
const SECRET_KEY = /secret|password|token|private|api_?key|signing/i

export interface RecordConfigurationDeps {
  readonly config: JitgateConfig
  readonly audit: AuditWriter
  readonly auditStore: Pick<SqlAuditStore, 'latestOfType'>
  readonly registry: PolicyRegistry
  readonly logger: Logger
}

export async function recordConfiguration(deps: RecordConfigurationDeps): Promise<void> {
  const { config, audit, auditStore, registry } = deps
  const fingerprint = configFingerprint(config)
  const lastConfig = await auditStore.latestOfType('config.changed')
  const previous = lastConfig === undefined ? undefined : readDetails(lastConfig)?.fingerprint
  if (previous !== fingerprint)
    await audit.append({
      actor: SYSTEM,
      type: 'config.changed',
      subject: { type: 'config', id: config.file ?? 'defaults' },
      details: {
        fingerprint,
        ...(typeof previous === 'string' ? { previous } : {}),
        store: redactDatabaseUrl(config.store.url),
        policies: config.policies.dir,
      },
    })
  const set = registry.current
  const lastPolicy = await auditStore.latestOfType('policy.reloaded')
  if (lastPolicy?.policyVersion !== set.version)
    await audit.append({
      actor: SYSTEM,
      type: 'policy.reloaded',
      subject: { type: 'policy_set', id: config.policies.dir },
      policyVersion: set.version,
      details: { version: set.version, rules: set.rules.length, files: [...set.files], at_start: true },
    })
}

/** Audits every later reload; a failure to record it is logged (the reload itself stands). */
export function recordPolicyReloads(registry: PolicyRegistry, audit: AuditWriter, logger: Logger): void {
  registry.onReload((outcome) => {
    const append = outcome.ok
      ? audit.append({
          actor: SYSTEM,
          type: 'policy.reloaded',
          subject: { type: 'policy_set', id: registry.path },
          policyVersion: outcome.version,
          details: { version: outcome.version, previous: outcome.previous, rules: outcome.rules },
        })
      : audit.append({
          actor: SYSTEM,
          type: 'policy.reload_failed',
          subject: { type: 'policy_set', id: registry.path },
          policyVersion: outcome.version,
          details: {
            kept: outcome.version,
            errors: outcome.errors.slice(0, 20).map((e) => ({
              where: e.file === undefined ? (e.path ?? '') : `${e.file}:${e.line ?? 1}:${e.column ?? 1}`,
              message: e.message,
            })),
          },
        })
    append.catch((error: unknown) => logger.error({ err: error }, 'could not audit a policy reload'))
  })
}

/** SHA-256 of the configuration in canonical JSON, secrets replaced by a hash of their own. */
export function configFingerprint(config: JitgateConfig): string {
  const safe = scrub({ ...config, store: { ...config.store, url: redactDatabaseUrl(config.store.url) } })
  return createHash('sha256').update(canonicalJson(safe)).digest('hex')
}

function scrub(value: unknown, key = ''): JsonValue {
  if (typeof value === 'string' && SECRET_KEY.test(key))
    return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (Array.isArray(value)) return value.map((item) => scrub(item, key))
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, scrub(v, k)]),
    )
  return null
}
