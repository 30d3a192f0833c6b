// The master keys of anonymization and the keyring that holds them. A secret never
// leaves its MasterKey: callers get HKDF-derived keys, one per use and purpose, so a
// pseudonym key cannot be turned into a token key and purposes cannot be joined.
import { hkdfSync } from 'node:crypto'
import { inspect } from 'node:util'

export const MIN_KEY_BYTES = 32
/** Key ids travel inside tokens (`tok_<id>_…`): no `_`, short. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/

/** What a derived key is for; each use gets its own key from the same master key. */
export type KeyUse = 'pseudonym' | 'token' | 'fpe' | 'noise'

const SALT = Buffer.from('jitgate-anonymize-v1')

export class MasterKey {
  readonly id: string
  readonly #secret: Uint8Array

  constructor(id: string, secret: Uint8Array) {
    if (!KEY_ID_PATTERN.test(id)) throw new RangeError(`key id '${id}' does not match ${KEY_ID_PATTERN}`)
    if (secret.length < MIN_KEY_BYTES)
      throw new RangeError(`a master key needs ${MIN_KEY_BYTES} bytes or more`)
    this.id = id
    this.#secret = secret.slice()
  }

  /** HKDF-SHA-256 (RFC 5869) of the secret for one use and purpose; NUL keeps `use` and `purpose` apart. */
  derive(use: KeyUse, purpose: string, length: number): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.#secret, SALT, `${use}\0${purpose}`, length))
  }

  toJSON(): { id: string } {
    return { id: this.id }
  }

  [inspect.custom](): string {
    return `MasterKey(${this.id})`
  }
}

/** An id for a key given without one: 32 bits derived from it, which reveal nothing of it. */
export function fingerprintId(secret: Uint8Array): string {
  return `k${Buffer.from(hkdfSync('sha256', secret, SALT, 'key-id', 4)).toString('hex')}`
}

/** The current key makes new pseudonyms, tokens and FPE values; older ones only open old tokens. */
export interface MasterKeyring {
  readonly current: MasterKey
  readonly keys: ReadonlyMap<string, MasterKey>
}

export function createMasterKeyring(keys: readonly MasterKey[], currentId: string): MasterKeyring {
  const byId = new Map<string, MasterKey>()
  for (const key of keys) {
    if (byId.has(key.id)) throw new RangeError(`key id '${key.id}' appears twice`)
    byId.set(key.id, key)
  }
  const current = byId.get(currentId)
  if (current === undefined) throw new RangeError(`the current key '${currentId}' is not in the keyring`)
  return { current, keys: byId }
}
