// What the authentication tests share: a fake clock, an API key service on a real migrated
// store, and the audit rows as the chain stores them.
import { randomBytes, randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { type ApiKeyLifetime, ApiKeyService } from '../../src/auth/index.ts'
import { type DatabaseHandle, migrateToLatest, openDatabase, SqlApiKeyStore } from '../../src/store/index.ts'

export const T0 = new Date('2026-03-03T09:00:00.000Z')
export const DAY = 86_400
export const LIFETIME: ApiKeyLifetime = { defaultTtlSeconds: 90 * DAY, maxTtlSeconds: 365 * DAY }
export const ADMIN = { type: 'user', id: 'root-admin' } as const

export class FakeClock {
  #ms = T0.getTime()

  now(): Date {
    return new Date(this.#ms)
  }

  advance(seconds: number): void {
    this.#ms += seconds * 1000
  }
}

export interface KeyServices {
  readonly handle: DatabaseHandle
  readonly clock: FakeClock
  readonly keys: ApiKeyService
  readonly lastUseErrors: unknown[]
}

/** Opens `url` for the length of `t`, migrates it, and builds the key service on it. */
export async function keyServices(
  t: TestContext,
  url: string,
  lifetime: ApiKeyLifetime = LIFETIME,
): Promise<KeyServices> {
  const handle = await openDatabase(url)
  t.after(() => handle.close())
  await migrateToLatest(handle)
  return keyServicesOn(handle, new FakeClock(), lifetime)
}

export function keyServicesOn(
  handle: DatabaseHandle,
  clock: FakeClock,
  lifetime: ApiKeyLifetime = LIFETIME,
): KeyServices {
  const lastUseErrors: unknown[] = []
  const now = () => clock.now()
  const store = new SqlApiKeyStore(handle, { now, newId: randomUUID })
  const keys = new ApiKeyService({
    store,
    now,
    randomBytes: (size) => randomBytes(size),
    lifetime,
    onLastUseError: (error) => lastUseErrors.push(error),
  })
  return { handle, clock, keys, lastUseErrors }
}

export async function auditTypes(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.db.selectFrom('audit_events').select('type').orderBy('seq').execute()
  return rows.map((row) => row.type)
}

export async function everyStoredText(handle: DatabaseHandle): Promise<string> {
  const keys = await handle.db.selectFrom('api_keys').selectAll().execute()
  const audit = await handle.db.selectFrom('audit_events').selectAll().execute()
  return JSON.stringify([keys, audit])
}
