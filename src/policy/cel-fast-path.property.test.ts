// Differential property test of the CEL fast path against cel-js: random expressions
// over the supported subset (and some outside it) on random activations. Whenever
// the fast path accepts an expression, its outcome (a value, or an error) must be
// cel-js's. On JSON input it must never need to fall back to cel-js.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { type Activation, CelActor } from './cel-environment.ts'
import { celHarness } from './cel-fast-harness.test-support.ts'

const h = celHarness()

const KEYS = ['a', 'b', 'n', 's', 'l', 'm', 'z'] as const
const key = fc.constantFrom(...KEYS)

const scalar = fc.oneof(
  fc.constantFrom('a', 'b', '', 'read', '👍', '1', '10.0.0.1', 'eng', 'cus_1', 'marketing'),
  fc.constantFrom(0, 1, -1, 0.5, 2, 100, -0, 1e21, 2 ** 53, 3),
  fc.boolean(),
  fc.constant(null),
)

/** Values a JSON body can carry (objects with and without a prototype). */
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    scalar,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 3 }),
  ),
}))

/** Values only an in-process caller could pass: CEL knows some, others make cel-js throw. */
const odd = fc.constantFrom<unknown>(
  new Map([['a', 1]]),
  new Set(['a']),
  new Date(0),
  { constructor: 1 },
  { a: undefined },
  [undefined, 1],
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1n,
  () => 1,
  new Uint8Array([1]),
)

const { withOdd } = fc.letrec<{ withOdd: unknown }>((tie) => ({
  withOdd: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    scalar,
    odd,
    odd,
    fc.array(tie('withOdd'), { maxLength: 3 }),
    fc.dictionary(key, tie('withOdd'), { maxKeys: 3 }),
  ),
}))

function activations(value: fc.Arbitrary<unknown>): fc.Arbitrary<Activation> {
  const map = fc.dictionary(key, value, { minKeys: 2, maxKeys: 6 })
  const actor = fc
    .record({
      id: fc.constantFrom('u1', 'u2', 'a'),
      groups: fc.subarray(['eng', 'ops', 'a']),
      roles: fc.subarray(['admin', 'a']),
      attributes: map,
    })
    .map((a) => new CelActor(a.id, a.groups, a.roles, a.attributes))
  return fc.record({
    actor,
    action: fc.constantFrom('db.query', 'read', 'a'),
    resource: fc.constantFrom('pg://prod/users', 's3://x', 'a'),
    purpose: fc.constantFrom('', 'support', 'a', 'marketing'),
    context: map,
    now: fc.constantFrom(null, new Date('2026-01-31T09:30:00Z'), new Date('2026-02-01T23:59:59Z')),
  })
}

const ATOMS = [
  '"a"',
  '""',
  '"read"',
  '"👍"',
  '"eng"',
  '0',
  '1',
  '-1',
  '2',
  '1.0',
  '0.5',
  '-0.0',
  'true',
  'false',
  'null',
  'action',
  'resource',
  'purpose',
  'now',
  'actor.id',
  'actor.groups',
  'actor.roles',
  'actor.attributes',
  'context',
  'actor.groups[0]',
  'actor["id"]',
  '[]',
]

const { expr } = fc.letrec<{ atom: string; expr: string }>((tie) => {
  const e = () => tie('expr')
  const call = (name: string, n: number) =>
    fc.array(e(), { minLength: n, maxLength: n }).map((args) => `${name}(${args.join(', ')})`)
  return {
    atom: fc.oneof(
      fc.constantFrom(...ATOMS),
      key.map((k) => `context.${k}`),
      fc.tuple(key, key).map(([a, b]) => `context.${a}.${b}`),
      fc.tuple(key, fc.constantFrom('0', '1', '-1', '"a"', '1.0')).map(([k, i]) => `context.${k}[${i}]`),
      fc.tuple(key, key).map(([a, b]) => `context.${a}[context.${b}]`),
      key.map((k) => `actor.attributes.${k}`),
      fc
        .tuple(
          fc.constantFrom('context', 'actor.attributes', 'actor'),
          fc.array(key, { minLength: 1, maxLength: 3 }),
        )
        .map(([root, keys]) => `has(${root}.${keys.join('.')})`),
    ),
    expr: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      tie('atom'),
      tie('atom'),
      fc
        .tuple(e(), fc.constantFrom('&&', '||', '==', '!=', '<', '<=', '>', '>=', 'in', '+', '-', '*'), e())
        .map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(fc.constantFrom('!', '-'), e()).map(([op, x]) => `${op}(${x})`),
      fc.tuple(e(), e(), e()).map(([c, t, f]) => `(${c} ? ${t} : ${f})`),
      fc.array(e(), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc
        .tuple(e(), fc.constantFrom('startsWith', 'endsWith', 'contains'), e())
        .map(([r, m, x]) => `${r}.${m}(${x})`),
      e().map((x) => `${x}.size()`),
      call('size', 1),
      call('member_of', 1),
      call('has_grant', 0),
      call('has_grant', 2),
      call('consent', 2),
      call('consent_state', 2),
      call('counter', 1),
      call('glob', 2),
      e().map((x) => `in_cidr(${x}, "10.0.0.0/8")`),
      e().map((x) => `time_of_day(${x}, "UTC")`),
      fc.constantFrom('weekday(now, "UTC")', 'within_hours(now, "UTC", "08:00", "20:00")'),
      // Outside the subset: the fast path must decline these.
      e().map((x) => `${x}.exists(v, v == 1)`),
      e().map((x) => `int(${x})`),
      e().map((x) => `{"a": ${x}}`),
    ),
  }
})

interface Tally {
  checked: number
  fast: number
  runs: number
  bailed: number
  errors: number
}

function differential(input: fc.Arbitrary<Activation>, numRuns: number, mayBail: boolean): Tally {
  const tally: Tally = { checked: 0, fast: 0, runs: 0, bailed: 0, errors: 0 }
  const property = fc.property(expr, fc.array(input, { minLength: 1, maxLength: 3 }), (source, acts) => {
    const compiled = h.compile(source)
    if (compiled === undefined) return
    tally.checked++
    if (compiled.fast === undefined) return
    tally.fast++
    for (const activation of acts) {
      const { fast, slow, bailed } = h.evaluate(compiled, activation)
      tally.runs++
      if (bailed) tally.bailed++
      if (slow.kind === 'error') tally.errors++
      assert.deepStrictEqual(fast, slow, source)
      if (!mayBail) assert.equal(bailed, false, `${source} fell back to cel-js on JSON input`)
    }
  })
  fc.assert(property, { numRuns })
  return tally
}

describe('compileFastPath, differential against cel-js', () => {
  it('agrees on JSON input and never falls back', (t) => {
    const tally = differential(activations(json), 5000, false)
    t.diagnostic(JSON.stringify(tally))
    assert.ok(tally.fast > 1000, `only ${tally.fast} expressions took the fast path`)
    assert.ok(tally.errors > 300 && tally.runs - tally.errors > 300, 'values and errors both need coverage')
  })

  it('agrees on input with values JSON cannot carry', (t) => {
    const tally = differential(activations(withOdd), 2000, true)
    t.diagnostic(JSON.stringify(tally))
    assert.ok(tally.bailed > 20, `only ${tally.bailed} evaluations fell back`)
  })
})
