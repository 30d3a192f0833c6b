// kill -9 trials on PostgreSQL (DATABASE_URL, else embedded) shared by worker processes.
import { after, it } from 'node:test'
import { startTestPostgres } from '../store/postgres-harness.ts'
import { runKillTrials } from './kill-trials.ts'

const postgres = await startTestPostgres()
after(() => postgres.stop())

it('survives kill -9 of a worker at random moments on PostgreSQL (20 trials)', {
  timeout: 180_000,
}, async (t) => {
  await runKillTrials(
    t,
    await postgres.migratedDatabase(),
    20,
    Number(process.env.JITGATE_TRIAL_SEED ?? 4242),
  )
})
