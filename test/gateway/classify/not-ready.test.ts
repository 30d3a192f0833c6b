// Before `initClassifier()` the classifier refuses with a clear error rather than libpg-query's
// own. (Each test file runs in its own process, so nothing has loaded the parser here.)
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { ClassifierNotReadyError, classify, statementFingerprint } from '../../../src/gateway/index.ts'

it('refuses to classify before the parser is loaded', () => {
  assert.throws(
    () => classify('select 1'),
    (e: unknown) =>
      e instanceof ClassifierNotReadyError &&
      e.code === 'sql_classifier_not_ready' &&
      e.message === 'the SQL classifier was used before it was loaded' &&
      e.details[0]?.hint === 'await initClassifier() once at start',
  )
  assert.throws(() => statementFingerprint('select 1'), ClassifierNotReadyError)
})
