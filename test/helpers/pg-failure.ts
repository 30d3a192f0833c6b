// The error a PostgreSQL client's promise rejects with, for tests that expect a statement or a
// connection to be refused: one helper for the gateway's wire, gate, masking and node tests.
import assert from 'node:assert/strict'

/** A `pg` error as the tests read it: the SQLSTATE and the fields a refusal carries. */
export type PgError = Error & { code?: string; detail?: string; hint?: string; position?: string }

/** The error `promise` rejects with; fails the test, saying `expected`, when it resolves. */
export async function failure(promise: Promise<unknown>, expected = 'expected an error'): Promise<PgError> {
  try {
    await promise
  } catch (error) {
    return error as PgError
  }
  assert.fail(expected)
}
