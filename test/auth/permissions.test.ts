// The role matrix, cell by cell, and how scopes narrow it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { can, PERMISSIONS, type Permission, permissionsOf, ROLES, type Role } from '../../src/auth/index.ts'
import { EXPECTED_MATRIX } from './role-matrix.ts'

const MATRIX = EXPECTED_MATRIX

describe('role matrix', () => {
  for (const role of ROLES) {
    for (const permission of PERMISSIONS) {
      const allowed = MATRIX[permission].includes(role)
      it(`${role} ${allowed ? 'has' : 'lacks'} ${permission}`, () => {
        assert.equal(can({ roles: [role] }, permission), allowed)
      })
    }
  }

  it('gives several roles the union of their permissions', () => {
    assert.deepEqual(permissionsOf({ roles: ['requester', 'auditor'] }), [
      'decision.evaluate',
      'request.create',
      'request.read',
      'audit.read',
      'policy.read',
      'metrics.read',
    ])
  })

  it('gives no roles, and roles it does not know, nothing', () => {
    assert.deepEqual(permissionsOf({ roles: [] }), [])
    assert.equal(can({ roles: ['root' as Role] }, 'keys.manage'), false)
    assert.equal(can({ roles: ['constructor' as Role] }, 'keys.manage'), false)
  })

  it('narrows to the scopes, which never widen the roles', () => {
    const holder = { roles: ['approver'] as Role[], scopes: ['request.read', 'audit.read'] as Permission[] }
    assert.deepEqual(permissionsOf(holder), ['request.read'])
    assert.equal(can(holder, 'request.read'), true)
    assert.equal(can(holder, 'request.approve'), false)
    assert.equal(can(holder, 'audit.read'), false)
    assert.equal(can({ roles: ['admin'], scopes: [] }, 'keys.manage'), false)
  })
})
