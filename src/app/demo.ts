// `npm start`: the demo on embedded defaults. It loads the example policies,
// prints a decision table for the example actions, and serves the decision API
// until interrupted. Later issues grow it into the whole flow.
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { printDecisionTable } from '../cli/decision-table.ts'
import { createTerminal, printErrors } from '../cli/terminal.ts'
import { ConfigError, loadServerConfig } from '../config/index.ts'
import { type PolicyInput, PolicyLoadError } from '../policy/index.ts'
import { createLogger } from './create-logger.ts'
import { startDecisionServer } from './start-decision-server.ts'

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname

async function exampleActions(dir: string): Promise<{ label: string; input: PolicyInput }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()
  return Promise.all(
    files.map(async (f) => ({
      label: f.replace(/\.json$/, ''),
      input: JSON.parse(await readFile(join(dir, f), 'utf8')) as PolicyInput,
    })),
  )
}

async function demo(): Promise<number> {
  const term = createTerminal()
  const config = loadServerConfig({
    flags: {},
    env: { JITGATE_POLICIES: join(EXAMPLES, 'policies'), JITGATE_LOG_LEVEL: 'warn', ...process.env },
  })
  const server = await startDecisionServer(config, createLogger(config.logLevel))
  const set = server.registry.current
  const policiesDir = relative(process.cwd(), config.policies) || '.'
  const actionsDir = relative(process.cwd(), join(EXAMPLES, 'actions')) || '.'
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
  term.out(`The decision API is listening on ${server.url} (OpenAPI at ${server.url}/openapi.json). Try:`)
  const example = `${actionsDir}/${actions[0]?.label ?? 'ACTION'}.json`
  term.out(
    `  curl -s '${server.url}/v1/decisions?explain=true' -H 'content-type: application/json' --data @${example}`,
  )
  term.out(
    `Edit a file under ${policiesDir} and the set reloads; a broken edit keeps the last good set (see ${server.url}/v1/policy).`,
  )
  term.out('Press Ctrl-C to stop.')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  return 0
}

try {
  process.exitCode = await demo()
} catch (err) {
  const term = createTerminal()
  if (err instanceof PolicyLoadError || err instanceof ConfigError) {
    printErrors(term, err instanceof PolicyLoadError ? err.errors : err.details)
    term.err(err.message)
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    term.err('the demo port is taken; run it on another one with JITGATE_PORT=8181 npm start')
  } else {
    throw err
  }
  process.exitCode = 1
}
