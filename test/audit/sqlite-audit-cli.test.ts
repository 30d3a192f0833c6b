// `jitgate audit` as real processes on real SQLite files.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeAuditCli } from './audit-cli-contract.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-audit-cli-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

describeAuditCli('SQLite', async () => `sqlite:${join(dir, `audit-${files++}.db`)}`)
