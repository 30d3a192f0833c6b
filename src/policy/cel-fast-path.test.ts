// Table tests of the CEL fast path: for each operator's edge cases, the fast path
// must give what cel-js gives (a value, or an error where cel-js throws), and must
// decline what it does not support. The random differential test is in
// cel-fast-path.property.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Environment } from '@marcbachmann/cel-js'
import { type Activation, CelActor } from './cel-environment.ts'
import { celHarness, type Outcome, outcome } from './cel-fast-harness.test-support.ts'
import { compileFastPath } from './cel-fast-path.ts'

const h = celHarness()

const activation = h.activation({
  actor: new CelActor('u1', ['eng', 'ops'], ['admin'], { level: 3, team: 'core', tags: ['x'] }),
  action: 'db.query',
  resource: 'pg://prod/users',
  purpose: 'support',
  now: new Date('2026-01-31T09:30:00Z'),
  context: {
    n: 1,
    half: 0.5,
    big: 2 ** 53,
    s: 'a',
    emoji: '👍a',
    t: true,
    z: null,
    l: [1, 'a', null],
    strs: ['a', 'b'],
    nested: [[1], { k: 'v' }],
    e: [],
    m: { a: 1, '1': true, u: null },
    m2: { u: null, '1': true, a: 1.0 },
    kv: { k: 'v' },
    em: {},
    ip: '10.1.2.3',
    sub: 'cus_1',
    kind: 'read',
  },
})

const value = (v: unknown): Outcome => ({ kind: 'value', value: v })
const error: Outcome = { kind: 'error' }

const cases: Record<string, [string, Outcome][]> = {
  literals: [
    ['"x"', value('x')],
    ['1', value(1n)],
    ['-1', value(-1n)],
    ['-2.5', value(-2.5)],
    ['null', value(null)],
    ['[1, "a"]', value([1n, 'a'])],
  ],
  access: [
    ['context.n', value(1)],
    ['context["s"]', value('a')],
    ['context.missing', error],
    ['context.z.x', error],
    ['context.s.x', error],
    ['context.l[1]', value('a')],
    ['context.l[1.0]', value('a')],
    ['context.l[3]', error],
    ['context.l[-1]', error],
    ['context.l["0"]', error],
    ['context.m[1]', value(true)],
    ['context.m.toString', error],
    ['actor.groups[1]', value('ops')],
    ['actor.attributes.team', value('core')],
    ['actor["id"]', value('u1')],
    ['actor.attributes[purpose]', error],
  ],
  has: [
    ['has(context.n)', value(true)],
    ['has(context.missing)', value(false)],
    ['has(context.missing.x)', error],
    ['has(context.s.x)', value(false)],
    ['has(context.z.x)', value(false)],
    ['has(context.m.u)', value(true)],
    ['has(actor.attributes.level)', value(true)],
    ['has(actor.nickname)', value(false)],
  ],
  logic: [
    ['false && context.missing', value(false)],
    ['context.missing && false', value(false)],
    ['context.missing && true', error],
    ['true && context.missing', error],
    ['true || context.missing', value(true)],
    ['context.missing || true', value(true)],
    ['context.missing || false', error],
    ['context.n || true', value(true)],
    ['context.n || false', error],
    ['true && context.n', error],
    ['!context.t', value(false)],
    ['!context.n', error],
    ['context.t ? "y" : context.missing', value('y')],
    ['context.n ? 1 : 2', error],
  ],
  equality: [
    ['context.n == 1', value(true)],
    ['1 == context.n', value(true)],
    ['1 in [context.n]', value(true)],
    ['context.half == 0', value(false)],
    ['context.big == 9007199254740992', value(true)],
    ['context.n == "1"', value(false)],
    ['context.s != 1', value(true)],
    ['context.z == null', value(true)],
    ['context.m == null', value(false)],
    ['context.l == [1, "a", null]', value(true)],
    ['context.l == [1.0, "a", null]', value(true)],
    ['context.strs == actor.groups', value(false)],
    ['context.m == context.m2', value(true)],
    ['context.e == context.em', value(false)],
    ['now == null', value(false)],
    ['now == now', value(true)],
  ],
  ordering: [
    ['context.n < 2', value(true)],
    ['context.half >= 0', value(true)],
    ['context.s < "b"', value(true)],
    ['context.t > false', value(true)],
    ['context.s < 1', error],
    ['context.z < 1', error],
    ['context.l < context.l', error],
  ],
  membership: [
    ['"eng" in actor.groups', value(true)],
    ['1 in context.l', value(true)],
    ['context.kind in ["read", "write"]', value(true)],
    ['context.n in ["read", "1"]', value(false)],
    ['1 in context.m', value(true)],
    ['"u" in context.m', value(true)],
    ['"a" in context.s', error],
    ['[1] in context.nested', value(true)],
    ['context.kv in context.nested', value(true)],
  ],
  functions: [
    ['size(context.emoji)', value(2n)],
    ['context.l.size()', value(3n)],
    ['size(context.m)', value(3n)],
    ['size(context.z)', error],
    ['context.s.startsWith("a")', value(true)],
    ['resource.endsWith("users")', value(true)],
    ['context.n.contains("1")', error],
    ['"subject://" + actor.id', value('subject://u1')],
    ['member_of("eng")', value(true)],
    ['member_of(context.n)', error],
    ['member_of("nope")', error],
    ['has_grant()', value(true)],
    ['has_grant("db.drop", resource)', value(false)],
    ['in_cidr(context.ip, "10.0.0.0/8")', value(true)],
    ['consent(context.sub, "marketing")', value(true)],
    ['counter("exports")', value(3n)],
    ['counter("broken")', error],
    ['time_of_day(now, "UTC")', value('09:30')],
    ['time_of_day(context.z, "UTC")', error],
  ],
}

