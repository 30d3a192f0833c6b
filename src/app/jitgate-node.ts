// The composition root of one jitgate node: from the configuration, the store (migrated),
// the audit writer, the policy registry (reloads audited), authentication, notifications,
// and every service over them. It starts nothing by itself: start() runs the background
// work (background-work.ts) and the notification workers; close() stops them and closes
// the store. Nothing else in jitgate builds its own dependencies.
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Logger } from 'pino'
import {
  ActionService,
  ApprovalService,
  type ApprovalStore,
  ApprovalSweeper,
  ExecutionService,
  ExecutionWorker,
  type Executor,
  ExecutorRegistry,
  GrantService,
  HttpExecutor,
  StepUpService,
} from '../approvals/index.ts'
import { AuditWriter } from '../audit/index.ts'
import {
  ApiKeyService,
  Authenticator,
  type AuthSettings,
  OidcVerifier,
  remoteJwks,
  resolveAuthConfig,
} from '../auth/index.ts'
import type { JitgateConfig } from '../config/index.ts'
import { apiKeyScramVerifier } from '../gateway/index.ts'
import { PolicyRegistry } from '../policy/index.ts'
import { uuidV7 } from '../shared/index.ts'
import {
  type DatabaseHandle,
  migrateToLatest,
  openDatabase,
  SqlApiKeyStore,
  SqlApprovalStore,
  SqlAuditStore,
  SqlExecutionStore,
} from '../store/index.ts'
import { recordConfiguration, recordPolicyReloads } from './audit-configuration.ts'
import { BackgroundWork } from './background-work.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { type Notifications, wireNotifications } from './notify-wiring.ts'

export interface JitgateNode {
  readonly config: JitgateConfig
  readonly logger: Logger
  readonly handle: DatabaseHandle
  readonly registry: PolicyRegistry
  readonly auditStore: SqlAuditStore
  readonly audit: AuditWriter
  readonly actions: ActionService
  readonly approvals: ApprovalService
  /** The approvals store itself, for features that read it directly (the gateway's grant use). */
  readonly approvalStore: ApprovalStore
  readonly grants: GrantService
  readonly stepUp: StepUpService
  readonly executions: ExecutionService
  readonly apiKeys: ApiKeyService
  readonly authenticator: Authenticator
  readonly auth: AuthSettings
  readonly notifications: Notifications
  readonly metrics: Metrics
  readonly now: () => Date
  readonly newId: () => string
  /** Starts the sweeper, the execution workers and the wake-ups. */
  start(): Promise<void>
  /** Stops the background work (finishing what is in hand), then closes the store. */
  close(): Promise<void>
}

export interface BuildOptions {
  /** Executors of other features (gateway, DSAR), besides the configured HTTP executor. */
  readonly executors?: readonly Executor[]
}

export async function buildNode(
  config: JitgateConfig,
  logger: Logger,
  options: BuildOptions = {},
): Promise<JitgateNode> {
  const now = (): Date => new Date()
  const clock = { now }
  const newId = uuidV7
  // The embedded default lives in the data directory, made on first start (owner only).
  if (config.store.url === `sqlite:${join(config.dataDir, 'jitgate.db')}`)
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const handle = await openDatabase(config.store.url, {
    log: logger,
    ...(config.store.poolSize === undefined ? {} : { poolSize: config.store.poolSize }),
  })
  try {
    const applied = await migrateToLatest(handle)
    if (applied.length > 0) logger.info({ store: handle.display, migrations: applied }, 'store migrated')
    const auditStore = new SqlAuditStore(handle)
    const audit = new AuditWriter({ store: auditStore, newId, now })
    const registry = await PolicyRegistry.open(config.policies.dir, now, logger)
    await recordConfiguration({ config, audit, auditStore, registry, logger })
    recordPolicyReloads(registry, audit, logger)

    const auth = resolveAuthConfig(config.auth)
    const apiKeys = new ApiKeyService({
      store: new SqlApiKeyStore(handle, { now, newId }),
      now,
      randomBytes: (size) => randomBytes(size),
      lifetime: auth.apiKeys,
      // Kept with each new key, so that it can log in to the PostgreSQL gateway over SCRAM.
      scramVerifier: apiKeyScramVerifier,
      onLastUseError: (error) => logger.warn({ err: error }, 'could not record an API key’s last use'),
    })
    const authenticator = new Authenticator({
      apiKeys,
      ...(auth.oidc === undefined
        ? {}
        : { oidc: new OidcVerifier(auth.oidc, remoteJwks(auth.oidc.jwksUri)) }),
    })
    const approvalStore = new SqlApprovalStore(handle, { now, newId })
    const executionStore = new SqlExecutionStore(handle, { now, newId })
    const executors = new ExecutorRegistry([...(options.executors ?? []), ...httpExecutor(config)])
    const approvals = new ApprovalService({ store: approvalStore, clock, newId })
    const grants = new GrantService({ store: approvalStore, clock })
    const executions = new ExecutionService({ store: executionStore, executors, clock, newId })
    const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
    const workers = Array.from(
      { length: config.work.workers },
      (_, i) =>
        new ExecutionWorker({
          store: executionStore,
          executors,
          clock,
          owner: `${owner}:${i}`,
          leaseMs: config.work.leaseMs,
          log: logger,
        }),
    )
    const background = new BackgroundWork({
      notifier: handle.notifier,
      sweeper: new ApprovalSweeper({ store: approvalStore }),
      executions,
      workers,
      everyMs: config.work.sweepEveryMs,
      now,
      logger,
    })
    const notifications = wireNotifications({ config, handle, approvals, now, newId, logger })
    const metrics = createMetrics(handle, now)
    const node: JitgateNode = {
      config,
      logger,
      handle,
      registry,
      auditStore,
      audit,
      actions: new ActionService({
        policies: registry,
        grants,
        approvals,
        audit: (draft) => audit.append(draft),
        clock,
        newId,
        observe: (decision) => metrics.countDecision(decision.effect),
      }),
      approvals,
      approvalStore,
      grants,
      stepUp: new StepUpService({ store: approvalStore, clock, randomBytes: (size) => randomBytes(size) }),
      executions,
      apiKeys,
      authenticator,
      auth,
      notifications,
      metrics,
      now,
      newId,
      start: async () => {
        await background.start()
        await notifications.start()
      },
      close: async () => {
        registry.close()
        await background.stop()
        await notifications.stop()
        await audit.idle()
        await handle.close()
      },
    }
    if (config.policies.watch) registry.watch()
    return node
  } catch (error) {
    await handle.close()
    throw error
  }
}

function httpExecutor(config: JitgateConfig): Executor[] {
  const http = config.executors.http
  if (http === undefined) return []
  return [
    new HttpExecutor({
      idempotent: http.idempotent,
      timeoutMs: http.timeoutMs,
      endpoints: Object.fromEntries(
        Object.entries(http.endpoints).map(([name, endpoint]) => [
          name,
          {
            baseUrl: endpoint.baseUrl,
            methods: (endpoint.methods ?? ['POST']) as ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[],
            paths: endpoint.paths ?? ['/**'],
          },
        ]),
      ),
    }),
  ]
}
