// Keys for the anonymization tests, generated afresh in each run: never a key in code.
import { randomBytes } from 'node:crypto'
import {
  AnonymizeKeys,
  createMasterKeyring,
  type DetokenizeAccess,
  MasterKey,
} from '../../../src/anonymize/transforms/index.ts'

export const NOW = new Date('2026-03-15T12:00:00Z')

/** A keyring of fresh random keys, the last one current. */
export function testKeys(...ids: string[]): AnonymizeKeys {
  const list = ids.length === 0 ? ['k1'] : ids
  const keys = list.map((id) => new MasterKey(id, randomBytes(32)))
  return new AnonymizeKeys(createMasterKeyring(keys, list[list.length - 1] as string))
}

/** The same master keys under a new keyring whose current key is `current`. */
export function rotate(keys: AnonymizeKeys, current: MasterKey): AnonymizeKeys {
  return new AnonymizeKeys(createMasterKeyring([...keys.keyring.keys.values(), current], current.id))
}

export const ACCESS: DetokenizeAccess = {
  grant: {
    id: 'grant-1',
    verb: 'data.detokenize',
    resource: 'pg://prod/**',
    expiresAt: '2026-03-15T13:00:00Z',
  },
  now: NOW,
  resource: 'pg://prod/customers',
}
