// kill -9 trials on a SQLite file shared by worker processes.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { runKillTrials } from './kill-trials.ts'

it('survives kill -9 of a worker at random moments on SQLite (20 trials)', {
  timeout: 180_000,
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jitgate-kill-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await runKillTrials(
    t,
    `sqlite:${join(dir, 'store.db')}`,
    20,
    Number(process.env.JITGATE_TRIAL_SEED ?? 4242),
  )
})
