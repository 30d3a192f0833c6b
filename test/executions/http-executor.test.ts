// The HTTP executor against a real endpoint on 127.0.0.1: the Idempotency-Key header, the
// status without the body, a refused path never called, a timeout, a closed port, and a
// configuration with several problems reported at once.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RequestedAction } from '../../src/approvals/approval-request.ts'
import { HttpExecutor } from '../../src/approvals/executors/http-executor.ts'
import { closeAfter, executors, startEndpoint } from './execution-fixtures.ts'

function call(path: string, extra: Record<string, unknown> = {}): RequestedAction {
  return {
    action: 'http.call',
    resource: `http://accounts${path}`,
    context: { endpoint: 'accounts', method: 'POST', path, ...extra },
  }
}

const options = () => ({ idempotencyKey: 'key-1', signal: new AbortController().signal })

describe('HTTP executor', () => {
  it('sends the idempotency key and records the status, not the body', async (t) => {
    const endpoint = await startEndpoint()
    closeAfter(t, endpoint)
    const executor = executors(endpoint.url).forVerb('http.call')
    assert.ok(executor !== undefined)
    assert.deepEqual(await executor.execute(call('/cus_1/reset'), options()), {
      status: 'ok',
      resultStatus: 200,
    })
    assert.deepEqual([...endpoint.calls.entries()], [['key-1', 1]])
    endpoint.respond = () => ({ status: 404, delayMs: 0 })
    assert.deepEqual(await executor.execute(call('/cus_1/reset'), options()), {
      status: 'failed',
      resultStatus: 404,
      detail: 'HTTP 404',
    })
  })

  it('refuses what the configuration does not allow, without calling', async (t) => {
    const endpoint = await startEndpoint()
    closeAfter(t, endpoint)
    const executor = executors(endpoint.url).forVerb('http.call')
    assert.ok(executor !== undefined)
    const cases: [RequestedAction, string][] = [
      [call('/../admin'), 'context.path is not allowed for this endpoint'],
      [call('/a%2F..%2Fadmin'), 'context.path is not allowed for this endpoint'],
      [call('/x?admin=1'), 'context.path is not allowed for this endpoint'],
      [call('/x', { method: 'DELETE' }), 'context.method is not allowed for this endpoint'],
      [call('/x', { endpoint: 'billing' }), 'context.endpoint names no configured endpoint'],
      [{ action: 'http.call', resource: 'http://x' }, 'context.endpoint is missing'],
      [
        { ...call('/cus_1/delete'), resource: 'http://accounts/cus_1/reset' },
        'the call (context.endpoint and context.path) is not the approved resource',
      ],
    ]
    for (const [action, detail] of cases)
      assert.deepEqual(await executor.execute(action, options()), { status: 'failed', detail })
    assert.equal(endpoint.calls.size, 0)
  })

  it('gives up after the timeout, and reports a closed port by its code', async (t) => {
    const endpoint = await startEndpoint()
    closeAfter(t, endpoint)
    endpoint.respond = () => ({ status: 200, delayMs: 500 })
    const slow = executors(endpoint.url, 50).forVerb('http.call')
    assert.deepEqual(await slow?.execute(call('/x'), options()), {
      status: 'failed',
      detail: 'no response within 50 ms',
    })
    const closed = await startEndpoint()
    await closed.close()
    const refused = executors(closed.url).forVerb('http.call')
    assert.deepEqual(await refused?.execute(call('/x'), options()), {
      status: 'failed',
      detail: 'the call failed: ECONNREFUSED',
    })
  })

  it('lists every problem of its configuration at once', () => {
    assert.throws(
      () =>
        new HttpExecutor({
          idempotent: true,
          timeoutMs: 0,
          endpoints: { a: { baseUrl: 'ftp://x', methods: ['GET', 'TRACE' as 'GET'], paths: ['x'] } },
        }),
      (error: Error & { code?: string; details?: unknown }) => {
        assert.equal(error.code, 'invalid_config')
        assert.deepEqual(error.details, [
          { path: 'timeoutMs', message: 'must be an integer from 1 to 600000' },
          { path: 'endpoints.a.baseUrl', message: 'must be an http or https URL' },
          { path: 'endpoints.a.methods[1]', message: 'must be one of GET, POST, PUT, PATCH, DELETE' },
          { path: 'endpoints.a.paths[0]', message: "must start with '/'" },
        ])
        return true
      },
    )
  })
})
