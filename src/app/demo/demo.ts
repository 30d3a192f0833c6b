// `npm start`: the demo on embedded defaults. A jitgate node on a SQLite store under
// ./.jitgate with the example policies, an "accounts service" for approved calls to reach,
// a sample PostgreSQL database behind the gateway (demo-database.ts), and demo people with
// API keys; it prints the decisions on the example actions and how to walk a request
// through two approvals with the CLI and psql (README, "A tour"), then serves until
// interrupted. The database starts while the node does, so it adds little to the start.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { printDecisionTable } from '../../cli/decision-table.ts'
import { createTerminal, printErrors, type Terminal } from '../../cli/terminal.ts'
import { ConfigError, type JitgateConfig, loadConfig } from '../../config/index.ts'
import { type PolicyInput, PolicyLoadError } from '../../policy/index.ts'
import { JitgateError } from '../../shared/index.ts'
import { createLogger } from '../create-logger.ts'
import { type RunningServer, startServer } from '../start-server.ts'
import { startAccountsService } from './accounts-service.ts'
import {
  type DemoDatabasePlan,
  planDemoDatabase,
  printDatabaseTour,
  startDemoDatabase,
} from './demo-database.ts'
import { DEMO_USERS, type DemoKeys, demoKeys } from './demo-users.ts'
import { samplePasswords } from './sample-postgres.ts'

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname

async function exampleActions(dir: string): Promise<{ label: string; input: PolicyInput }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()
  return Promise.all(
    files.map(async (f) => ({
      label: f.replace(/\.json$/, ''),
      input: JSON.parse(await readFile(join(dir, f), 'utf8')) as PolicyInput,
    })),
  )
}

/** The demo's configuration file, as a newcomer would write it. */
function demoConfig(accountsUrl: string, database?: DemoDatabasePlan): string {
  return [
    `policies: { dir: ${JSON.stringify(join(EXAMPLES, 'policies'))} }`,
    'log: { level: warn }',
    'work: { sweepEvery: 2s }',
    'executors:',
    '  http:',
    '    idempotent: true',
    '    timeout: 10s',
    '    endpoints:',
    `      accounts: { baseUrl: ${JSON.stringify(`${accountsUrl}/accounts`)}, methods: [POST], paths: ["/**"] }`,
    ...(database === undefined ? [] : [database.configYaml]),
  ].join('\n')
}

function printTour(term: Terminal, url: string, keys: DemoKeys, dataDir: string): void {
  term.out(`${term.style('bold', 'Demo people and their API keys')} (kept in ${dataDir}/demo-keys.json):`)
  for (const user of DEMO_USERS) term.out(`  ${user.id.padEnd(7)} ${user.about.padEnd(34)} ${keys[user.id]}`)
  term.out('')
  term.out(`${term.style('bold', 'Try it')} (README, "A tour"), in another terminal:`)
  const cli = './bin/jitgate.js'
  term.out(`  export JITGATE_SERVER=${url} JITGATE_TOKEN=${keys.sasha}`)
  term.out(
    `  ${cli} request create --action http.call --resource http://accounts/c-1042/reset --reason "locked out, ticket 4711" --context '{"endpoint":"accounts","method":"POST","path":"/c-1042/reset"}' --wait`,
  )
  term.out(`  JITGATE_TOKEN=${keys.tom} ${cli} approve ID     # the peer`)
  term.out(
    `  JITGATE_TOKEN=${keys.lena} ${cli} approve ID    # the lead; then jitgate calls the accounts service`,
  )
  term.out(`  ${cli} audit verify --data-dir ${dataDir}`)
  term.out('')
}

async function demo(): Promise<number> {
  const term = createTerminal()
  const accounts = await startAccountsService((line) => term.out(term.style('dim', line)))
  try {
    const load = (text: string, env: Readonly<Record<string, string | undefined>>) =>
      loadConfig({ file: { path: 'demo configuration', text }, flags: {}, env, cwd: process.cwd() })
    // The data directory (JITGATE_DATA_DIR, else ./.jitgate) holds the database's passwords.
    const { dataDir } = load(demoConfig(accounts.url), process.env)
    const passwords = await samplePasswords(dataDir)
    const plan = await planDemoDatabase(passwords, process.env)
    const config = load(demoConfig(accounts.url, plan), { ...process.env, ...plan.env })
    const [started, database] = await Promise.allSettled([
      startServer(config, createLogger(config.logLevel)),
      startDemoDatabase(term, dataDir, passwords, plan),
    ])
    if (started.status === 'rejected') {
      if (database.status === 'fulfilled') await database.value.stop()
      throw started.reason
    }
    const server = started.value
    try {
      // The rest of the demo does not need the database: it goes on without it.
      if (database.status === 'rejected')
        term.err(`${String(database.reason)}\nThe demo runs on without its database tour.`)
      await tour(term, server, config, database.status === 'fulfilled')
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
    } finally {
      await server.close()
      if (database.status === 'fulfilled') await database.value.stop()
    }
    return 0
  } finally {
    await accounts.close()
  }
}

async function tour(
  term: Terminal,
  server: RunningServer,
  config: JitgateConfig,
  withDatabase: boolean,
): Promise<void> {
  const set = server.node.registry.current
  const policiesDir = relative(process.cwd(), config.policies.dir) || '.'
  term.out(
    term.style(
      'bold',
      `jitgate demo — policy set ${set.version}: ${set.rules.length} rules from ${policiesDir}`,
    ),
  )
  term.out('')
  const actions = await exampleActions(join(EXAMPLES, 'actions'))
  printDecisionTable(
    term,
    actions.map(({ label, input }) => ({ label, decision: set.evaluate(input) })),
  )
  term.out('')
  const keys = await demoKeys(server.node)
  printTour(term, server.url, keys, relative(process.cwd(), config.dataDir) || '.')
  if (withDatabase && server.gateway !== undefined) printDatabaseTour(term, server.gateway.address, keys)
  term.out(`jitgate is listening on ${server.url} (API docs at ${server.url}/docs). Decide an action:`)
  term.out(
    `  curl -s ${server.url}/v1/decisions -H "authorization: Bearer ${keys.sasha}" -H 'content-type: application/json' --data '{"action":"http.call","resource":"http://accounts/c-1042/reset"}'`,
  )
  term.out(
    `Edit a file under ${policiesDir} and the set reloads; a broken edit keeps the last good set (see ${server.url}/v1/policy).`,
  )
  term.out('Press Ctrl-C to stop.')
}

try {
  process.exitCode = await demo()
} catch (err) {
  const term = createTerminal()
  if (err instanceof PolicyLoadError) {
    printErrors(term, err.errors)
    term.err(err.message)
  } else if (err instanceof ConfigError || err instanceof JitgateError) {
    printErrors(term, err.details)
    term.err(err.message)
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    term.err(
      'a demo port is taken: run the API on another one with JITGATE_PORT=8181, the PostgreSQL gateway with JITGATE_GATEWAY_PORT=6434 (npm start)',
    )
  } else {
    throw err
  }
  process.exitCode = 1
}
