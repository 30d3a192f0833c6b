// The issue-4 walk-through on a real SQLite file; `jitgate audit verify` is given the plain
// file path, and each tampering works on a copy of the file.
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { describeWalkthrough } from './walkthrough-suite.ts'

const dir = await mkdtemp(join(tmpdir(), 'jitgate-walkthrough-'))
after(() => rm(dir, { recursive: true, force: true }))
let files = 0

describeWalkthrough({
  dialect: 'sqlite',
  newDatabase: async () => join(dir, `walkthrough-${files++}.db`),
  copyDatabase: async (path) => {
    // Closing the last connection checkpoints the WAL into the file, so the file is the database.
    const copy = join(dir, `copy-${files++}.db`)
    await copyFile(path, copy)
    return copy
  },
})
