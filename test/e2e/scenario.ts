// Issue 5's scenario over HTTP, whatever runs the nodes: a support agent asks to reset a
// customer's account (a peer AND a lead must approve), waits on node A, her own approval is
// refused, a peer and a lead approve on node B, the waiting client is unblocked, jitgate
// calls the accounts service exactly once, and the audit log verifies.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'

export interface ScenarioNodes {
  /** Where the request is created and waited on. */
  readonly a: string
  /** Where it is approved. */
  readonly b: string
  readonly tokens: { readonly sasha: string; readonly tom: string; readonly lena: string }
}

/** The accounts service: counts the calls per Idempotency-Key. */
export async function startAccounts(): Promise<{ url: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = []
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      calls.push(`${req.method} ${req.url} ${String(req.headers['idempotency-key'])}`)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((r) => server.close(() => r())) }
}

/** The executors section of a configuration file pointing at `accountsUrl`. */
export function executorsYaml(accountsUrl: string): string {
  return [
    'executors:',
    '  http:',
    '    idempotent: true',
    '    timeout: 5s',
    '    endpoints:',
    `      accounts: { baseUrl: "${accountsUrl}/accounts", methods: [POST], paths: ["/**"] }`,
    'work: { sweepEvery: 1s }',
  ].join('\n')
}

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

interface View {
  readonly id: string
  readonly state: string
}

export async function runScenario(nodes: ScenarioNodes, accounts: { calls: string[] }): Promise<string> {
  const { a, b, tokens } = nodes
  const created = await call(a, tokens.sasha, 'POST', '/v1/requests', {
    action: 'http.call',
    resource: 'http://accounts/c-1042/reset',
    reason: 'locked out, ticket 4711',
    context: { endpoint: 'accounts', method: 'POST', path: '/c-1042/reset' },
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const request = created.body.request as View
  assert.equal(request.state, 'pending')

  const waiting = call(a, tokens.sasha, 'GET', `/v1/requests/${request.id}/wait?timeout=60s&state=pending`)
  const own = await call(b, tokens.sasha, 'POST', `/v1/requests/${request.id}/approve`, {})
  assert.ok(own.status === 403 || own.status === 409, `her own approval is refused: ${own.status}`)

  const peer = await call(b, tokens.tom, 'POST', `/v1/requests/${request.id}/approve`, {
    comment: 'ticket checked',
  })
  assert.equal(peer.status, 200, JSON.stringify(peer.body))
  assert.equal((peer.body as unknown as View).state, 'pending', 'one step of two')
  const lead = await call(b, tokens.lena, 'POST', `/v1/requests/${request.id}/approve`, {})
  assert.equal(lead.status, 200, JSON.stringify(lead.body))

  const waited = await waiting
  assert.equal(waited.status, 200)
  assert.notEqual((waited.body.request as View).state, 'pending', 'the waiting client is unblocked')

  let state = ''
  for (let i = 0; i < 200 && state !== 'executed'; i++) {
    state = ((await call(a, tokens.sasha, 'GET', `/v1/requests/${request.id}`)).body as unknown as View).state
    if (state !== 'executed') await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.equal(state, 'executed')
  assert.equal(accounts.calls.length, 1, `called once: ${JSON.stringify(accounts.calls)}`)
  assert.match(accounts.calls[0] ?? '', /^POST \/accounts\/c-1042\/reset [0-9a-f-]{36}$/)
  return request.id
}
