// Test support for the CEL fast path: evaluates one expression both in cel-js and on
// the fast path, in the policy environment as createCelEnvironment builds it, with
// the handlers it registers and fixed facts.
import type { Environment } from '@marcbachmann/cel-js'
import { type Activation, createCelEnvironment, EvaluationScope, type ScopeState } from './cel-environment.ts'
import { compileFastPath, type Evaluate } from './cel-fast-path.ts'
import type { Facts } from './decision-types.ts'

export type Outcome = { kind: 'value'; value: unknown } | { kind: 'error' }

export interface RunResult {
  /** Undefined when the fast path declined the expression. */
  readonly fast: Outcome | undefined
  readonly slow: Outcome
  /** The fast path handed this activation to cel-js. */
  readonly bailed: boolean
}

export interface Compiled {
  readonly slow: Evaluate
  readonly fast: Evaluate | undefined
  /** How often the fast path has fallen back to cel-js so far. */
  readonly bailouts: () => number
}

export interface CelHarness {
  /** Compiles as cel-compiler does (parse, check); undefined when either fails. */
  readonly compile: (source: string) => Compiled | undefined
  readonly evaluate: (compiled: Compiled, activation: Activation) => RunResult
  readonly run: (source: string, activation: Activation) => RunResult
  readonly activation: (parts: Activation) => Activation
  /** The type cel-js's checker gives `source`. */
  readonly typeOf: (source: string) => string | undefined
}

// A counter that is not a number must make counter() fail: JSON keeps the type honest here.
const FACTS: Facts = JSON.parse(
  '{"counters": {"exports": 3, "broken": "x"}, "consents": [{"subject": "cus_1", "purpose": "marketing", "state": "granted"}]}',
)

const GROUPS: ScopeState['groups'] = new Map([
  ['eng', { users: new Set(['u9']), idpGroups: new Set(['eng']) }],
  ['ops', { users: new Set(['u1']), idpGroups: new Set<string>() }],
])

export function outcome(run: () => unknown): Outcome {
  try {
    return { kind: 'value', value: run() }
  } catch {
    return { kind: 'error' }
  }
}

export function celHarness(): CelHarness {
  const scope = new EvaluationScope()
  const { env, functions } = createCelEnvironment(scope)
  const enter = (activation: Activation): void => {
    scope.current = {
      activation,
      facts: FACTS,
      groups: GROUPS,
      grantCovers: (verb, resource) => verb === 'db.query' && resource.startsWith('pg://'),
    }
  }

  const compile = (source: string): Compiled | undefined => {
    let parsed: ReturnType<Environment['parse']>
    try {
      parsed = env.parse(source)
    } catch {
      return undefined
    }
    if (!parsed.check().valid) return undefined
    let bailouts = 0
    const slow: Evaluate = (a) => parsed({ ...a })
    const fast = compileFastPath(parsed.ast, functions, (a) => {
      bailouts++
      return slow(a)
    })
    return { slow, fast, bailouts: () => bailouts }
  }

  const evaluate = (compiled: Compiled, activation: Activation): RunResult => {
    enter(activation)
    const slow = outcome(() => compiled.slow(activation))
    const { fast } = compiled
    const before = compiled.bailouts()
    const fastOutcome = fast === undefined ? undefined : outcome(() => fast(activation))
    return { fast: fastOutcome, slow, bailed: compiled.bailouts() > before }
  }

  const run = (source: string, activation: Activation): RunResult => {
    const compiled = compile(source)
    if (compiled === undefined) throw new Error(`'${source}' does not compile`)
    return evaluate(compiled, activation)
  }

  const typeOf = (source: string): string | undefined => {
    const checked = env.check(source)
    return checked.valid ? checked.type : undefined
  }

  return { compile, evaluate, run, activation: (parts) => parts, typeOf }
}
