// The demo's people, each with an API key: made on the first start and kept (owner-only) in
// the data directory, so the keys a newcomer exported keep working across restarts. A key
// that no longer works (revoked, expired, another store), or that cannot log in to the
// PostgreSQL gateway (made before keys kept a SCRAM verifier), is replaced.
//
// The groups are identity-provider groups, which examples/policies/groups.yaml maps to
// policy groups: `engineering` → engineers, `eng-managers`, `privacy` → privacy-team, and
// `oncall`. Bob is on call, as the example database policy lets only the on-call engineer
// use production outside Mon–Fri 08:00–20:00 Berlin: so the database tour works at any hour.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseApiKey, type Role } from '../../auth/index.ts'
import type { JitgateNode } from '../jitgate-node.ts'

export interface DemoUser {
  readonly id: string
  readonly roles: readonly Role[]
  readonly groups: readonly string[]
  readonly about: string
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'sasha', roles: ['requester'], groups: ['customer-support'], about: 'support agent: asks' },
  {
    id: 'tom',
    roles: ['requester', 'approver'],
    groups: ['customer-support'],
    about: 'support agent: approves as peer',
  },
  { id: 'lena', roles: ['approver'], groups: ['support-leads'], about: 'support lead: approves as lead' },
  { id: 'audrey', roles: ['auditor'], groups: [], about: 'auditor: reads the audit log' },
  { id: 'ada', roles: ['admin'], groups: [], about: 'admin: keys and webhooks' },
  {
    id: 'bob',
    roles: ['requester'],
    groups: ['engineering', 'oncall'],
    about: 'engineer on call: queries prod',
  },
  {
    id: 'omar',
    roles: ['requester', 'approver'],
    groups: ['engineering'],
    about: 'engineer: approves as peer',
  },
  { id: 'mia', roles: ['approver'], groups: ['eng-managers'], about: 'engineering manager: approves' },
  { id: 'priya', roles: ['approver'], groups: ['privacy'], about: 'privacy team: raw SSNs and cards' },
]

export type DemoKeys = Readonly<Record<string, string>>

export async function demoKeys(node: JitgateNode): Promise<DemoKeys> {
  const file = join(node.config.dataDir, 'demo-keys.json')
  let kept: Record<string, string> = {}
  try {
    kept = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>
  } catch {
    // First start, or an unreadable file: make new keys.
  }
  const keys: Record<string, string> = {}
  const now = node.now()
  for (const user of DEMO_USERS) {
    const token = kept[user.id]
    const works =
      token !== undefined &&
      (await node.authenticator.authenticate(`Bearer ${token}`, now)).outcome === 'authenticated' &&
      (await node.apiKeys.scramVerifiersOf(user.id, now)).some(
        (verifier) => verifier.keyId === parseApiKey(token)?.keyId,
      )
    keys[user.id] = works
      ? token
      : (
          await node.apiKeys.create(
            { subject: user.id, name: `demo: ${user.about}`, roles: user.roles, groups: user.groups },
            { type: 'system', id: 'demo' },
          )
        ).token
  }
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 })
  return keys
}
