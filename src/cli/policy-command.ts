// `jitgate policy …`: validate, test, evaluate and describe policy sets offline.
import { readFile } from 'node:fs/promises'
import { Command } from 'commander'
import {
  compilePolicySet,
  DOCUMENT_KINDS,
  POLICY_FUNCTIONS,
  type PolicyInput,
  type PolicySet,
  type PolicyStatus,
  PolicyTestDocument,
  readPolicyFiles,
  readPolicyTestFiles,
  runPolicyTests,
} from '../policy/index.ts'
import { JitgateError } from '../shared/index.ts'
import { ApiClient, type ApiOptions, apiOptions } from './api-client.ts'
import { printDecisionTable } from './decision-table.ts'
import { EXIT, printErrors, type Terminal } from './terminal.ts'

/** Compiles the set at `dir`, printing its errors; undefined when it does not compile. */
async function load(term: Terminal, dir: string, json: boolean): Promise<PolicySet | undefined> {
  const result = compilePolicySet(await readPolicyFiles(dir))
  if (result.ok) return result.set
  if (json) term.json({ ok: false, errors: result.errors })
  else {
    printErrors(term, result.errors)
    term.err(
      `${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in ${dir}; nothing was loaded`,
    )
  }
  return undefined
}

async function readInput(file: string): Promise<PolicyInput> {
  let text: string
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8')
  } catch {
    throw new JitgateError('input_missing', `cannot read input file '${file}'`, {
      status: 400,
      details: [
        {
          path: file,
          message: 'no such file',
          hint: 'pass a JSON file with actor, action, resource, context',
        },
      ],
    })
  }
  try {
    return JSON.parse(text) as PolicyInput
  } catch (err) {
    throw new JitgateError(
      'input_invalid',
      `input file '${file}' is not valid JSON: ${(err as Error).message}`,
      { status: 400 },
    )
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const policiesOption = (cmd: Command): Command =>
  cmd.option('-p, --policies <dir>', 'policy directory (default: $JITGATE_POLICIES or ./policies)')

const policiesDir = (opts: { policies?: string }): string =>
  opts.policies ?? process.env.JITGATE_POLICIES ?? 'policies'

export function policyCommand(term: Terminal, setExit: (code: number) => void): Command {
  const policy = new Command('policy').description('validate, test and evaluate policy sets offline')

  policy
    .command('validate')
    .description('check that a policy set compiles; errors are listed as file:line:col')
    .argument('<dir>', 'policy directory or file')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const set = await load(term, dir, opts.json === true)
      if (set === undefined) return setExit(EXIT.failed)
      if (opts.json) term.json({ ok: true, version: set.version, rules: set.rules.length, files: set.files })
      else
        term.out(
          `${term.style('green', 'ok')} ${set.rules.length} rules in ${set.files.length} files, version ${set.version}`,
        )
    })

  policy
    .command('test')
    .description('run the policy tests (*.test.yaml) next to the policies; exit 1 if any fails')
    .argument('<dir>', 'policy directory')
    .option('--json', 'print results as JSON')
    .option('-v, --verbose', 'list passing tests too')
    .action(async (dir: string, opts: { json?: boolean; verbose?: boolean }) => {
      const set = await load(term, dir, opts.json === true)
      if (set === undefined) return setExit(EXIT.failed)
      const testFiles = await readPolicyTestFiles(dir)
      const run = runPolicyTests(set, testFiles)
      const failed = run.results.filter((r) => !r.passed)
      if (opts.json) {
        term.json({
          ok: failed.length === 0 && run.errors.length === 0,
          version: set.version,
          passed: run.results.length - failed.length,
          failed: failed.length,
          errors: run.errors,
          results: run.results.map((r) => ({
            suite: r.suite,
            name: r.name,
            file: r.file,
            line: r.line,
            passed: r.passed,
            failures: r.failures,
            ...(r.passed ? {} : { decision: r.decision }),
          })),
        })
      } else {
        printErrors(term, run.errors)
        for (const r of run.results) {
          if (r.passed) {
            if (opts.verbose) term.out(`${term.style('green', 'PASS')} ${r.suite} › ${r.name}`)
            continue
          }
          term.out(
            `${term.style('red', 'FAIL')} ${r.suite} › ${r.name}  ${term.style('dim', `${r.file}:${r.line}`)}`,
          )
          for (const f of r.failures) term.out(`  ${f}`)
          term.out(term.style('dim', '  explanation:'))
          for (const t of r.decision.explanation ?? [])
            term.out(
              term.style(
                'dim',
                `    ${t.outcome.padEnd(11)} ${t.rule.effect.padEnd(16)} ${t.rule.name}: ${t.detail.replaceAll('\n', ' ')}`,
              ),
            )
        }
        if (testFiles.length === 0)
          term.out(term.style('yellow', `no policy tests (*.test.yaml) under ${dir}`))
        term.out(`${run.results.length - failed.length} passed, ${failed.length} failed`)
      }
      if (failed.length > 0 || run.errors.length > 0 || run.results.length === 0) setExit(EXIT.failed)
    })

  policiesOption(
    policy
      .command('eval')
      .description('decide one action (a JSON file, or - for stdin) against a policy set')
      .requiredOption(
        '-i, --input <file>',
        'JSON action: { actor, action, resource, purpose, context, facts }',
      )
      .option('--explain', 'show every rule considered and why')
      .option('--json', 'print the decision as JSON'),
  ).action(async (opts: { input: string; policies?: string; explain?: boolean; json?: boolean }) => {
    const set = await load(term, policiesDir(opts), opts.json === true)
    if (set === undefined) return setExit(EXIT.failed)
    const input = await readInput(opts.input)
    // Like the API, the CLI acts now unless the input says when.
    const context = typeof input.context === 'object' && input.context !== null ? input.context : {}
    const timed =
      context.time === undefined
        ? { ...input, context: { ...context, time: new Date().toISOString() } }
        : input
    const decision = set.evaluate(timed, { explain: opts.explain === true })
    if (opts.json) return term.json(decision)
    printDecisionTable(term, [{ label: opts.input, decision }])
    term.out(`${term.style('dim', 'reason:')} ${decision.reason.message}`)
    term.out(`${term.style('dim', 'policy version:')} ${decision.policyVersion}`)
    if (Object.keys(decision.obligations).length > 0)
      term.out(`${term.style('dim', 'obligations:')} ${JSON.stringify(decision.obligations, null, 2)}`)
    for (const t of decision.explanation ?? [])
      term.out(
        `  ${t.outcome.padEnd(11)} ${t.rule.effect.padEnd(16)} ${t.rule.name} (${t.rule.source.file}:${t.rule.source.line}): ${t.detail.replaceAll('\n', ' ')}`,
      )
  })

  apiOptions(
    policy
      .command('status')
      .description('show the policy set a running server has in force, and its last failed reload'),
  )
    .option('--json', 'print the status as JSON')
    .action(async (opts: ApiOptions & { json?: boolean }) => {
      const status = await new ApiClient(opts).call<PolicyStatus>('GET', '/v1/policy')
      if (opts.json) term.json(status)
      else {
        term.out(
          `${status.version}  ${status.rules} rules from ${status.files.length} files under ${status.path}, loaded ${status.loadedAt}`,
        )
        if (status.lastFailure !== undefined) {
          term.out(
            term.style(
              'red',
              `the last reload failed at ${status.lastFailure.at}; the set above stays in force:`,
            ),
          )
          printErrors(term, status.lastFailure.errors, false)
        }
      }
      if (status.lastFailure !== undefined) setExit(EXIT.failed)
    })

  policy
    .command('schema')
    .description('print the JSON Schema of policy and policy test documents (for editors)')
    .action(() => {
      term.json({
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'jitgate policy document',
        oneOf: [...Object.values(DOCUMENT_KINDS), PolicyTestDocument],
      })
    })

  policy
    .command('functions')
    .description('list the CEL variables and functions available in conditions')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) return term.json(POLICY_FUNCTIONS)
      term.out(
        'variables: actor { id, groups, roles, attributes }, action, resource, purpose, context, now (context.time)',
      )
      for (const f of POLICY_FUNCTIONS)
        term.out(`  ${f.signature.padEnd(72)} ${term.style('dim', f.description)}`)
    })

  return policy
}
