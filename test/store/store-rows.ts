// Rows for store tests: valid by default, one field changed where a test needs it.
import type { NewApprovalRequest, NewExecution } from '../../src/store/index.ts'

export const T0 = '2026-11-23T10:00:00.000Z'
export const T1 = '2026-11-23T11:00:00.000Z'

export function requestRow(id: string, overrides: Partial<NewApprovalRequest> = {}): NewApprovalRequest {
  return {
    id,
    state: 'pending',
    requester_id: 'alice',
    requester: JSON.stringify({ id: 'alice', groups: ['engineers'] }),
    verb: 'db.query',
    resource: 'pg://prod/customers',
    purpose: 'support',
    input: '{}',
    decision: '{}',
    policy_version: 'v1',
    reason: 'ticket 42',
    grant_start_at: null,
    grant_seconds: 900,
    created_at: T0,
    updated_at: T0,
    expires_at: T1,
    ...overrides,
  }
}

export function executionRow(id: string, requestId: string, queuedAt: string): NewExecution {
  return {
    id,
    request_id: requestId,
    queue_key: 'global',
    queued_at: queuedAt,
    idempotent: 1,
    idempotency_key: `key-${id}`,
    updated_at: queuedAt,
  }
}

/** Resolves with what `received` holds once it has `count` items, or rejects after `ms`. */
export async function waitFor<T>(received: T[], count: number, ms = 5_000): Promise<T[]> {
  const deadline = Date.now() + ms
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${count} items, got ${received.length}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return received
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A promise and the function that resolves it (Promise.withResolvers needs Node 22). */
export function signal(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}
