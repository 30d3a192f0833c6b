// The first admin key, made straight in the store (`jitgate keys create --admin`): jitgate
// has no default password, so whoever can open the store (its file or its connection URL)
// makes the key that then manages every other one over the API.
//
// Not buildNode (src/app/jitgate-node.ts): it loads and watches the policies and audits the
// configuration, none of which a key needs, and it would refuse a machine without a policy
// directory yet. This builds the ApiKeyService exactly as buildNode does, over a store
// migrated first (this may be the very first run), and the key's creation commits with its
// api_key.created audit event as it does through the API.
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { AuditActor } from '../audit/index.ts'
import {
  ApiKeyService,
  type CreatedApiKey,
  type NewApiKey,
  newApiKeyProblems,
  resolveAuthConfig,
} from '../auth/index.ts'
import { readConfig } from '../config/index.ts'
import { apiKeyScramVerifier } from '../gateway/index.ts'
import { JitgateError, uuidV7 } from '../shared/index.ts'
import { migrateToLatest, openDatabase, SqlApiKeyStore } from '../store/index.ts'

/** Who made a key from the command line: no jitgate user exists yet to name. */
export const CLI_ACTOR: AuditActor = { type: 'system', id: 'cli' }

export interface StoreLocation {
  readonly config?: string
  readonly database?: string
  readonly dataDir?: string
}

/** Creates `key` in the store the configuration names (as `jitgate serve` would open it). */
export async function createKeyInStore(where: StoreLocation, key: NewApiKey): Promise<CreatedApiKey> {
  const config = await readConfig({
    flags: { config: where.config, database: where.database, 'data-dir': where.dataDir },
    env: process.env,
  })
  const lifetime = resolveAuthConfig(config.auth).apiKeys
  // Checked before the store is opened: a wrong flag should not create or migrate anything.
  const problems = newApiKeyProblems(key, lifetime)
  if (problems.length > 0) {
    const details = problems.map((p) => ({ ...p, path: flagOf(p.path) }))
    throw new JitgateError(
      'api_key_invalid',
      `the API key is invalid: ${details[0]?.path} ${details[0]?.message}`,
      {
        status: 400,
        details,
      },
    )
  }
  // The embedded default lives in the data directory, made on first start (owner only).
  if (config.store.url === `sqlite:${join(config.dataDir, 'jitgate.db')}`)
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const handle = await openDatabase(config.store.url, { poolSize: 2 })
  try {
    await migrateToLatest(handle)
    const now = (): Date => new Date()
    const keys = new ApiKeyService({
      store: new SqlApiKeyStore(handle, { now, newId: uuidV7 }),
      now,
      randomBytes: (size) => randomBytes(size),
      lifetime,
      scramVerifier: apiKeyScramVerifier,
    })
    return await keys.create(key, CLI_ACTOR)
  } finally {
    await handle.close()
  }
}

const FLAGS: Readonly<Record<string, string>> = {
  subject: '--subject',
  name: '--name',
  roles: '--role',
  groups: '--group',
  scopes: '--scope',
  expiresIn: '--ttl',
}

/** The flag behind a field path of NewApiKey (`/roles/1` → `--role`). */
function flagOf(path: string | undefined): string {
  const field = path?.split('/')[1] ?? ''
  return FLAGS[field] ?? path ?? 'key'
}
