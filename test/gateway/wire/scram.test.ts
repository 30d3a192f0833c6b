// SCRAM-SHA-256 on both sides against RFC 7677's example exchange, the verifiers of API keys
// (one salt per user, several keys), and client messages that must not authenticate.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  apiKeyScramVerifier,
  formatScramVerifier,
  parseScramVerifier,
  type ScramVerifier,
  scramVerifier,
  subjectScramSalt,
} from '../../../src/gateway/index.ts'
import {
  scramClientFinal,
  scramClientFirst,
  scramServerVerified,
} from '../../../src/gateway/wire/scram-client.ts'
import {
  type ScramServerState,
  scramServerFinal,
  scramServerFirst,
} from '../../../src/gateway/wire/scram-server.ts'

// RFC 7677, section 3.
const RFC = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
}
const PENCIL = scramVerifier('pencil', RFC.salt, 4096)

function serverState(
  verifier: ScramVerifier,
  clientFirst = `n,,n=user,r=${RFC.clientNonce}`,
): ScramServerState {
  const first = scramServerFirst(clientFirst, verifier, RFC.serverNonce)
  assert.ok(first.ok)
  return first.state
}

describe('SCRAM-SHA-256', () => {
  it('answers RFC 7677’s client as the RFC’s server does', () => {
    const first = scramServerFirst(`n,,n=user,r=${RFC.clientNonce}`, PENCIL, RFC.serverNonce)
    assert.ok(first.ok)
    assert.equal(first.serverFirst, RFC.serverFirst)
    assert.deepEqual(scramServerFinal(first.state, RFC.clientFinal, [PENCIL]), {
      ok: true,
      index: 0,
      serverFinal: RFC.serverFinal,
    })
  })

  it('proves the password as RFC 7677’s client does, and checks the server’s signature', () => {
    const { bare } = scramClientFirst(RFC.clientNonce, 'user')
    const final = scramClientFinal('pencil', RFC.clientNonce, bare, RFC.serverFirst)
    assert.ok(final.ok)
    assert.equal(final.message, RFC.clientFinal)
    assert.equal(scramServerVerified(RFC.serverFinal, final.serverSignature), true)
    assert.equal(scramServerVerified('v=AAAA', final.serverSignature), false)
  })

  it('keeps verifiers in PostgreSQL’s text form', () => {
    const text = formatScramVerifier(PENCIL)
    assert.match(
      text,
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/,
    )
    assert.deepEqual(parseScramVerifier(text), PENCIL)
    for (const bad of [
      '',
      'md5abc',
      text.replace('SCRAM-SHA-256', 'SCRAM-SHA-1'),
      text.replace('$4096', '$0'),
      `${text}x`,
    ])
      assert.equal(parseScramVerifier(bad), undefined, bad)
  })

  it('finds which of a user’s keys the client holds: all share the user’s salt', () => {
    const tokens = ['jg_0000000000000001_a', 'jg_0000000000000002_b']
    const verifiers = tokens.map((token) => parseScramVerifier(apiKeyScramVerifier(token, 'alice')))
    const [first, second] = verifiers
    assert.ok(first !== undefined && second !== undefined)
    assert.deepEqual(first.salt, subjectScramSalt('alice'))
    assert.deepEqual(second.salt, first.salt)
    assert.notDeepEqual(subjectScramSalt('bob'), first.salt)
    const { message, bare } = scramClientFirst('clientnonce')
    const state = serverState(first, message)
    const serverFirst = state.serverFirst
    const proof = scramClientFinal(tokens[1] ?? '', 'clientnonce', bare, serverFirst)
    assert.ok(proof.ok)
    const found = scramServerFinal(state, proof.message, [first, second])
    assert.ok(found.ok)
    assert.equal(found.index, 1)
    assert.equal(scramServerVerified(found.serverFinal, proof.serverSignature), true)
    assert.deepEqual(scramServerFinal(state, proof.message, [first]), { ok: false, error: 'proof' })
  })

  const firstMessages: [string, string, RegExp][] = [
    ['channel binding', `p=tls-server-end-point,,n=,r=${RFC.clientNonce}`, /channel binding is not offered/],
    ['an authorization identity', `n,a=bob,n=,r=${RFC.clientNonce}`, /authorization identity/],
    ['a bad GS2 flag', `x,,n=,r=${RFC.clientNonce}`, /flag is malformed/],
    ['no GS2 header', 'n=,r=abc', /malformed|no GS2 header/],
    ['a mandatory extension', `n,,m=ext,n=,r=${RFC.clientNonce}`, /extensions are not supported/],
    ['no nonce', 'n,,n=', /valid nonce/],
    ['a nonce with a comma inside the attribute list', 'n,,n=,r=', /valid nonce/],
    ['an attribute repeated', `n,,n=,n=,r=${RFC.clientNonce}`, /malformed/],
  ]
  for (const [name, message, error] of firstMessages) {
    it(`refuses a client-first message with ${name}`, () => {
      const first = scramServerFirst(message, PENCIL, RFC.serverNonce)
      assert.equal(first.ok, false)
      assert.match(first.ok ? '' : first.error, error)
    })
  }

  const finalMessages: [string, string, RegExp][] = [
    ['no proof', RFC.clientFinal.replace(/,p=.*$/, ''), /no proof/],
    ['a short proof', RFC.clientFinal.replace(/p=.*$/, 'p=AAAA'), /malformed/],
    ['another nonce', RFC.clientFinal.replace('r=rOpr', 'r=xOpr'), /nonce does not match/],
    [
      'a channel binding other than the header',
      RFC.clientFinal.replace('c=biws', 'c=eSws'),
      /channel binding/,
    ],
    ['a wrong proof', RFC.clientFinal.replace('p=dHzb', 'p=dHzc'), /^proof$/],
  ]
  for (const [name, message, error] of finalMessages) {
    it(`refuses a client-final message with ${name}`, () => {
      const final = scramServerFinal(serverState(PENCIL), message, [PENCIL])
      assert.equal(final.ok, false)
      assert.match(final.ok ? '' : final.error, error)
    })
  }

  it('refuses every proof when the user has no verifier, after the same exchange', () => {
    assert.deepEqual(scramServerFinal(serverState(PENCIL), RFC.clientFinal, []), {
      ok: false,
      error: 'proof',
    })
  })
})
