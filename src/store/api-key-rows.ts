// Between an API key record (src/auth) and its row: lists as JSON text, absent values as null.
// A role or scope this version does not know (a newer jitgate wrote it) is dropped on
// reading: it grants nothing, and a dropped scope narrows to nothing rather than widening.
import { type ApiKeyRecord, isPermission, isRole } from '../auth/index.ts'
import type { ApiKeyRow } from './schema.ts'

export function toApiKeyRow(key: ApiKeyRecord): ApiKeyRow {
  return {
    key_id: key.keyId,
    secret_hash: key.secretHash,
    subject: key.subject,
    name: key.name,
    roles: JSON.stringify(key.roles),
    groups: JSON.stringify(key.groups),
    scopes: key.scopes === undefined ? null : JSON.stringify(key.scopes),
    created_at: key.createdAt,
    created_by: key.createdBy,
    expires_at: key.expiresAt ?? null,
    revoked_at: key.revokedAt ?? null,
    revoked_by: key.revokedBy ?? null,
    last_used_at: key.lastUsedAt ?? null,
    scram_verifier: key.scramVerifier ?? null,
  }
}

export function fromApiKeyRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    keyId: row.key_id,
    secretHash: row.secret_hash,
    subject: row.subject,
    name: row.name,
    roles: (JSON.parse(row.roles) as unknown[]).filter(isRole),
    groups: JSON.parse(row.groups) as string[],
    ...(row.scopes === null ? {} : { scopes: (JSON.parse(row.scopes) as unknown[]).filter(isPermission) }),
    createdAt: row.created_at,
    createdBy: row.created_by,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.revoked_by === null ? {} : { revokedBy: row.revoked_by }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.scram_verifier === null ? {} : { scramVerifier: row.scram_verifier }),
  }
}
