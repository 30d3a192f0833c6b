// The keyed state of anonymization, derived from the master keyring once per use,
// purpose and key id and then reused: deriving (HKDF) and expanding an AES key
// schedule cost microseconds, a value should cost less than one.
import { AesBlock } from '../cipher/aes-block.ts'
import { AesSiv } from '../cipher/aes-siv.ts'
import { HmacSha256 } from '../cipher/hmac-sha256.ts'
import { AnonymizeError } from '../transforms/anonymize-error.ts'
import type { KeyUse, MasterKey, MasterKeyring } from './master-key.ts'

export class AnonymizeKeys {
  readonly keyring: MasterKeyring
  readonly #cache = new Map<string, HmacSha256 | AesSiv | AesBlock>()

  constructor(keyring: MasterKeyring) {
    this.keyring = keyring
  }

  get currentId(): string {
    return this.keyring.current.id
  }

  /** The HMAC key of pseudonyms or noise for a purpose, under the current master key. */
  hmac(use: 'pseudonym' | 'noise', purpose: string): HmacSha256 {
    return this.#get(use, purpose, this.currentId, (key) => new HmacSha256(key.derive(use, purpose, 32)))
  }

  /** The AES-256-SIV key of tokens for a purpose. */
  siv(purpose: string, keyId: string = this.currentId): AesSiv {
    return this.#get('token', purpose, keyId, (key) => new AesSiv(key.derive('token', purpose, 64)))
  }

  /** The AES-256 block cipher under FF1's key for a purpose. */
  fpe(purpose: string, keyId: string = this.currentId): AesBlock {
    return this.#get('fpe', purpose, keyId, (key) => new AesBlock(key.derive('fpe', purpose, 32)))
  }

  #get<T extends HmacSha256 | AesSiv | AesBlock>(
    use: KeyUse,
    purpose: string,
    keyId: string,
    make: (key: MasterKey) => T,
  ): T {
    const id = `${keyId}\0${use}\0${purpose}`
    const cached = this.#cache.get(id)
    if (cached !== undefined) return cached as T
    const master = this.keyring.keys.get(keyId)
    if (master === undefined)
      throw new AnonymizeError('anonymize_key_unknown', `no anonymization key with id '${keyId}'`, [
        {
          path: 'keyId',
          message: 'not in the keyring',
          hint: 'keep retired keys in the key file under "keys" so older tokens still open',
        },
      ])
    const made = make(master)
    this.#cache.set(id, made)
    return made
  }
}
