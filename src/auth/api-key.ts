// API keys as plain records, and the decisions about them: is a new key valid, is a key
// usable at a time, who does it stand for, is its last use worth writing down. Time and
// the token are passed in.
import type { ErrorDetail } from '../shared/index.ts'
import { ApiKeyError } from './auth-errors.ts'
import { isPermission, isRole, type Permission, permissionsOf, type Role } from './permissions.ts'
import { isPlainText } from './plain-text.ts'
import type { Principal } from './principal.ts'

export interface ApiKeyRecord {
  readonly keyId: string
  /** SHA-256 (hex) of the token (api-key-token.ts). */
  readonly secretHash: string
  /** The user id the key authenticates as. */
  readonly subject: string
  /** What the key is for, as its creator put it ("CI deploys", "alice's laptop"). */
  readonly name: string
  readonly roles: readonly Role[]
  readonly groups: readonly string[]
  readonly scopes?: readonly Permission[]
  readonly createdAt: string
  readonly createdBy: string
  /** Absent: the key never expires (only when the configuration allows it). */
  readonly expiresAt?: string
  readonly revokedAt?: string
  readonly revokedBy?: string
  readonly lastUsedAt?: string
  /**
   * The SCRAM-SHA-256 verifier the PostgreSQL gateway checks a login against (PostgreSQL's
   * text form). It cannot log in by itself, but like the hash it stays out of every view.
   * Absent for keys made before verifiers were kept: they cannot log in over SCRAM.
   */
  readonly scramVerifier?: string
}

/** A key as listings show it: everything but the hash and the SCRAM verifier. */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'secretHash' | 'scramVerifier'>

export interface NewApiKey {
  readonly subject: string
  readonly name: string
  readonly roles: readonly Role[]
  readonly groups?: readonly string[]
  readonly scopes?: readonly Permission[]
  /** Seconds until expiry, or 'never'; absent: the configured default. */
  readonly expiresIn?: number | 'never'
}

export interface ApiKeyLifetime {
  readonly defaultTtlSeconds: number
  /** The longest lifetime a key may ask for; null allows keys that never expire. */
  readonly maxTtlSeconds: number | null
}

export type ApiKeyState = 'active' | 'expired' | 'revoked'

const MIN_TTL_SECONDS = 60
const MAX_ID = 256
const MAX_NAME = 100
const MAX_GROUPS = 100

/** Every problem of `input`, each with its field path; empty when the key may be created. */
export function newApiKeyProblems(input: NewApiKey, lifetime: ApiKeyLifetime): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  text(problems, '/subject', input.subject, MAX_ID)
  text(problems, '/name', input.name, MAX_NAME)
  const roles = Array.isArray(input.roles) ? input.roles : []
  if (roles.length === 0) problems.push({ path: '/roles', message: 'must list at least one role' })
  roles.forEach((role, i) => {
    if (!isRole(role))
      problems.push({
        path: `/roles/${i}`,
        message: 'is not a role',
        hint: 'requester, approver, admin, auditor',
      })
    else if (roles.indexOf(role) !== i) problems.push({ path: `/roles/${i}`, message: 'is listed twice' })
  })
  const groups = input.groups ?? []
  if (groups.length > MAX_GROUPS)
    problems.push({ path: '/groups', message: `must list at most ${MAX_GROUPS}` })
  for (const [i, group] of groups.entries()) text(problems, `/groups/${i}`, group, MAX_ID)
  scopeProblems(problems, input.scopes, roles.filter(isRole))
  ttlProblems(problems, input.expiresIn, lifetime)
  return problems
}

