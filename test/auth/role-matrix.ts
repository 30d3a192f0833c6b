// The role matrix the tests expect, written out independently of src/auth/permissions.ts,
// so that a change there must be made here too, on purpose.
import type { Permission, Role } from '../../src/auth/index.ts'

// biome-ignore format: a table reads best as a table
export const EXPECTED_MATRIX: Readonly<Record<Permission, readonly Role[]>> = {
  'decision.evaluate': ['requester'],
  'request.create':    ['requester'],
  'request.read':      ['requester', 'approver', 'auditor'],
  'request.approve':   ['approver'],
  'grant.revoke':      ['approver'],
  'audit.read':        ['auditor'],
  'policy.read':       ['approver', 'admin', 'auditor'],
  'keys.manage':       ['admin'],
  'webhooks.manage':   ['admin'],
  'metrics.read':      ['admin', 'auditor'],
}
