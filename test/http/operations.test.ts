// The operational endpoints of a node over real HTTP: health and readiness without
// credentials, Prometheus metrics for auditors and admins only, and a config change audited.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { READ_ACTION, SAMPLE_POLICY } from '../helpers/sample-policies.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { keyFor, startTestServer } from '../helpers/test-server.ts'

describe('operations', () => {
  it('answers /healthz and /readyz without credentials', async (t) => {
    const server = await startTestServer(t, await tempDir(t, { 'sample.yaml': SAMPLE_POLICY }))
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' })
    assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready' })
  })

  it('serves Prometheus metrics to an auditor, counting decisions and requests by state', async (t) => {
    const server = await startTestServer(t, await tempDir(t, { 'sample.yaml': SAMPLE_POLICY }))
    const alice = await keyFor(server, { id: 'alice', roles: ['requester'], groups: ['eng'] })
    const auditor = await keyFor(server, { id: 'audrey', roles: ['auditor'] })
    const decided = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
      body: JSON.stringify(READ_ACTION),
    })
    assert.equal(decided.status, 200)
    const metrics = (token: string) =>
      fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    const res = await metrics(auditor)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/)
    const text = await res.text()
    assert.match(text, /^jitgate_decisions_total\{effect="allow"\} 1$/m)
    assert.match(text, /^jitgate_requests\{state="pending"\} 0$/m)
    assert.match(text, /^jitgate_audit_events \d+$/m)
    assert.equal((await metrics(alice)).status, 403)
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401)
  })

  it('records the configuration and the policy set in force when it starts', async (t) => {
    const server = await startTestServer(t, await tempDir(t, { 'sample.yaml': SAMPLE_POLICY }))
    const page = await server.node.auditStore.query({ typePrefix: 'config.' })
    assert.equal(page.events.length, 1)
    const policy = await server.node.auditStore.query({ typePrefix: 'policy.' })
    assert.equal(policy.events[0]?.policyVersion, server.node.registry.current.version)
  })
})

describe('GET /v1/me', () => {
  it('tells any authenticated caller who they are, and nobody else', async (t) => {
    const server = await startTestServer(t, await tempDir(t, { 'sample.yaml': SAMPLE_POLICY }))
    const token = await keyFor(server, { id: 'audrey', roles: ['auditor'], groups: ['privacy'] })
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    assert.equal(me.status, 200)
    const body = (await me.json()) as { id: string; roles: string[]; groups: string[]; permissions: string[] }
    assert.deepEqual([body.id, body.roles, body.groups], ['audrey', ['auditor'], ['privacy']])
    assert.ok(body.permissions.includes('audit.read'))
    assert.equal((await fetch(`${server.url}/v1/me`)).status, 401)
  })
})

describe('the configuration file', () => {
  it('points at every mistake in the auth and notify sections, at file:line:col', async () => {
    const { loadConfig } = await import('../../src/config/index.ts')
    const text = [
      'auth:',
      '  rateLimit: { maxFailure: 5, window: 1m }',
      'notify:',
      '  email: { host: smtp.example.com, port: "587", from: a@example.com, addresses: {} }',
    ].join('\n')
    assert.throws(
      () => loadConfig({ file: { path: 'jitgate.yaml', text }, flags: {}, env: {}, cwd: '/' }),
      (error: {
        code: string
        details: { file: string; line: number; message: string; hint?: string }[]
      }) => {
        assert.equal(error.code, 'config_invalid')
        assert.deepEqual(
          error.details.map((d) => [d.file, d.line]),
          [
            ['jitgate.yaml', 2],
            ['jitgate.yaml', 4],
          ],
        )
        assert.equal(error.details[0]?.hint, "did you mean 'maxFailures'?")
        return true
      },
    )
  })
})

describe('the server’s own context', () => {
  it('decides at the server’s time and address, whatever the client claims', async (t) => {
    const policy = [
      'kind: Policy',
      'name: origin',
      'rules:',
      '  - name: from-the-office',
      '    effect: allow',
      '    match: { verbs: data.read, resources: "svc://office/**" }',
      '    when: in_cidr(context.ip, "10.0.0.0/8")',
      '  - name: in-1999',
      '    effect: allow',
      '    match: { verbs: data.read, resources: "svc://past/**" }',
      '    when: context.time.startsWith("1999")',
      '  - name: from-here',
      '    effect: allow',
      '    match: { verbs: data.read, resources: "svc://here/**" }',
      '    when: context.ip == "127.0.0.1" && context.client == "probe/1"',
    ].join('\n')
    const server = await startTestServer(t, await tempDir(t, { 'origin.yaml': policy }))
    const token = await keyFor(server, { id: 'mallory', roles: ['requester'] })
    const decide = async (resource: string) => {
      const res = await fetch(`${server.url}/v1/decisions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'user-agent': 'probe/1',
        },
        body: JSON.stringify({
          action: 'data.read',
          resource,
          context: { ip: '10.1.2.3', time: '1999-12-31T23:00:00Z', client: 'trusted-app' },
        }),
      })
      return ((await res.json()) as { effect: string }).effect
    }
    assert.equal(await decide('svc://office/a'), 'deny', 'a claimed address does not count')
    assert.equal(await decide('svc://past/a'), 'deny', 'a claimed time does not count')
    assert.equal(await decide('svc://here/a'), 'allow', 'the address and client the server saw do')
  })
})
