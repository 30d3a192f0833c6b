// The execution contract on a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeExecutions } from './execution-suite.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-executions-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

describeExecutions({
  dialect: 'sqlite',
  newDatabase: async () => `sqlite:${join(dir, `executions-${files++}.db`)}`,
})
