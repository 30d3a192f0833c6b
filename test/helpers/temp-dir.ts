// Temporary directories for tests, removed when the test ends.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'

/** A fresh directory with `files` (relative path → text) written into it. */
export async function tempDir(t: TestContext, files: Readonly<Record<string, string>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFiles(dir, files)
  return dir
}

export async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true })
    await writeFile(join(dir, name), text)
  }
}
