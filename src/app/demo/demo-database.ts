// The database half of `npm start`: the sample PostgreSQL (sample-postgres.ts) behind the
// gateway as upstream `prod` on 127.0.0.1:6433 (JITGATE_GATEWAY_PORT to move it), SCRAM
// with the demo people's API keys, no TLS. Its configuration is written as a newcomer would
// write it, the upstream password coming from a variable; starting the server takes a few
// seconds, so a progress line shows what it is doing.
import { startSpinner } from '../../cli/spinner.ts'
import type { Terminal } from '../../cli/terminal.ts'
import { JitgateError } from '../../shared/index.ts'
import { freePort } from './embedded-postgres.ts'
import { type SamplePasswords, type SamplePostgres, startSamplePostgres } from './sample-postgres.ts'

export const GATEWAY_PORT = 6433
/** The variable the demo configuration names for the upstream password. */
export const PASSWORD_VARIABLE = 'JITGATE_DEMO_DB_PASSWORD'

export interface DemoDatabasePlan {
  readonly port: number
  readonly gatewayPort: number
  /** The configuration file's `gateway` section. */
  readonly configYaml: string
  /** What the configuration's variables must hold. */
  readonly env: Readonly<Record<string, string>>
}

/** Where the sample database and the gateway will listen, and the configuration for them. */
export async function planDemoDatabase(
  passwords: SamplePasswords,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DemoDatabasePlan> {
  const gatewayPort = gatewayPortOf(env.JITGATE_GATEWAY_PORT)
  const port = await freePort()
  const upstream = `postgres://jitgate@127.0.0.1:${port}/acme`
  const configYaml = [
    'gateway:',
    `  listen: { host: 127.0.0.1, port: ${gatewayPort} }`,
    '  auth: { method: scram-sha-256 }',
    '  upstreams:',
    `    prod: { url: "${upstream}", passwordEnv: ${PASSWORD_VARIABLE}, poolSize: 5 }`,
  ].join('\n')
  return { port, gatewayPort, configYaml, env: { [PASSWORD_VARIABLE]: passwords.gateway } }
}

function gatewayPortOf(text: string | undefined): number {
  if (text === undefined || text === '') return GATEWAY_PORT
  const port = Number(text)
  if (!/^\d{1,5}$/.test(text) || port > 65535)
    throw new JitgateError('config_invalid', `JITGATE_GATEWAY_PORT '${text}' is not a port number`, {
      status: 400,
      details: [
        {
          path: 'JITGATE_GATEWAY_PORT',
          message: `'${text}' is not a port number`,
          hint: 'use a whole number from 0 to 65535 (0 picks a free port)',
        },
      ],
    })
  return port
}

/** Starts the sample database with a progress line; rejects with its last log lines. */
export async function startDemoDatabase(
  term: Terminal,
  dataDir: string,
  passwords: SamplePasswords,
  plan: DemoDatabasePlan,
): Promise<SamplePostgres> {
  const started = Date.now()
  let step = 'starting the sample PostgreSQL database'
  const spinner = startSpinner(
    process.stderr,
    () => `${step}… ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  const log: string[] = []
  try {
    const sample = await startSamplePostgres({
      dataDir,
      passwords,
      port: plan.port,
      onProgress: (next) => {
        step = next
      },
      onLog: (text) => void log.push(text),
    })
    spinner.stop()
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    term.out(
      term.style(
        'dim',
        `sample database ready in ${seconds} s (PostgreSQL on 127.0.0.1:${plan.port}${sample.seeded ? ', seeded' : ''})`,
      ),
    )
    return sample
  } catch (error) {
    spinner.stop()
    const tail = log.join('').split('\n').slice(-10).join('\n')
    throw new Error(`the sample database did not start: ${String(error)}\n${tail}`, { cause: error })
  }
}

/** The database part of the tour (README, "The PostgreSQL gateway"). */
export function printDatabaseTour(
  term: Terminal,
  gateway: { readonly host: string; readonly port: number },
  keys: Readonly<Record<string, string>>,
): void {
  const cli = './bin/jitgate.js'
  term.out(
    `${term.style('bold', 'The sample database')} behind the PostgreSQL gateway as "prod" (README, "The PostgreSQL gateway"):`,
  )
  term.out(`  PGPASSWORD=${keys.bob} psql "host=${gateway.host} port=${gateway.port} dbname=prod user=bob"`)
  term.out('  prod=> select full_name, email, phone from customers limit 3;   -- masked')
  term.out('  prod=> set jitgate.unmask = on;')
  term.out("  prod=> set jitgate.reason = 'ticket 4711: wrong email on an invoice';   -- the policy asks why")
  term.out(
    '  prod=> select full_name, email, phone from customers limit 3;   -- waits; a NOTICE names the request',
  )
  term.out(`  JITGATE_TOKEN=${keys.omar} ${cli} approve ID    # a fellow engineer (JITGATE_SERVER as above)`)
  term.out(`  JITGATE_TOKEN=${keys.mia} ${cli} approve ID     # a manager: the read completes, unmasked`)
  term.out(
    '  bob is on call (group oncall): outside Mon–Fri 08:00–20:00 Berlin the example policy lets only the on-call engineer use production, so this works at any hour.',
  )
  term.out('')
}
