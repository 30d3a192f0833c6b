// The anonymization keys a node masks with (pseudonyms, tokens, FPE in the gateway's
// results): JITGATE_ANONYMIZE_KEY when set, else the key file in the data directory, made on
// first start (32 random bytes, owner only) so that pseudonyms stay the same across restarts
// without a step done by hand. Nodes sharing a store must share the key: set the variable.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AnonymizeKeys, KEY_ENV, loadMasterKeyring } from '../anonymize/index.ts'

export interface NodeKeyring {
  readonly keys: AnonymizeKeys
  /** Where the key came from, for the start-up log (never the key). */
  readonly source: string
  /** True when this start made a new key file. */
  readonly created: boolean
}

export const KEY_FILE = 'anonymize.key'

export function nodeKeyring(dataDir: string, env: Readonly<Record<string, string | undefined>>): NodeKeyring {
  if ((env[KEY_ENV] ?? '').trim() !== '')
    return { keys: new AnonymizeKeys(loadMasterKeyring({ env })), source: KEY_ENV, created: false }
  const file = join(dataDir, KEY_FILE)
  let created = false
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    // 'wx': two nodes starting at once on one data directory do not overwrite each other's key.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
      created = true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  const keyring = loadMasterKeyring({ keyFile: file, readFile: (path) => readFileSync(path, 'utf8') })
  return { keys: new AnonymizeKeys(keyring), source: file, created }
}
