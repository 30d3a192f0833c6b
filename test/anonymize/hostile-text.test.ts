// Issue 6's hostile inputs across the whole library: lone surrogates, very long strings and
// mixed scripts, through the detectors and through every transform of a masking profile.
// Each must finish without throwing, keep offsets inside the text, and never hand a raw
// value back from a transform that hides it. The bounds are generous safety limits, not
// benchmarks: a catastrophic pattern takes minutes, not a second.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPiiDetector } from '../../src/anonymize/detect/index.ts'
import { Masker } from '../../src/anonymize/transforms/index.ts'
import type { FieldTransform } from '../../src/policy/index.ts'
import { NOW, testKeys } from './transforms/fixtures.ts'

const HOSTILE: readonly [string, string][] = [
  ['a lone high surrogate', 'call \uD800 at +44 20 7946 0958'],
  ['a lone low surrogate', '\uDC00ada@example.com\uDC00'],
  ['reversed surrogates', '\uDE00\uD83D 4111 1111 1111 1111'],
  ['surrogates between digits', '4111\uD8001111\uDC0011111111'],
  ['200 KB of lone surrogates', '\uD800'.repeat(200_000)],
  ['200 KB of digits and dashes', '1-'.repeat(100_000)],
  ['200 KB of near-emails', 'a@a.'.repeat(50_000)],
  ['200 KB of capitalised words', 'Anna Berlin '.repeat(18_000)],
  ['mixed scripts', 'Иван Петров, 東京, DE89 3704 0044 0532 0130 00, ✉ ivan@пример.рф'],
]

const TRANSFORMS: Readonly<Record<string, FieldTransform>> = {
  redact: { transform: 'redact', params: {} },
  null: { transform: 'null', params: {} },
  partial: { transform: 'partial', params: { keep_last: 4 } },
  email: { transform: 'partial', params: { keep: 'email_domain' } },
  pseudonym: { transform: 'pseudonym', params: { purpose: 'support' } },
  token: { transform: 'token', params: { purpose: 'support' } },
  generalize: { transform: 'generalize', params: { to: 'year' } },
  fpe: { transform: 'fpe', params: { format: 'digits' } },
  card: { transform: 'fpe', params: { format: 'card' } },
}

describe('hostile text', () => {
  const detector = createPiiDetector({})
  for (const [name, text] of HOSTILE) {
    it(`detection survives ${name}`, () => {
      const started = performance.now()
      const findings = detector.detect(text)
      assert.ok(performance.now() - started < 5_000, 'finishes in seconds, not minutes')
      for (const f of findings) assert.ok(f.start >= 0 && f.start < f.end && f.end <= text.length)
    })

    it(`every transform survives ${name} and hides it`, () => {
      const masker = new Masker(TRANSFORMS, { keys: testKeys(), now: NOW })
      const row = Object.fromEntries(Object.keys(TRANSFORMS).map((column) => [column, text]))
      const masked = masker.maskObject(row)
      for (const [column, value] of Object.entries(masked))
        assert.notEqual(value, text, `${column} handed the raw value back`)
    })
  }
})
