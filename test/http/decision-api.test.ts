// The decision API end to end: a real server on 127.0.0.1, real HTTP, real files.
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it, type TestContext } from 'node:test'
import { loadConfig } from '../../src/config/index.ts'
import { READ_ACTION, SAMPLE_POLICY } from '../helpers/sample-policies.ts'
import { tempDir } from '../helpers/temp-dir.ts'
import { keyFor, startTestServer } from '../helpers/test-server.ts'

async function serve(t: TestContext, configYaml?: string) {
  const dir = await tempDir(t, { 'sample.yaml': SAMPLE_POLICY })
  const server = await startTestServer(t, dir, {}, configYaml)
  const token = await keyFor(server, { id: 'alice', roles: ['requester', 'approver'], groups: ['eng'] })
  const auth = { authorization: `Bearer ${token}` }
  const post = (
    path: string,
    body: unknown,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...auth, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (path: string) => fetch(`${server.url}${path}`, { headers: auth })
  return { server, dir, post, get }
}

describe('POST /v1/decisions', () => {
  it('returns the decision with obligations, rules and policy version', async (t) => {
    const { post, server } = await serve(t)
    const res = await post('/v1/decisions', READ_ACTION)
    assert.equal(res.status, 200)
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
    const body = (await res.json()) as Record<string, unknown>
    assert.equal(body.effect, 'allow')
    assert.deepEqual(body.obligations, { rowLimit: 100 })
    assert.deepEqual(
      (body.rules as { name: string }[]).map((r) => r.name),
      ['dba-reads'],
    )
    assert.equal(body.policyVersion, server.node.registry.current.version)
    assert.equal(body.explanation, undefined)
  })

  it('explains every considered rule with ?explain=true', async (t) => {
    const { post } = await serve(t)
    const res = await post('/v1/decisions?explain=true', {
      ...READ_ACTION,
      context: { kind: 'write', time: '2026-03-02T10:00:00Z' },
    })
    const body = (await res.json()) as {
      effect: string
      explanation: { rule: { name: string }; outcome: string; detail: string }[]
    }
    assert.equal(body.effect, 'require_approval')
    assert.deepEqual(
      body.explanation.map((e) => [e.rule.name, e.outcome]),
      [
        ['no-ddl', 'not_matched'],
        ['writes-need-approval', 'matched'],
        ['dba-reads', 'skipped'],
      ],
    )
    assert.equal(body.explanation[0]?.detail, 'context.kind == "ddl" → false')
  })

  it('fills in context.time from the server clock when absent', async (t) => {
    const { post } = await serve(t)
    const res = await post('/v1/decisions', { ...READ_ACTION, context: { kind: 'read' } })
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { effect: string }).effect, 'allow')
  })

  const badInputs: [string, unknown, string[]][] = [
    ['missing resource', { action: 'db.query' }, ['body/resource is required']],
    ['unknown field', { ...READ_ACTION, actr: {} }, ['body/actr is not a known field']],
    ['wrong type', { ...READ_ACTION, action: 42 }, ['body/action must be string']],
    ['empty action', { ...READ_ACTION, action: '' }, ['body/action must NOT have fewer than 1 characters']],
    [
      'facts a client claims (the server holds them)',
      { ...READ_ACTION, facts: { grants: [] } },
      ['body/facts is not a known field'],
    ],
  ]
  for (const [name, body, expected] of badInputs) {
    it(`answers 400 problem+json with field paths for ${name}`, async (t) => {
      const { post } = await serve(t)
      const res = await post('/v1/decisions', body)
      assert.equal(res.status, 400)
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8')
      const problem = (await res.json()) as {
        code: string
        requestId: string
        errors: { path: string; message: string }[]
      }
      assert.equal(problem.code, 'invalid_request')
      assert.equal(problem.requestId, res.headers.get('x-request-id'))
      const got = problem.errors.map((e) => `${e.path} ${e.message}`)
      for (const e of expected)
        assert.ok(
          got.some((g) => g.startsWith(e)),
          `expected '${e}' among ${JSON.stringify(got)}`,
        )
    })
  }

  it('answers 400, not 500, for malformed JSON and a wrong content type', async (t) => {
    const { post } = await serve(t)
    const broken = await post('/v1/decisions', '{"actor": ')
    assert.equal(broken.status, 400)
    assert.equal(((await broken.json()) as { code: string }).code, 'invalid_json')
    const text = await post('/v1/decisions', '<a/>', { 'content-type': 'application/xml' })
    assert.equal(text.status, 415)
    const problem = (await text.json()) as { code: string; detail: string }
    assert.equal(problem.code, 'unsupported_media_type')
  })

  it('answers 404 problem+json for unknown routes, once authenticated', async (t) => {
    const { server, get } = await serve(t)
    const res = await get('/v1/nope')
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as { code: string }).code, 'not_found')
    assert.equal((await fetch(`${server.url}/v1/nope`)).status, 401)
  })

  it('takes the actor from the credentials, and records the decision in the audit log', async (t) => {
    const { server, post } = await serve(t)
    const res = await post('/v1/decisions', READ_ACTION)
    const body = (await res.json()) as { decisionId: string; effect: string }
    assert.equal(body.effect, 'allow')
    const page = await server.node.auditStore.query({ subjectType: 'decision', subjectId: body.decisionId })
    const event = page.events[0]
    assert.equal(event?.type, 'decision.made')
    assert.equal(event?.actor.id, 'alice')
    assert.deepEqual(JSON.parse(event?.detailsJson ?? '{}').rules, ['dba-reads'])
  })

  it('refuses a call without credentials, and one whose role lacks the permission', async (t) => {
    const { server } = await serve(t)
    const anonymous = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(READ_ACTION),
    })
    assert.equal(anonymous.status, 401)
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/)
    const auditor = await keyFor(server, { id: 'audrey', roles: ['auditor'] })
    const denied = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auditor}` },
      body: JSON.stringify(READ_ACTION),
    })
    assert.equal(denied.status, 403)
  })

  it('refuses a caller past the configured decision limit with 429 and Retry-After', async (t) => {
    const { post, server } = await serve(t, 'server: { decisionLimit: { max: 3, window: 1m } }')
    for (let i = 0; i < 3; i++) assert.equal((await post('/v1/decisions', READ_ACTION)).status, 200)
    const refused = await post('/v1/decisions', READ_ACTION)
    assert.equal(refused.status, 429)
    assert.ok(Number(refused.headers.get('retry-after')) >= 1)
    const body = (await refused.json()) as { code: string; detail: string }
    assert.equal(body.code, 'decision_rate_limited')
    assert.match(body.detail, /at most 3 decisions may be asked for per 60 s/)
    const other = await keyFor(server, { id: 'bob', roles: ['requester'], groups: ['eng'] })
    const bobs = await fetch(`${server.url}/v1/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
      body: JSON.stringify(READ_ACTION),
    })
    assert.equal(bobs.status, 200, 'each caller has a budget of its own')
  })
})

