// Between an ExecutionRecord and its rows: the `executions` row and one `execution_limits`
// row per budget (migration 0003). Loading gives back exactly the record that was saved.
import type { ExecutionLimit, ExecutionRecord } from '../approvals/execution-record.ts'
import type { ExecutionLimitTable, ExecutionRow } from './schema.ts'

export function toExecutionRow(record: ExecutionRecord): ExecutionRow {
  return {
    id: record.id,
    request_id: record.requestId,
    state: record.state,
    queue_key: record.queueKey,
    queued_at: record.queuedAt,
    lease_owner: record.leaseOwner ?? null,
    lease_expires_at: record.leaseExpiresAt ?? null,
    attempts: record.attempts,
    idempotent: record.idempotent ? 1 : 0,
    idempotency_key: record.idempotencyKey,
    result_status: record.resultStatus ?? null,
    error: record.error ?? null,
    started_at: record.startedAt ?? null,
    finished_at: record.finishedAt ?? null,
    updated_at: record.updatedAt,
  }
}

export function toLimitRows(record: ExecutionRecord): ExecutionLimitTable[] {
  return record.limits.map((limit) => ({
    execution_id: record.id,
    limit_key: limit.key,
    kind: limit.kind,
    max: limit.max,
    per_seconds: limit.perSeconds ?? null,
  }))
}

function fromLimitRow(row: ExecutionLimitTable): ExecutionLimit {
  return {
    key: row.limit_key,
    kind: row.kind,
    max: Number(row.max),
    ...(row.per_seconds === null ? {} : { perSeconds: Number(row.per_seconds) }),
  }
}

export function fromExecutionRows(
  row: ExecutionRow,
  limits: readonly ExecutionLimitTable[],
): ExecutionRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    state: row.state,
    queueKey: row.queue_key,
    queuedAt: row.queued_at,
    ...(row.lease_owner === null ? {} : { leaseOwner: row.lease_owner }),
    ...(row.lease_expires_at === null ? {} : { leaseExpiresAt: row.lease_expires_at }),
    attempts: Number(row.attempts),
    idempotent: Number(row.idempotent) === 1,
    idempotencyKey: row.idempotency_key,
    ...(row.result_status === null ? {} : { resultStatus: Number(row.result_status) }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.started_at === null ? {} : { startedAt: row.started_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    updatedAt: row.updated_at,
    limits: [...limits]
      .sort((a, b) => (a.limit_key < b.limit_key ? -1 : a.limit_key > b.limit_key ? 1 : 0))
      .map(fromLimitRow),
  }
}
