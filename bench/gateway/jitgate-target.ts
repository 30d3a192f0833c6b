// jitgate as it ships, in front of the bench database: a node started as `jitgate serve`
// starts it (SQLite store in a temporary directory, API keys with SCRAM verifiers, the policy
// gate with its audit log, masking with a key of its own), with two upstream names for the
// same database: `app`, where the bench's policy allows reads unmasked, and `masked`, where
// it allows them masked with the `bench` profile (email partial, phone last 4, ssn redacted).
// No TLS, as for the other targets.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { startServer } from '../../src/app/start-server.ts'
import { loadConfig } from '../../src/config/index.ts'
import { conninfo, type Endpoint } from './pgbench.ts'

export interface JitgateTarget {
  /** Reads allowed unmasked. */
  readonly plain: Endpoint
  /** Reads allowed with the `bench` masking profile. */
  readonly masked: Endpoint
  close(): Promise<void>
}

const USER = 'bench'

export const BENCH_POLICY = `kind: Classifications
classifications:
  pii.email: { description: Email addresses }
  pii.phone: { description: Phone numbers }
  pii.ssn: { description: Social security numbers }
fields:
  customers.email: pii.email
  customers.phone: pii.phone
  customers.ssn: pii.ssn
---
kind: MaskingProfile
name: bench
fields:
  pii.email: { transform: partial, keep: email_domain }
  pii.phone: { transform: partial, keep_last: 4 }
  pii.ssn: { transform: redact, with: "[redacted]" }
default: keep
---
kind: Policy
name: bench
rules:
  - name: reads
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: "!context.statement.writes"
  - name: reads-masked
    effect: allow
    match: { verbs: db.query, resources: "pg://masked/**" }
    when: "!context.statement.writes"
    obligations:
      mask: { profile: bench }
`

/** `say` gets the node's warnings and errors, for stderr. */
export async function startJitgate(upstreamUrl: string, say: (line: string) => void): Promise<JitgateTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-bench-node-'))
  await mkdir(join(dir, 'policies'))
  await writeFile(join(dir, 'policies', 'bench.yaml'), BENCH_POLICY)
  const upstream = new URL(upstreamUrl)
  upstream.search = ''
  const target = JSON.stringify(upstream.toString())
  const config = loadConfig({
    flags: { port: '0', watch: false, 'data-dir': join(dir, 'data') },
    env: {},
    cwd: dir,
    file: {
      path: join(dir, 'jitgate.yaml'),
      text: [
        `policies: { dir: ${JSON.stringify(join(dir, 'policies'))} }`,
        'gateway:',
        '  listen: { host: 127.0.0.1, port: 0 }',
        '  upstreams:',
        `    app: { url: ${target}, poolSize: 8 }`,
        `    masked: { url: ${target}, poolSize: 8 }`,
      ].join('\n'),
    },
  })
  const logger = pino({ level: 'warn' }, {
    write: (line: string) => say(`jitgate: ${line.trim()}`),
  } as unknown as NodeJS.WritableStream)
  const server = await startServer(config, logger)
  try {
    const port = server.gateway?.address.port
    if (port === undefined) throw new Error('the bench node started no gateway')
    const { token } = await server.node.apiKeys.create(
      { subject: USER, name: 'bench', roles: ['requester'], groups: [] },
      { type: 'system', id: 'bench' },
    )
    const endpoint = (dbname: string): Endpoint => ({
      conninfo: conninfo({ host: '127.0.0.1', port, dbname, user: USER, sslmode: 'disable' }),
      password: token,
    })
    return {
      plain: endpoint('app'),
      masked: endpoint('masked'),
      close: async () => {
        await server.close()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await server.close()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