function scopeProblems(problems: ErrorDetail[], scopes: NewApiKey['scopes'], roles: readonly Role[]): void {
  if (scopes === undefined) return
  if (scopes.length === 0)
    problems.push({ path: '/scopes', message: 'must list a permission, or be left out' })
  const granted = permissionsOf({ roles })
  scopes.forEach((scope, i) => {
    if (!isPermission(scope)) problems.push({ path: `/scopes/${i}`, message: 'is not a permission' })
    else if (!granted.includes(scope))
      problems.push({ path: `/scopes/${i}`, message: `is not granted by the roles ${roles.join(', ')}` })
  })
}

function ttlProblems(problems: ErrorDetail[], ttl: NewApiKey['expiresIn'], lifetime: ApiKeyLifetime): void {
  const max = lifetime.maxTtlSeconds
  if (ttl === undefined) return
  if (ttl === 'never') {
    if (max !== null)
      problems.push({ path: '/expiresIn', message: 'keys must expire', hint: `at most ${max} seconds` })
    return
  }
  if (!Number.isInteger(ttl) || ttl < MIN_TTL_SECONDS || (max !== null && ttl > max))
    problems.push({
      path: '/expiresIn',
      message: `must be whole seconds from ${MIN_TTL_SECONDS} to ${max ?? 'any'}`,
    })
}

function text(problems: ErrorDetail[], path: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.trim() === '')
    problems.push({ path, message: 'must be a non-empty string' })
  else if (value.length > max) problems.push({ path, message: `must be at most ${max} characters` })
  else if (!isPlainText(value, max)) problems.push({ path, message: 'must not hold control characters' })
}

/** The record of a new key; throws `api_key_invalid` listing every problem of `input`. */
export function createApiKeyRecord(
  input: NewApiKey,
  key: { readonly keyId: string; readonly secretHash: string },
  createdBy: string,
  now: Date,
  lifetime: ApiKeyLifetime,
): ApiKeyRecord {
  const problems = newApiKeyProblems(input, lifetime)
  if (problems.length > 0) {
    const [first] = problems
    throw new ApiKeyError(
      'api_key_invalid',
      `the API key is invalid: ${first?.path} ${first?.message}`,
      problems,
    )
  }
  const ttl = input.expiresIn ?? lifetime.defaultTtlSeconds
  return {
    keyId: key.keyId,
    secretHash: key.secretHash,
    subject: input.subject,
    name: input.name,
    roles: [...input.roles],
    groups: [...new Set(input.groups ?? [])],
    ...(input.scopes === undefined ? {} : { scopes: [...input.scopes] }),
    createdAt: now.toISOString(),
    createdBy,
    ...(ttl === 'never' ? {} : { expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() }),
  }
}

/** Revoked wins over expired: it is what an admin did, and the later fact. */
export function apiKeyState(key: ApiKeyRecord | ApiKeyInfo, now: Date): ApiKeyState {
  if (key.revokedAt !== undefined) return 'revoked'
  if (key.expiresAt !== undefined && key.expiresAt <= now.toISOString()) return 'expired'
  return 'active'
}

/** The key revoked at `now` by `by`; a revoked key stays as it was. */
export function revokeApiKey(key: ApiKeyRecord, by: string, now: Date): ApiKeyRecord {
  return key.revokedAt === undefined ? { ...key, revokedAt: now.toISOString(), revokedBy: by } : key
}

export function principalOfKey(key: ApiKeyRecord): Principal {
  return {
    id: key.subject,
    kind: 'api_key',
    roles: key.roles,
    groups: key.groups,
    ...(key.scopes === undefined ? {} : { scopes: key.scopes }),
    keyId: key.keyId,
  }
}

/** True when the last use on record is older than `intervalMs`: one write a minute, not one per request. */
export function lastUseDue(key: ApiKeyRecord, now: Date, intervalMs: number): boolean {
  return key.lastUsedAt === undefined || Date.parse(key.lastUsedAt) <= now.getTime() - intervalMs
}

export function apiKeyInfo(key: ApiKeyRecord): ApiKeyInfo {
  const { secretHash: _hash, scramVerifier: _verifier, ...info } = key
  return info
}
