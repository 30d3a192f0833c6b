// A real identity provider's key endpoint for tests: an HTTP server on 127.0.0.1 serving a
// JWKS made from key pairs generated here, and tokens signed with them. The keys served can
// change (rotation) and the server can fail, hang or stop.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose'

export const ISSUER = 'https://idp.example.test/realms/corp'
export const AUDIENCE = 'jitgate'

export interface SigningKey {
  readonly kid: string
  readonly alg: string
  readonly privateKey: CryptoKey
  readonly jwk: JWK
}

export async function signingKey(
  kid: string,
  alg: 'RS256' | 'RS512' | 'ES256' | 'EdDSA' = 'RS256',
): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  return { kid, alg, privateKey, jwk }
}

export type Behaviour = 'serve' | 'fail' | 'hang'

export interface JwksServer {
  readonly uri: string
  /** Requests for the JWKS so far. */
  readonly fetches: number
  keys: SigningKey[]
  behaviour: Behaviour
  stop(): Promise<void>
}

export async function startJwksServer(t: TestContext, keys: SigningKey[]): Promise<JwksServer> {
  let fetches = 0
  const state = { keys, behaviour: 'serve' as Behaviour }
  const server: Server = createServer((request, response) => {
    fetches++
    if (state.behaviour === 'hang') return
    if (state.behaviour === 'fail' || request.url !== '/jwks') {
      response.writeHead(500).end('down')
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ keys: state.keys.map((key) => key.jwk) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  t.after(stop)
  return {
    uri: `http://127.0.0.1:${port}/jwks`,
    get fetches() {
      return fetches
    },
    get keys() {
      return state.keys
    },
    set keys(next) {
      state.keys = next
    },
    get behaviour() {
      return state.behaviour
    },
    set behaviour(next) {
      state.behaviour = next
    },
    stop,
  }
}

export interface TokenOptions {
  readonly issuer?: string
  readonly audience?: string | string[]
  /** Seconds since the epoch. */
  readonly exp?: number | null
  readonly nbf?: number
  readonly kid?: string
  readonly alg?: string
}

/** A token signed with `key`, issued at `now`, expiring 5 minutes later unless told otherwise. */
export function signToken(key: SigningKey, claims: JWTPayload, now: Date, options: TokenOptions = {}) {
  const iat = Math.floor(now.getTime() / 1000)
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? key.alg, kid: options.kid ?? key.kid })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(iat)
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? iat + 300)
  if (options.nbf !== undefined) jwt = jwt.setNotBefore(options.nbf)
  return jwt.sign(key.privateKey)
}

/** `header.payload.` with no signature. */
export function unsignedToken(header: object, claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part(header)}.${part(claims)}.`
}
