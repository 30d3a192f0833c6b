// Side connections to the gateway's upstreams for catalog reads (which functions write,
// which columns a view draws on): one small node-postgres pool per upstream, made on first
// use, with jitgate's own credentials and TLS settings from the gateway configuration, never
// a client's session. Every query runs in a READ ONLY transaction with a statement timeout:
// a catalog query that would write, or hang, fails instead. Closed with the node.
import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import pg from 'pg'
import { GatewayError, type UpstreamSettings } from '../gateway/index.ts'

/** Runs `sql` with `params` on a side connection to one upstream; resolves with its rows. */
export type CatalogQuery = (
  sql: string,
  params?: readonly unknown[],
) => Promise<readonly Record<string, unknown>[]>

export interface CatalogPoolsOptions {
  /** Connections per upstream at most (default 2). */
  readonly max?: number
  /** A catalog query's statement timeout (default 10 s). */
  readonly statementTimeoutMs?: number
  readonly log: { warn(details: object, message: string): void }
}

const DEFAULT_MAX = 2
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000
const IDLE_TIMEOUT_MS = 60_000

export class CatalogPools {
  readonly #pools = new Map<string, Promise<pg.Pool>>()
  #closed = false

  constructor(
    private readonly upstreams: Readonly<Record<string, UpstreamSettings>>,
    private readonly options: CatalogPoolsOptions,
  ) {}

  /** The query function of upstream `name`; throws `upstream_unknown` for a name not configured. */
  query(name: string): CatalogQuery {
    const upstream = this.upstreams[name]
    if (upstream === undefined || !Object.hasOwn(this.upstreams, name))
      throw new GatewayError('upstream_unknown', `no upstream is configured as "${name}"`)
    return (sql, params = []) => this.#run(upstream, sql, params)
  }

  /** Ends every pool; queries in flight finish first, later ones fail. */
  async close(): Promise<void> {
    this.#closed = true
    const pools = await Promise.allSettled(this.#pools.values())
    this.#pools.clear()
    await Promise.all(pools.map((p) => (p.status === 'fulfilled' ? p.value.end() : undefined)))
  }

  async #run(
    upstream: UpstreamSettings,
    text: string,
    params: readonly unknown[],
  ): Promise<readonly Record<string, unknown>[]> {
    if (this.#closed) throw new GatewayError('gateway_shutdown', 'jitgate is shutting down')
    const pool = await this.#pool(upstream)
    const client = await pool.connect().catch((error: unknown) => {
      throw unavailable(upstream, error)
    })
    let broken: Error | undefined
    try {
      await client.query('begin transaction read only')
      const timeout = this.options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS
      await client.query(`set local statement_timeout = ${Math.max(1, Math.floor(timeout))}`)
      const result = await client.query<Record<string, unknown>>(text, [...params])
      await client.query('commit')
      return result.rows
    } catch (error) {
      // A connection left in a failed transaction is not worth repairing: it is dropped.
      broken = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      client.release(broken)
    }
  }

  #pool(upstream: UpstreamSettings): Promise<pg.Pool> {
    let pool = this.#pools.get(upstream.name)
    if (pool === undefined) {
      pool = this.#newPool(upstream)
      this.#pools.set(upstream.name, pool)
      // A CA file that cannot be read now may be readable at the next query.
      pool.catch(() => this.#pools.delete(upstream.name))
    }
    return pool
  }

  async #newPool(upstream: UpstreamSettings): Promise<pg.Pool> {
    const pool = new pg.Pool({
      host: upstream.host,
      port: upstream.port,
      database: upstream.database,
      user: upstream.user,
      // Never PGPASSWORD from the environment: the gateway's own connections do not read it either.
      password: upstream.password ?? '',
      ssl: await tlsOptions(upstream),
      max: this.options.max ?? DEFAULT_MAX,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      connectionTimeoutMillis: upstream.connectTimeoutMs,
      application_name: 'jitgate catalog',
    })
    // An idle connection the server closes must not take the process down.
    pool.on('error', (error) =>
      this.options.log.warn(
        { upstream: upstream.name, err: error },
        'a catalog connection to the upstream failed while idle',
      ),
    )
    return pool
  }
}

async function tlsOptions(upstream: UpstreamSettings): Promise<false | pg.ClientConfig['ssl']> {
  const { tls, host } = upstream
  if (tls.mode === 'disable') return false
  const servername = tls.serverName ?? (isIP(host) === 0 ? host : undefined)
  return {
    // `require` encrypts without checking the certificate, as libpq's sslmode=require does.
    rejectUnauthorized: tls.mode === 'verify-full',
    ...(servername === undefined ? {} : { servername }),
    ...(tls.caFile === undefined ? {} : { ca: await readFile(tls.caFile, 'utf8') }),
  }
}

// The reason (which may name the host or user) goes to the caller's log, not into the message.
function unavailable(upstream: UpstreamSettings, cause: unknown): GatewayError {
  return new GatewayError(
    'upstream_unavailable',
    `the upstream "${upstream.name}" cannot be reached for a catalog query`,
    { cause },
  )
}
