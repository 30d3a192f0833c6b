// From verified claims to a principal: claim paths, group lists of every odd shape, and
// roles per group, with input chosen to trip a careless lookup.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type ClaimMapping, claimAt, groupsIn, principalFromClaims, rolesFor } from '../../src/auth/index.ts'

const MAPPING: ClaimMapping = {
  userIdClaim: 'sub',
  groupsClaim: 'groups',
  groupRoles: { 'sec-team': ['approver'], dpo: ['auditor'], ops: ['admin', 'approver'] },
  defaultRoles: ['requester'],
}

describe('OIDC claims', () => {
  const paths: [string, Record<string, unknown>, string, unknown][] = [
    ['a top-level claim', { groups: ['a'] }, 'groups', ['a']],
    ['a nested claim', { realm_access: { roles: ['a'] } }, 'realm_access.roles', ['a']],
    [
      'a namespaced claim holding dots',
      { 'https://example.com/groups': ['a'] },
      'https://example.com/groups',
      ['a'],
    ],
    ['a missing claim', {}, 'groups', undefined],
    ['a path through a non-object', { realm_access: 'x' }, 'realm_access.roles', undefined],
    ['a path through an array', { realm_access: [{ roles: ['a'] }] }, 'realm_access.0.roles', undefined],
    ['an inherited property', {}, 'constructor', undefined],
    ['a prototype path', {}, '__proto__.constructor', undefined],
    ['a nested inherited property', { a: {} }, 'a.toString', undefined],
  ]
  for (const [name, claims, path, expected] of paths) {
    it(`finds ${name}`, () => assert.deepEqual(claimAt(claims, path), expected))
  }

  const groupShapes: [string, unknown, string[]][] = [
    ['an array of names', ['a', 'b'], ['a', 'b']],
    ['one name', 'a', ['a']],
    ['duplicates', ['a', 'a'], ['a']],
    ['non-strings among names', ['a', 1, null, { b: 1 }, ['c']], ['a']],
    ['empty and control-character names', ['', 'ok', 'x\ny'], ['ok']],
    ['a number', 5, []],
    ['an object', { a: true }, []],
    ['nothing', undefined, []],
  ]
  for (const [name, value, expected] of groupShapes) {
    it(`reads groups from ${name}`, () => assert.deepEqual(groupsIn(value), expected))
  }

  it('caps the number of groups', () => {
    assert.equal(groupsIn(Array.from({ length: 1000 }, (_, i) => `g${i}`)).length, 256)
  })

  it('gives the default roles and those of each group, in role order', () => {
    assert.deepEqual(rolesFor([], MAPPING), ['requester'])
    assert.deepEqual(rolesFor(['dpo', 'ops', 'unknown'], MAPPING), [
      'requester',
      'approver',
      'admin',
      'auditor',
    ])
    assert.deepEqual(rolesFor(['__proto__', 'constructor', 'toString'], { ...MAPPING, defaultRoles: [] }), [])
  })

  it('maps claims to a principal, or to nothing without a usable user id', () => {
    assert.deepEqual(principalFromClaims({ sub: 'alice', groups: ['sec-team'] }, MAPPING), {
      id: 'alice',
      kind: 'oidc',
      roles: ['requester', 'approver'],
      groups: ['sec-team'],
    })
    assert.deepEqual(
      principalFromClaims({ sub: 'alice', groups: ['sec-team'] }, { ...MAPPING, groupsClaim: undefined }),
      {
        id: 'alice',
        kind: 'oidc',
        roles: ['requester'],
        groups: [],
      },
    )
    for (const sub of [undefined, '', 42, ['alice'], 'x'.repeat(257), 'alice\r\n']) {
      assert.equal(principalFromClaims({ sub }, MAPPING), undefined, String(sub))
    }
  })
})
