// Event types are dotted lowercase; a draft names every field at fault.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JitgateError } from '../shared/index.ts'
import { type AuditDraft, checkDraft, isAuditEventType, KNOWN_EVENT_TYPES } from './audit-event.ts'

describe('isAuditEventType', () => {
  const cases: [string, boolean][] = [
    ['decision.made', true],
    ['policy.reload_failed', true],
    ['dsar.export.started', true],
    ['2fa.failed', false],
    ['a2.b3', true],
    ['decision', false],
    ['Decision.Made', false],
    ['decision.', false],
    ['.made', false],
    ['decision..made', false],
    ['decision.made ', false],
    ['decision-made.x', false],
    [`a.${'b'.repeat(62)}`, true],
    [`a.${'b'.repeat(63)}`, false],
  ]
  for (const [text, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(text)}`, () => {
      assert.equal(isAuditEventType(text), expected)
    })
  }

  it('accepts every known type', () => {
    for (const type of KNOWN_EVENT_TYPES) assert.equal(isAuditEventType(type), true, type)
  })
})

describe('checkDraft', () => {
  it('lists every problem with its field', () => {
    const draft = {
      actor: { type: 'admin', id: 'x'.repeat(257) },
      type: 'Login',
      subject: { type: '', id: 'ok\ud800' },
      policyVersion: 7,
    } as unknown as AuditDraft
    assert.throws(
      () => checkDraft(draft),
      (err: unknown) =>
        err instanceof JitgateError &&
        err.code === 'audit_invalid_event' &&
        err.message === 'the audit event is invalid: /type must be dotted lowercase, like request.approved' &&
        JSON.stringify(err.details) ===
          JSON.stringify([
            { path: '/type', message: 'must be dotted lowercase, like request.approved' },
            { path: '/actor/type', message: 'must be one of user, service, system' },
            { path: '/actor/id', message: 'must be at most 256 characters' },
            { path: '/subject/type', message: 'must be a non-empty string' },
            { path: '/subject/id', message: 'must be well-formed Unicode (it holds a lone surrogate)' },
            { path: '/policyVersion', message: 'must be a non-empty string' },
          ]),
    )
  })

  it('refuses a draft without actor or subject instead of crashing', () => {
    assert.throws(() => checkDraft({ type: 'auth.failed' } as unknown as AuditDraft), JitgateError)
  })
})
