// The API key service on a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeApiKeyStore } from './api-key-store-suite.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-keys-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

describeApiKeyStore({
  dialect: 'sqlite',
  newDatabase: async () => `sqlite:${join(dir, `keys-${files++}.db`)}`,
})
