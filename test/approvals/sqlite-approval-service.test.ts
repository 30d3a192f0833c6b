// The approval service contract on a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeApprovalService } from './approval-service-suite.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-approvals-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

describeApprovalService({
  dialect: 'sqlite',
  newDatabase: async () => `sqlite:${join(dir, `approvals-${files++}.db`)}`,
})
