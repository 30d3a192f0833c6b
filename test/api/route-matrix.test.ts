// Every route of the API against every role, over real HTTP: no credentials → 401, a role
// without the route's permission → 403 permission_denied, a role with it → past the
// permission check. The table must list every operation /openapi.json publishes, so a new
// route cannot skip this test.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Permission } from '../../src/auth/index.ts'
import { EXPECTED_MATRIX } from '../auth/role-matrix.ts'
import { startApiServer, type User } from './api-harness.ts'

// biome-ignore format: a table reads best as a table
const ROUTES: readonly (readonly [method: string, path: string, permission: Permission])[] = [
  ['POST',   '/v1/requests',                  'request.create'],
  ['GET',    '/v1/requests',                  'request.read'],
  ['GET',    '/v1/requests/{id}',             'request.read'],
  ['GET',    '/v1/requests/{id}/wait',        'request.read'],
  ['POST',   '/v1/requests/{id}/approve',     'request.approve'],
  ['POST',   '/v1/requests/{id}/reject',      'request.approve'],
  ['POST',   '/v1/requests/{id}/cancel',      'request.create'],
  ['POST',   '/v1/requests/{id}/comments',    'request.read'],
  ['GET',    '/v1/events',                    'request.read'],
  ['GET',    '/v1/grants',                    'request.read'],
  ['POST',   '/v1/grants/{id}/revoke',        'grant.revoke'],
  ['GET',    '/v1/audit/events',              'audit.read'],
  ['GET',    '/v1/audit/verify',              'audit.read'],
  ['POST',   '/v1/keys',                      'keys.manage'],
  ['GET',    '/v1/keys',                      'keys.manage'],
  ['DELETE', '/v1/keys/{id}',                 'keys.manage'],
]

/** One user per role. */
const BY_ROLE = { requester: 'alice', approver: 'carol', admin: 'root', auditor: 'erin' } as const

const concrete = (path: string) => path.replace('{id}', 'no-such-id')

it('checks the role matrix of every route', async (t) => {
  const s = await startApiServer(t)

  await t.test('the table lists every published operation', async () => {
    const doc = (await (await s.call(undefined, 'GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const published = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    )
    assert.deepEqual(published.sort(), ROUTES.map(([method, path]) => `${method} ${path}`).sort())
  })

  for (const [method, path] of ROUTES)
    await t.test(`${method} ${path} answers 401 without credentials`, async () => {
      const res = await s.json(undefined, method, concrete(path), method === 'GET' ? undefined : {})
      assert.equal(res.status, 401)
      assert.equal((res.body as { code: string }).code, 'authentication_required')
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/)
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="jitgate"')
    })

  for (const [method, path, permission] of ROUTES)
    for (const [role, user] of Object.entries(BY_ROLE) as [keyof typeof BY_ROLE, User][]) {
      const allowed = EXPECTED_MATRIX[permission].includes(role)
      await t.test(`${method} ${path} as ${role}: ${allowed ? 'allowed' : '403'}`, async () => {
        const abort = new AbortController()
        const res = await s.call(user, method, concrete(path), method === 'GET' ? undefined : {}, {
          signal: abort.signal,
        })
        // The event stream would stay open: its status line is the answer.
        const body = res.headers.get('content-type')?.startsWith('text/event-stream')
          ? {}
          : ((await res.json()) as { code?: string })
        abort.abort()
        if (allowed) {
          assert.notEqual(res.status, 401)
          assert.notEqual(body.code, 'permission_denied', `${role} should hold ${permission}`)
        } else {
          assert.equal(res.status, 403)
          assert.equal(body.code, 'permission_denied')
        }
      })
    }
})
