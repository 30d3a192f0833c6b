// Starts what pgbench connects to, all on 127.0.0.1 without TLS: PostgreSQL itself, pgbouncer
// (skipped with the reason when absent or when it cannot start), the bare Node pipe, and
// jitgate twice, once per gate (the plain gate and the masking gate).
import type { StatementGate } from '../../src/gateway/index.ts'
import { startBarePipe } from './bare-pipe.ts'
import { startJitgate } from './jitgate-target.ts'
import { conninfo, type Endpoint } from './pgbench.ts'
import { findPgbouncer, startPgbouncer, type Upstream } from './pgbouncer.ts'
import type { TargetId } from './plan.ts'

export interface Targets {
  readonly endpoints: ReadonlyMap<TargetId, Endpoint>
  close(): Promise<void>
}

/** The parts of a postgres:// URL. */
export function upstreamOf(url: string): Upstream {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  }
}

export function directEndpoint(upstream: Upstream): Endpoint {
  return {
    conninfo: conninfo({
      host: upstream.host,
      port: upstream.port,
      dbname: upstream.database,
      user: upstream.user,
      sslmode: 'disable',
    }),
    password: upstream.password,
  }
}

export async function startTargets(
  upstreamUrl: string,
  gates: { readonly plain: StatementGate; readonly masked: StatementGate },
  say: (line: string) => void,
): Promise<Targets> {
  const upstream = upstreamOf(upstreamUrl)
  const endpoints = new Map<TargetId, Endpoint>([['direct', directEndpoint(upstream)]])
  const closers: (() => Promise<void>)[] = []
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch(() => undefined)
  }
  try {
    const binary = findPgbouncer()
    if (binary === undefined) {
      say('pgbouncer: not found on PATH nor at /usr/sbin/pgbouncer; its column is skipped.')
      say('  Install it to compare: apt-get install -y pgbouncer (Debian, Ubuntu)')
    } else {
      try {
        const bouncer = await startPgbouncer(binary, upstream)
        closers.push(bouncer.close)
        const at = { ...upstream, port: bouncer.port, host: '127.0.0.1', database: bouncer.database }
        endpoints.set('pgbouncer', directEndpoint(at))
      } catch (error) {
        say(`pgbouncer: could not start, its column is skipped: ${String(error)}`)
      }
    }
    const pipe = await startBarePipe(upstream)
    closers.push(pipe.close)
    endpoints.set('pipe', directEndpoint({ ...upstream, host: '127.0.0.1', port: pipe.port }))
    const plain = await startJitgate(upstreamUrl, gates.plain, say)
    closers.push(plain.close)
    endpoints.set('jitgate', plain.endpoint)
    const masked = await startJitgate(upstreamUrl, gates.masked, say)
    closers.push(masked.close)
    endpoints.set('jitgate_masked', masked.endpoint)
    return { endpoints, close }
  } catch (error) {
    await close()
    throw error
  }
}
