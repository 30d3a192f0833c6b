// RFC 8785 test vectors, the errors of values JSON cannot carry, and a differential
// property test against `canonicalize` (the RFC authors' reference implementation).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import canonicalize from 'canonicalize'
import fc from 'fast-check'
import { JitgateError } from '../shared/index.ts'
import { canonicalJson, type JsonValue } from './canonical-json.ts'

// From the RFC's published test data (github.com/cyberphone/json-canonicalization,
// testdata/input and testdata/output, Apache-2.0): JSON input text, canonical output.
const RFC_FILES: [string, string, string][] = [
  ['arrays', '[56, {"d": true, "10": null, "1": [ ]}]', '[56,{"1":[],"10":null,"d":true}]'],
  [
    'french',
    '{"peach": "This sorting order", "péché": "is wrong according to French", "pêche": "but canonicalization MUST", "sin": "ignore locale"}',
    '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}',
  ],
  [
    'structures',
    '{"1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0}, "10": { }, "": "empty", "a": { }, "111": [ {"e": "yes","E": "no" } ], "A": { }}',
    '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
  ],
  ['unicode', '{"Unnormalized Unicode":"A\\u030a"}', '{"Unnormalized Unicode":"A\u030a"}'],
  [
    'values (RFC 8785 §3.2.2)',
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  ],
  [
    'weird (RFC 8785 §3.2.3 key order)',
    '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\u000a": "Newline", "1": "One", "\\u0080": "Control\\u007f", "\\ud83d\\ude02": "Smiley", "\\u00f6": "Latin Small Letter O With Diaeresis", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "</script>": "Browser Challenge"}',
    '{"\\n":"Newline","\\r":"Carriage Return","1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  ],
]

// RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization.
const RFC_NUMBERS: [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
]

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, BigInt(`0x${hex}`))
  return view.getFloat64(0)
}

function rejects(value: unknown, message: string): void {
  assert.throws(
    () => canonicalJson(value as JsonValue),
    (err: unknown) =>
      err instanceof JitgateError && err.code === 'audit_not_canonical' && err.message === message,
  )
}

describe('canonicalJson', () => {
  for (const [name, input, output] of RFC_FILES) {
    it(`matches the RFC test data: ${name}`, () => {
      assert.equal(canonicalJson(JSON.parse(input)), output)
    })
  }

  for (const [bits, text] of RFC_NUMBERS) {
    it(`serializes the double ${bits} as ${text}`, () => {
      assert.equal(canonicalJson(fromBits(bits)), text)
    })
  }

  it('refuses NaN and infinities, as the RFC requires (Appendix B: 7fffffffffffffff, 7ff0000000000000)', () => {
    rejects(fromBits('7fffffffffffffff'), "NaN is not a JSON number (at '/')")
    rejects({ a: [1, fromBits('7ff0000000000000')] }, "Infinity is not a JSON number (at '/a/1')")
    rejects({ x: -Infinity }, "-Infinity is not a JSON number (at '/x')")
  })

  it('refuses lone surrogates in values and keys, and keeps pairs', () => {
    rejects({ a: 'x\ud800y' }, "a string holds a lone UTF-16 surrogate (at '/a')")
    rejects({ 'k\udc00': 1 }, "a string holds a lone UTF-16 surrogate (at '/k\udc00')")
    assert.equal(canonicalJson('\ud83d\ude00'), '"😀"')
  })

  it('refuses what JSON cannot carry, naming where it is', () => {
    rejects({ when: new Date(0) }, "a Date object is not a JSON value (at '/when')")
    rejects({ a: { 'b/c': new Map() } }, "a Map object is not a JSON value (at '/a/b~1c')")
    rejects({ n: 1n }, "a bigint is not a JSON value (at '/n')")
    rejects([() => 1], "a function is not a JSON value (at '/0')")
  })

  it('leaves out undefined members and writes undefined array items as null, as JSON does', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] } as unknown as JsonValue), '{"b":[null,1]}')
  })

  it('escapes as JSON.stringify does: controls in lowercase hex, DEL and non-ASCII as is', () => {
    assert.equal(canonicalJson('\u0000\u001f\u007f\u2028"\\'), '"\\u0000\\u001f\u007f\u2028\\"\\\\"')
  })

  it('keeps `__proto__` as an ordinary member', () => {
    assert.equal(canonicalJson(JSON.parse('{"__proto__":{"b":1},"a":2}')), '{"__proto__":{"b":1},"a":2}')
  })

  it('agrees with the reference implementation on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(canonicalJson(value as JsonValue), canonicalize(value))
      }),
      { numRuns: 2000 },
    )
  })

  it('is the same for any key order and stable under a JSON round trip', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse()) as JsonValue
        const text = canonicalJson(object as JsonValue)
        assert.equal(canonicalJson(reversed), text)
        assert.equal(canonicalJson(JSON.parse(text)), text)
      }),
    )
  })
})
