// Loading the master keyring from the environment, a key file or configuration, and
// the errors for missing, short, malformed and placeholder keys.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { inspect } from 'node:util'
import {
  AnonymizeError,
  type KeySources,
  loadMasterKeyring,
  MasterKey,
} from '../../../src/anonymize/transforms/index.ts'

const key = randomBytes(32)
const hex = key.toString('hex')
const b64 = key.toString('base64')
const other = randomBytes(48).toString('base64url')

function refusal(sources: KeySources): { code: string; message: string; path: string | undefined } {
  try {
    loadMasterKeyring(sources)
  } catch (err) {
    assert.ok(err instanceof AnonymizeError)
    // A refusal never repeats a key.
    assert.ok(!JSON.stringify(err.toJSON()).includes(hex) && !JSON.stringify(err.toJSON()).includes(b64))
    return { code: err.code, message: err.message, path: err.details[0]?.path }
  }
  assert.fail('the keyring loaded')
}

const files =
  (contents: Record<string, string>) =>
  (path: string): string => {
    const text = contents[path]
    if (text === undefined) throw new Error('ENOENT')
    return text
  }

describe('loadMasterKeyring', () => {
  it('takes one key from the environment, hex or base64, with an id or a fingerprint', () => {
    const a = loadMasterKeyring({ env: { JITGATE_ANONYMIZE_KEY: hex } })
    const b = loadMasterKeyring({ env: { JITGATE_ANONYMIZE_KEY: ` ${b64}\n` } })
    assert.match(a.current.id, /^k[0-9a-f]{8}$/)
    assert.equal(a.current.id, b.current.id)
    assert.deepEqual(a.current.derive('pseudonym', 'p', 32), b.current.derive('pseudonym', 'p', 32))
    const named = loadMasterKeyring({ env: { JITGATE_ANONYMIZE_KEY: `2026-03:${hex}` } })
    assert.equal(named.current.id, '2026-03')
  })

  it('keeps retired keys from JITGATE_ANONYMIZE_PREVIOUS_KEYS', () => {
    const ring = loadMasterKeyring({
      env: { JITGATE_ANONYMIZE_KEY: `k2:${hex}`, JITGATE_ANONYMIZE_PREVIOUS_KEYS: `k1:${other}, k0:${b64}` },
    })
    assert.equal(ring.current.id, 'k2')
    assert.deepEqual([...ring.keys.keys()], ['k2', 'k1', 'k0'])
  })

  it('reads a key file with one key, or a JSON keyring', () => {
    const one = loadMasterKeyring({ keyFile: '/keys/one', readFile: files({ '/keys/one': `${b64}\n` }) })
    assert.match(one.current.id, /^k[0-9a-f]{8}$/)
    const json = JSON.stringify({ current: 'b', keys: { a: other, b: hex } })
    const ring = loadMasterKeyring({
      keyFile: '/keys/ring.json',
      readFile: files({ '/keys/ring.json': json }),
    })
    assert.equal(ring.current.id, 'b')
    assert.deepEqual([...ring.keys.keys()], ['a', 'b'])
  })

  it('prefers configuration, then the key file, to the environment', () => {
    const env = { JITGATE_ANONYMIZE_KEY: `env:${hex}` }
    const readFile = files({ '/k': `file:${hex}` })
    assert.equal(loadMasterKeyring({ env, keyFile: '/k', readFile }).current.id, 'file')
    const config = { current: 'cfg', keys: { cfg: hex } }
    assert.equal(loadMasterKeyring({ env, keyFile: '/k', readFile, config }).current.id, 'cfg')
  })

  const cases: [string, KeySources, { code: string; message: string; path: string | undefined }][] = [
    [
      'no key anywhere',
      { env: {} },
      {
        code: 'anonymize_key_missing',
        message: 'no anonymization key is configured',
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
    [
      'a key file that cannot be read',
      { keyFile: '/nope', readFile: files({}) },
      { code: 'anonymize_key_missing', message: "cannot read the key file '/nope'", path: '/nope' },
    ],
    [
      'a short key',
      { env: { JITGATE_ANONYMIZE_KEY: randomBytes(16).toString('hex') } },
      {
        code: 'anonymize_key_short',
        message: 'the anonymization key in JITGATE_ANONYMIZE_KEY has 16 bytes; at least 32 are needed',
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
    [
      'a key that is neither hex nor base64',
      { env: { JITGATE_ANONYMIZE_KEY: 'correct horse battery staple, but longer than 32 bytes' } },
      {
        code: 'anonymize_key_malformed',
        message: 'the anonymization key in JITGATE_ANONYMIZE_KEY is neither hex nor base64',
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
    [
      'broken base64',
      { env: { JITGATE_ANONYMIZE_KEY: `${b64.slice(0, 10)}=${b64.slice(10)}` } },
      {
        code: 'anonymize_key_malformed',
        message: 'the anonymization key in JITGATE_ANONYMIZE_KEY is neither hex nor base64',
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
    [
      'a placeholder key',
      { env: { JITGATE_ANONYMIZE_KEY: '00'.repeat(32) } },
      {
        code: 'anonymize_key_weak',
        message: 'the anonymization key in JITGATE_ANONYMIZE_KEY is one byte repeated',
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
    [
      'a bad entry among the previous keys',
      { env: { JITGATE_ANONYMIZE_KEY: hex, JITGATE_ANONYMIZE_PREVIOUS_KEYS: `old:${hex},x:abc` } },
      {
        code: 'anonymize_key_short',
        message:
          'the anonymization key in JITGATE_ANONYMIZE_PREVIOUS_KEYS (entry 2) has 2 bytes; at least 32 are needed',
        path: 'JITGATE_ANONYMIZE_PREVIOUS_KEYS (entry 2)',
      },
    ],
    [
      'a key file in JSON without a current key',
      { keyFile: '/k.json', readFile: files({ '/k.json': JSON.stringify({ keys: { a: hex } }) }) },
      {
        code: 'anonymize_key_malformed',
        message: 'the anonymization key in /k.json needs "current" (a key id) and "keys" (key id → key)',
        path: '/k.json',
      },
    ],
    [
      'a current key that is not in the file',
      {
        keyFile: '/k.json',
        readFile: files({ '/k.json': JSON.stringify({ current: 'b', keys: { a: hex } }) }),
      },
      {
        code: 'anonymize_key_malformed',
        message: "the anonymization key in /k.json names the current key 'b', which is not among its keys",
        path: '/k.json',
      },
    ],
    [
      'a key id with an underscore',
      { config: { current: 'a_b', keys: { a_b: hex } } },
      {
        code: 'anonymize_key_malformed',
        message:
          "the anonymization key in config anonymize.keys: keys.a_b has the key id 'a_b', which is not 1–32 letters, digits or '-'",
        path: 'config anonymize.keys: keys.a_b',
      },
    ],
    [
      'the same id twice',
      { env: { JITGATE_ANONYMIZE_KEY: `a:${hex}`, JITGATE_ANONYMIZE_PREVIOUS_KEYS: `a:${other}` } },
      {
        code: 'anonymize_key_malformed',
        message: "the anonymization key in JITGATE_ANONYMIZE_KEY has the key id 'a' twice",
        path: 'JITGATE_ANONYMIZE_KEY',
      },
    ],
  ]
  for (const [name, sources, expected] of cases) {
    it(`refuses ${name}`, () => assert.deepEqual(refusal(sources), expected))
  }
})

describe('MasterKey', () => {
  it('derives a different key per use and purpose, and never shows its secret', () => {
    const k = new MasterKey('k1', key)
    const derived = [
      k.derive('pseudonym', 'a', 32),
      k.derive('pseudonym', 'b', 32),
      k.derive('token', 'a', 32),
      k.derive('noise', 'a', 32),
    ].map((b) => Buffer.from(b).toString('hex'))
    assert.equal(new Set(derived).size, 4)
    assert.equal(JSON.stringify({ k }), '{"k":{"id":"k1"}}')
    assert.equal(inspect(k), 'MasterKey(k1)')
  })
})