describe('the policy environment is what the fast path assumes', () => {
  // cel-fast-access.ts reads these variables and Actor fields with these types' checks.
  const expected: [string, string][] = [
    ['actor', 'Actor'],
    ['action', 'string'],
    ['resource', 'string'],
    ['purpose', 'string'],
    ['context', 'map<string, dyn>'],
    ['now', 'dyn'],
    ['actor.id', 'string'],
    ['actor.groups', 'list<string>'],
    ['actor.roles', 'list<string>'],
    ['actor.attributes', 'map<string, dyn>'],
  ]
  for (const [source, type] of expected) it(`${source}: ${type}`, () => assert.equal(h.typeOf(source), type))
})

describe('compileFastPath agrees with cel-js', () => {
  for (const [group, table] of Object.entries(cases)) {
    describe(group, () => {
      for (const [source, expected] of table) {
        it(source, () => {
          const { fast, slow } = h.run(source, activation)
          assert.notEqual(fast, undefined, 'the fast path should support this expression')
          assert.deepEqual(slow, expected)
          assert.deepEqual(fast, expected)
        })
      }
    })
  }
})

describe('compileFastPath declines what it does not support', () => {
  const unsupported = [
    'context.n + 1',
    'context.n * 2.0',
    'context.l.exists(x, x == 1)',
    'int(context.n)',
    'string(context.n)',
    'timestamp("2026-01-01T00:00:00Z")',
    '{"a": 1}.a',
    '1u',
    'b"ab"',
    'type(context.n)',
    'context.s.matches("a+")',
    '[[1]][0]',
  ]
  for (const source of unsupported) {
    it(source, () => assert.equal(h.run(source, activation).fast, undefined))
  }
})

describe('compileFastPath on values JSON cannot carry', () => {
  const odd = h.activation({
    ...activation,
    // A CelActor with lists that are no lists of strings, as only a careless caller could build.
    actor: new CelActor('u1', JSON.parse('[1]'), JSON.parse('"eng"'), {}),
    context: {
      n: 1,
      undef: undefined,
      map: new Map([['a', 1]]),
      set: new Set(['a']),
      ctor: { constructor: 1 },
      holey: { a: undefined },
      fns: [() => 1],
      pair: [{ a: 1 }, { x: undefined }],
      pair2: [{ a: 1 }, { y: 1 }],
    },
  })
  const cases: [string, Outcome, boolean][] = [
    ['has(context.undef)', value(false), false],
    ['"undef" in context', value(false), false],
    ['size(context.map) == 1', value(true), true],
    ['size(context.map) == 2 && context.missing', value(false), true],
    ['"a" in context.set', value(true), true],
    ['has(context.ctor)', error, true],
    ['context.ctor.x', error, true],
    ['context.holey == "a"', error, true],
    ['context.holey == 1', error, true],
    ['context.holey in ["a"]', error, true],
    ['context.fns == []', error, true],
    ['context.pair == context.pair2', value(false), false],
    ['actor.roles', error, false],
    ['"eng" in actor.roles', error, false],
    ['actor.groups[0]', error, false],
    ['context.n in actor.groups', value(true), false],
  ]
  for (const [source, expected, bails] of cases) {
    it(source, () => {
      const { fast, slow, bailed } = h.run(source, odd)
      assert.deepEqual(slow, expected)
      assert.deepEqual(fast, expected)
      assert.equal(bailed, bails)
    })
  }

  it('checks a dyn argument as cel-js does before calling the function', () => {
    const echo = (v: unknown): unknown => v
    const env = new Environment()
      .registerVariable('context', 'map<string, dyn>')
      .registerFunction('echo(dyn): dyn', echo)
    const parsed = env.parse('echo(context.holey)')
    assert.equal(parsed.check().valid, true)
    const slow = (a: Activation): unknown => parsed({ ...a })
    const fast = compileFastPath(parsed.ast, new Map([['echo(dyn): dyn', echo]]), slow)
    assert.notEqual(fast, undefined)
    assert.deepEqual(
      outcome(() => slow(odd)),
      error,
    )
    assert.deepEqual(
      outcome(() => fast?.(odd)),
      error,
    )
  })
})
