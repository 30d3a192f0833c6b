// Opens a PostgreSQL pool for the store and checks, before anything else runs, that the
// server answers: a wrong URL, an unreachable host or a refused login fails the start with
// a typed error instead of the first request.
import { PostgresDialect } from 'kysely'
import pg from 'pg'
import { postgresOpenError } from './store-errors.ts'

export interface PostgresOptions {
  readonly poolSize: number
  readonly connectTimeoutMs: number
  readonly onIdleError: (error: Error) => void
}

export interface PostgresConnection {
  readonly dialect: PostgresDialect
  readonly pool: pg.Pool
  /** A fresh client outside the pool, for LISTEN (a pooled client would be handed to others). */
  readonly newClient: () => pg.Client
}

/** Opens the pool and runs `select 1`; throws `store_unreachable`, `store_auth_failed` or `store_open_failed`. */
export async function openPostgres(
  url: string,
  display: string,
  secrets: readonly string[],
  options: PostgresOptions,
): Promise<PostgresConnection> {
  const config: pg.ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: 'jitgate',
    keepAlive: true,
    types: storeTypes(),
  }
  const pool = new pg.Pool({ ...config, max: options.poolSize })
  // Without a listener, a server closing an idle connection would crash the process.
  pool.on('error', options.onIdleError)
  try {
    await pool.query('select 1')
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw postgresOpenError(error, display, secrets)
  }
  return { dialect: new PostgresDialect({ pool }), pool, newClient: () => new pg.Client(config) }
}

// bigint (int8) columns — audit sequence numbers, counts — come back as JS numbers, as
// they do from SQLite, instead of pg's default strings. Past 2^53 we refuse rather than round.
function storeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides()
  types.setTypeParser(pg.types.builtins.INT8, (text: string) => {
    const value = Number(text)
    if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} is beyond 2^53`)
    return value
  })
  return types
}
