// The notification contract on a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeChannels } from './channels-suite.ts'
import { describeDispatch } from './dispatch-suite.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-notify-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0
const target = {
  dialect: 'sqlite' as const,
  newDatabase: async () => `sqlite:${join(dir, `notify-${files++}.db`)}`,
}

describeDispatch(target)
describeChannels(target)
