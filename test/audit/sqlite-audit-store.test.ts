// The AuditStore contract and the query API on a real SQLite file (WAL, synchronous=FULL).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeAuditQueryContract } from './sql-audit-query-contract.ts'
import { type AuditStoreTarget, describeAuditStoreContract } from './sql-audit-store-contract.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-audit-sqlite-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

const target: AuditStoreTarget = {
  dialect: 'sqlite',
  database: async () => `sqlite:${join(dir, `audit-${files++}.db`)}`,
  // One handle per SQLite file per process (ADR 2): the second writer shares it.
  secondNode: async (_t, _url, first) => first,
}

describeAuditStoreContract(target)
describeAuditQueryContract(target)
