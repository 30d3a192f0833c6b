// Loads the anonymization master keyring from configuration, a key file or the
// environment; never from code. Inputs are plain (an env map, a file reader), so
// this is testable without touching the process. Errors name the variable or file
// and the fix, never the key.
import { AnonymizeError } from '../transforms/anonymize-error.ts'
import {
  createMasterKeyring,
  fingerprintId,
  KEY_ID_PATTERN,
  MasterKey,
  type MasterKeyring,
  MIN_KEY_BYTES,
} from './master-key.ts'

export const KEY_ENV = 'JITGATE_ANONYMIZE_KEY'
/** Retired keys, `ID:KEY,ID:KEY`, kept so tokens they made still open. */
export const PREVIOUS_KEYS_ENV = 'JITGATE_ANONYMIZE_PREVIOUS_KEYS'

/** The shape of a key file in JSON, and of the `anonymize.keys` configuration. */
export interface KeyringConfig {
  readonly current: string
  readonly keys: Readonly<Record<string, string>>
}

export interface KeySources {
  /** Wins over the other two when given. */
  readonly config?: KeyringConfig
  /** A key file: one key (`KEY` or `ID:KEY`), or JSON `{ "current": ID, "keys": { ID: KEY } }`. */
  readonly keyFile?: string
  readonly readFile?: (path: string) => string
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The keyring from the first source given: config, then key file, then environment. */
export function loadMasterKeyring(sources: KeySources): MasterKeyring {
  if (sources.config !== undefined) return fromConfig(sources.config, 'config anonymize.keys')
  if (sources.keyFile !== undefined) return fromFile(sources.keyFile, sources.readFile)
  const current = sources.env?.[KEY_ENV]
  if (current === undefined || current.trim() === '')
    throw new AnonymizeError('anonymize_key_missing', 'no anonymization key is configured', [
      {
        path: KEY_ENV,
        message: 'not set',
        hint: `set ${KEY_ENV} to 32 random bytes or more in hex or base64 (e.g. \`openssl rand -base64 32\`), or pass a key file`,
      },
    ])
  const keys = [parseEntry(current, KEY_ENV)]
  const previous = sources.env?.[PREVIOUS_KEYS_ENV] ?? ''
  for (const [i, entry] of previous.split(',').entries()) {
    if (entry.trim() !== '') keys.push(parseEntry(entry, `${PREVIOUS_KEYS_ENV} (entry ${i + 1})`))
  }
  return build(keys, (keys[0] as MasterKey).id, KEY_ENV)
}

function fromFile(path: string, readFile: KeySources['readFile']): MasterKeyring {
  let text: string
  try {
    if (readFile === undefined) throw new Error('no reader')
    text = readFile(path).trim()
  } catch {
    throw new AnonymizeError('anonymize_key_missing', `cannot read the key file '${path}'`, [
      { path, message: 'cannot be read', hint: 'check the path and that this user may read it' },
    ])
  }
  if (!text.startsWith('{')) {
    const key = parseEntry(text, path)
    return build([key], key.id, path)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw malformed(path, 'is neither one key nor valid JSON')
  }
  return fromConfig(doc, path)
}

function fromConfig(doc: unknown, where: string): MasterKeyring {
  const shape = doc as Partial<KeyringConfig> | null
  if (
    typeof shape !== 'object' ||
    shape === null ||
    typeof shape.current !== 'string' ||
    typeof shape.keys !== 'object' ||
    shape.keys === null
  )
    throw malformed(where, 'needs "current" (a key id) and "keys" (key id → key)')
  const keys: MasterKey[] = []
  for (const [id, value] of Object.entries(shape.keys)) {
    if (typeof value !== 'string') throw malformed(`${where}: keys.${id}`, 'is not a string')
    keys.push(withId(id, decodeKey(value, `${where}: keys.${id}`), `${where}: keys.${id}`))
  }
  return build(keys, shape.current, where)
}

/** `KEY` or `ID:KEY` (hex and base64 have no `:`). */
function parseEntry(text: string, where: string): MasterKey {
  const colon = text.indexOf(':')
  if (colon < 0) {
    const secret = decodeKey(text, where)
    return new MasterKey(fingerprintId(secret), secret)
  }
  return withId(text.slice(0, colon).trim(), decodeKey(text.slice(colon + 1), where), where)
}

function withId(id: string, secret: Uint8Array, where: string): MasterKey {
  if (!KEY_ID_PATTERN.test(id))
    throw malformed(where, `has the key id '${id}', which is not 1–32 letters, digits or '-'`)
  return new MasterKey(id, secret)
}

function build(keys: readonly MasterKey[], currentId: string, where: string): MasterKeyring {
  const ids = new Set<string>()
  for (const key of keys) {
    if (ids.has(key.id)) throw malformed(where, `has the key id '${key.id}' twice`)
    ids.add(key.id)
  }
  if (!ids.has(currentId))
    throw malformed(where, `names the current key '${currentId}', which is not among its keys`)
  return createMasterKeyring(keys, currentId)
}

/** Hex (tried first) or base64 / base64url, at least 32 bytes, not one byte repeated. */
export function decodeKey(text: string, where: string): Uint8Array {
  const t = text.trim()
  let bytes: Buffer
  if (/^(?:[0-9a-fA-F]{2})+$/.test(t)) bytes = Buffer.from(t, 'hex')
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(t) || /^[A-Za-z0-9_-]+$/.test(t)) {
    bytes = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64')
    // Node's decoder skips what it does not understand: a faithful key re-encodes to itself.
    if (bytes.toString('base64url') !== t.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'))
      throw malformed(where, 'is not valid base64')
  } else throw malformed(where, 'is neither hex nor base64')
  if (bytes.length < MIN_KEY_BYTES)
    throw new AnonymizeError(
      'anonymize_key_short',
      `the anonymization key in ${where} has ${bytes.length} bytes; at least ${MIN_KEY_BYTES} are needed`,
      [{ path: where, message: 'too short', hint: 'generate one with `openssl rand -base64 32`' }],
    )
  if (bytes.every((b) => b === bytes[0]))
    throw new AnonymizeError('anonymize_key_weak', `the anonymization key in ${where} is one byte repeated`, [
      {
        path: where,
        message: 'a placeholder, not a secret',
        hint: 'generate one with `openssl rand -base64 32`',
      },
    ])
  return new Uint8Array(bytes)
}

function malformed(where: string, what: string): AnonymizeError {
  return new AnonymizeError('anonymize_key_malformed', `the anonymization key in ${where} ${what}`, [
    {
      path: where,
      message: what,
      hint: 'give a key as hex or base64 (32 bytes or more), optionally as ID:KEY',
    },
  ])
}
