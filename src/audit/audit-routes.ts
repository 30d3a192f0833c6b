// HTTP routes of the audit log, for auditors: query events a page at a time (filters on
// type prefix, actor, subject and time, an opaque cursor), and verify the whole hash chain
// as `jitgate audit verify` does, naming the first broken link.
import { type Static, Type as T } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
// Not the http index: through authentication it reaches the auth feature, which imports this one.
import { ProblemSchema } from '../http/problem.ts'
import { JitgateError } from '../shared/index.ts'
import type { StoredAuditEvent } from './audit-event.ts'
import type { AuditStore } from './audit-port.ts'
import { fromStoredEvent } from './stored-event.ts'
import { verifyLog } from './verify-log.ts'

/** The query SqlAuditStore.query takes (src/store/sql-audit-query-params.ts), as far as used here. */
export interface AuditEventQuery {
  readonly typePrefix?: string
  readonly actorId?: string
  readonly subjectType?: string
  readonly subjectId?: string
  readonly since?: string
  readonly until?: string
  readonly cursor?: string
  readonly limit?: number
}

export interface AuditRouteDeps {
  /** The SqlAuditStore: `query` throws `audit_query_invalid` naming the fields at fault. */
  readonly auditStore: Pick<AuditStore, 'read' | 'latestCheckpoint'> & {
    query(query: AuditEventQuery): Promise<{
      readonly events: readonly StoredAuditEvent[]
      readonly nextCursor: string | null
      readonly hasMore: boolean
    }>
  }
}

const config = { permission: 'audit.read' } as const
const tags = ['audit']
const Text = (description: string) => T.String({ minLength: 1, maxLength: 256, description })
const Time = (description: string) => T.String({ maxLength: 40, description })

const QuerySchema = T.Object(
  {
    type: T.Optional(Text('events whose type starts with this: request. or grant.created')),
    actor: T.Optional(Text('the actor’s id')),
    subjectType: T.Optional(Text('request, grant, api_key, decision…')),
    subjectId: T.Optional(Text('only with subjectType')),
    since: T.Optional(Time('at or after, RFC 3339 UTC with milliseconds: 2026-11-23T15:00:00.000Z')),
    until: T.Optional(Time('before, written the same way')),
    cursor: T.Optional(T.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
    limit: T.Optional(T.String({ pattern: '^[1-9][0-9]{0,4}$', description: 'default 100, at most 1000' })),
  },
  { additionalProperties: false },
)
type Query = Static<typeof QuerySchema>

/** Which query parameter each field of the store's query comes from, for the 400's paths. */
const PARAMS: Readonly<Record<string, keyof Query>> = {
  typePrefix: 'type',
  actorId: 'actor',
  subjectType: 'subjectType',
  subjectId: 'subjectId',
  since: 'since',
  until: 'until',
  cursor: 'cursor',
  limit: 'limit',
}

const EventSchema = T.Object({
  seq: T.Integer(),
  id: T.String(),
  time: T.String(),
  actor: T.Object({ type: T.String(), id: T.String() }),
  type: T.String(),
  subject: T.Object({ type: T.String(), id: T.String() }),
  details: T.Record(T.String(), T.Unknown()),
  policyVersion: T.Optional(T.String()),
  prevHash: T.String(),
  hash: T.String(),
})

const PageSchema = T.Object({
  events: T.Array(EventSchema, { description: 'ascending seq order' }),
  nextCursor: T.Union([T.String(), T.Null()], {
    description: 'after this page’s last event; null on an empty page (keep your cursor to follow the log)',
  }),
  hasMore: T.Boolean(),
})

const VerifySchema = T.Object({
  ok: T.Boolean(),
  count: T.Optional(T.Integer({ description: 'events verified' })),
  head: T.Optional(T.Object({ seq: T.Integer(), hash: T.String() })),
  checkpoint: T.Optional(
    T.Integer({ description: 'verified from the checkpoint covering events up to this seq' }),
  ),
  seq: T.Optional(T.Integer({ description: 'where the chain breaks' })),
  id: T.Optional(T.String()),
  problem: T.Optional(T.String({ description: 'changed, removed, reordered, inserted or checkpoint' })),
  message: T.Optional(T.String()),
})

export function auditRoutes(deps: AuditRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: Query }>(
      '/v1/audit/events',
      {
        config,
        schema: {
          summary: 'Query the audit log',
          description:
            'Events in ascending seq order, filtered, one page at a time; details parsed. Page with `cursor` = nextCursor; asking again later with the last cursor returns the events appended since.',
          tags,
          querystring: QuerySchema,
          response: { 200: PageSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
        },
      },
      async (request) => {
        const { type, actor, limit, ...rest } = request.query
        const page = await withParamNames(() =>
          deps.auditStore.query({
            ...rest,
            ...(type === undefined ? {} : { typePrefix: type }),
            ...(actor === undefined ? {} : { actorId: actor }),
            ...(limit === undefined ? {} : { limit: Number(limit) }),
          }),
        )
        return {
          events: page.events.map(fromStoredEvent),
          nextCursor: page.nextCursor,
          hasMore: page.hasMore,
        }
      },
    )

    app.get(
      '/v1/audit/verify',
      {
        config,
        schema: {
          summary: 'Verify the audit log’s hash chain',
          description:
            'Reads the whole log (after the latest retention checkpoint, whose seal is checked) and verifies every link, as `jitgate audit verify` does. ok: the count and head; broken: where (seq, id), what (problem) and a sentence. Takes time on a large log.',
          tags,
          response: { 200: VerifySchema, 401: ProblemSchema, 403: ProblemSchema },
        },
      },
      async () => {
        const checkpoint = await deps.auditStore.latestCheckpoint()
        const events = deps.auditStore.read(checkpoint === undefined ? 1 : checkpoint.seq + 1)
        const result = await verifyLog({ events, ...(checkpoint === undefined ? {} : { checkpoint }) })
        const from = checkpoint === undefined ? {} : { checkpoint: checkpoint.seq }
        if (!result.ok) return { ...result, ...from }
        return {
          ok: true,
          count: result.count,
          head: { seq: result.lastSeq, hash: result.lastHash },
          ...from,
        }
      },
    )
  }
}

/** The store names its fields (typePrefix); the client sent query parameters (type): say those. */
async function withParamNames<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof JitgateError) || error.code !== 'audit_query_invalid') throw error
    const details = error.details.map((d) => ({
      ...d,
      path: `querystring/${PARAMS[d.path ?? ''] ?? d.path ?? ''}`,
    }))
    const first = details[0]
    throw new JitgateError(
      'audit_query_invalid',
      `the audit query is invalid: ${first?.path} ${first?.message}`,
      {
        status: 400,
        details,
      },
    )
  }
}
