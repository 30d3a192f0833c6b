// Prometheus metrics at /metrics (permission metrics.read: a scraper uses an API key with
// the auditor or admin role). Decisions are counted as this node makes them; requests by
// state, approval latency and the audit log's length are read from the shared store at
// scrape time, so they agree across nodes; rate() over jitgate_audit_events gives the
// append rate.
import type { FastifyPluginAsync } from 'fastify'
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { REQUEST_STATES } from '../approvals/index.ts'
import type { Effect } from '../policy/index.ts'
import { type DatabaseHandle, storeFigures } from '../store/index.ts'

const APPROVAL_WINDOW_MS = 60 * 60 * 1000

export interface Metrics {
  countDecision(effect: Effect): void
  readonly routes: FastifyPluginAsync
}

export function createMetrics(handle: Pick<DatabaseHandle, 'db'>, now: () => Date): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'jitgate_' })
  const decisions = new Counter({
    name: 'jitgate_decisions_total',
    help: 'Decisions this node made, by effect',
    labelNames: ['effect'],
    registers: [registry],
  })
  const requests = new Gauge({
    name: 'jitgate_requests',
    help: 'Approval requests in the store, by state',
    labelNames: ['state'],
    registers: [registry],
  })
  const latency = new Gauge({
    name: 'jitgate_approval_latency_seconds',
    help: 'Time from request to approval of the requests approved in the last hour (quantiles)',
    labelNames: ['quantile'],
    registers: [registry],
  })
  const approved = new Gauge({
    name: 'jitgate_approvals_last_hour',
    help: 'Requests approved in the last hour',
    registers: [registry],
  })
  const audit = new Gauge({
    name: 'jitgate_audit_events',
    help: 'Events in the audit log (its head seq); rate() of it is the append rate',
    registers: [registry],
  })
  const scrape = async (): Promise<void> => {
    const figures = await storeFigures(handle, new Date(now().getTime() - APPROVAL_WINDOW_MS).toISOString())
    for (const state of REQUEST_STATES) requests.set({ state }, figures.requestsByState[state] ?? 0)
    const sorted = figures.approvalSeconds
    approved.set(sorted.length)
    for (const q of [0.5, 0.9, 0.99]) {
      const at = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
      if (at === undefined) latency.remove({ quantile: String(q) })
      else latency.set({ quantile: String(q) }, at)
    }
    audit.set(figures.auditEvents)
  }
  return {
    countDecision: (effect) => decisions.inc({ effect }),
    routes: async (app) => {
      app.get(
        '/metrics',
        {
          config: { permission: 'metrics.read' },
          schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'] },
        },
        async (_request, reply) => {
          await scrape()
          return reply.type(registry.contentType).send(await registry.metrics())
        },
      )
    },
  }
}