describe('GET /openapi.json', () => {
  it('documents the decision endpoint with its schemas', async (t) => {
    const { server } = await serve(t)
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>
    }
    assert.equal(doc.openapi, '3.1.0')
    const op = doc.paths['/v1/decisions']?.post
    assert.ok(op?.requestBody, 'request body documented')
    assert.ok(op?.responses['200'] && op.responses['400'])
    assert.ok(doc.paths['/v1/policy']?.get)
  })
})

describe('GET /v1/policy', () => {
  it('shows the set in force and, after a broken reload, the errors while the last good set stays', async (t) => {
    const { server, dir, post, get } = await serve(t)
    const before = server.node.registry.current.version
    await writeFile(join(dir, 'sample.yaml'), SAMPLE_POLICY.replace('effect: deny', 'effect: dney'))
    const result = await server.node.registry.reload()
    assert.equal(result.ok, false)
    const status = (await (await get('/v1/policy')).json()) as {
      version: string
      lastFailure?: { errors: { file: string; line: number; column: number; message: string }[] }
    }
    assert.equal(status.version, before)
    const error = status.lastFailure?.errors[0]
    assert.equal(error?.file, join(dir, 'sample.yaml'))
    assert.equal(error?.line, 9)
    assert.equal(error?.column, 13)
    assert.equal(
      error?.message,
      `'rules.0.effect' must be one of allow, deny, require_approval, require_consent; got "dney"`,
    )
    const res = await post('/v1/decisions', READ_ACTION)
    assert.equal(((await res.json()) as { policyVersion: string }).policyVersion, before)
  })
})

describe('configuration', () => {
  it('refuses a host that is not an address and a port that is not a number, listing every problem', () => {
    assert.throws(
      () =>
        loadConfig({
          flags: { host: 'example.com', port: 'eighty' },
          env: { JITGATE_LOG_LEVEL: 'loud' },
          cwd: '/',
        }),
      (err: Error & { code: string; details: { path: string }[] }) => {
        assert.equal(err.code, 'config_invalid')
        assert.deepEqual(
          err.details.map((d) => d.path),
          ['--host', '--port', 'JITGATE_LOG_LEVEL'],
        )
        return true
      },
    )
  })
})
