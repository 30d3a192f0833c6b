// Starts what pgbench connects to, all on 127.0.0.1 without TLS: PostgreSQL itself, pgbouncer
// (skipped with the reason when absent or when it cannot start), the bare Node pipe, and
// jitgate: one node, its policy allowing reads unmasked on one upstream name and masked on
// another.
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

export async function startTargets(upstreamUrl: string, say: (line: string) => void): Promise<Targets> {
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
    const jitgate = await startJitgate(upstreamUrl, say)
    closers.push(jitgate.close)
    endpoints.set('jitgate', jitgate.plain)
    endpoints.set('jitgate_masked', jitgate.masked)
    return { endpoints, close }
  } catch (error) {
    await close()
    throw error
  }
}
