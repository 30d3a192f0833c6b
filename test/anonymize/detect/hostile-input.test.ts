// Safety, not speed: input built to make patterns backtrack (long runs of what a pattern
// almost matches) must be scanned in roughly linear time. Each 100 KB input must finish in
// well under a second; a catastrophic pattern would take minutes.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createPiiDetector } from '../../../src/anonymize/detect/index.ts'

const SIZE = 100_000
const LIMIT_MS = 1000

const fill = (unit: string, prefix = '', suffix = ''): string =>
  prefix + unit.repeat(Math.ceil((SIZE - prefix.length - suffix.length) / unit.length)) + suffix

/** A deterministic mix of the characters the patterns care about. */
function soup(alphabet: string, seed: number): string {
  let state = seed
  let out = ''
  while (out.length < SIZE) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    out += alphabet[(state >>> 16) % alphabet.length]
  }
  return out
}

const INPUTS: readonly (readonly [string, string])[] = [
  ['a@a.a.a.a…', fill('a.', 'a@')],
  ['a@a@a@…', fill('a@')],
  ['@@@…', fill('@')],
  ['long local part', fill('a', '', '@example.com')],
  ['one digit run', fill('1')],
  ['1-1-1-1…', fill('1-')],
  ['1 1 1 1…', fill('1 ')],
  ['1.1.1.1…', fill('1.')],
  ['(1)(1)…', fill('(1)')],
  ['+1 +1 …', fill('+1 ')],
  ['a:a:a:…', fill('a:')],
  ['1::1::…', fill('1::')],
  ['http://http://…', fill('http://')],
  ['https://a https://a …', fill('https://a ')],
  ['www.www.…', fill('www.')],
  ['a.a.a.…com', fill('a.', '', 'com')],
  ['Aa Aa Aa …', fill('Aa ')],
  ['one capitalised word', fill('a', 'A')],
  ['Mr. Mr. …', fill('Mr. ')],
  ['van van …', fill('van ', 'Jan ')],
  ['DE89 DE89 …', fill('DE89 ')],
  ['DE89 and digits', fill('3704 ', 'DE89 ')],
  ['0x then hex', fill('a', '0x')],
  ['1 then base58', fill('A', '1')],
  ['bc1 then bech32', fill('q', 'bc1')],
  ['1 Baker Baker …', fill('Baker ', '1 ', 'Street')],
  ['12 rue de la …', fill('de la ', '12 rue ')],
  ['Via Roma Via Roma …', fill('Via Roma ')],
  ['Hauptstraße Hauptstraße …', fill('Hauptstraße ')],
  ['12 March 12 March …', fill('12 March ')],
  ['1985-1985-…', fill('1985-')],
  ['digits and separators', soup('0123456789 .-/()+', 1)],
  ['everything', soup('aA1 .-/:@()+xX0Z', 2)],
  ['words and numbers', soup('Aa Bb 12 - . , @ : / de la Street straße ', 3)],
]

describe('hostile input finishes in linear-ish time', () => {
  const detector = createPiiDetector({ minScore: 0 })
  for (const [name, text] of INPUTS)
    it(`${name} (${Math.round(text.length / 1000)} KB) in < ${LIMIT_MS} ms`, () => {
      const start = performance.now()
      const findings = detector.detect(text)
      const ms = performance.now() - start
      assert.ok(ms < LIMIT_MS, `took ${Math.round(ms)} ms`)
      for (const f of findings) assert.ok(f.start >= 0 && f.end <= text.length && f.start < f.end)
    })
})
