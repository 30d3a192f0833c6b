// `jitgate keys create|list|revoke`: API keys, managed over the API with an admin token; and
// `keys create --admin`, which makes the first admin key straight in the store (admin-key.ts).
// The token a creation returns is the one secret this CLI ever prints: alone on stdout, so
// that `export JITGATE_TOKEN=$(jitgate keys create --admin)` works, with a note on stderr.
import { Command } from 'commander'
import type { ApiKeyListing, CreatedApiKey, NewApiKey, Permission, Role } from '../auth/index.ts'
import { isPermission, isRole } from '../auth/index.ts'
import { parseDuration } from '../shared/index.ts'
import { createKeyInStore } from './admin-key.ts'
import { ApiClient, type ApiOptions, apiOptions, segment, withQuery } from './api-client.ts'
import { refusals, usageError } from './cli-errors.ts'
import { printTable, shortTime } from './request-output.ts'
import type { Terminal } from './terminal.ts'

interface CreateOptions extends ApiOptions {
  admin?: boolean
  subject?: string
  name?: string
  role: string[]
  group: string[]
  scope: string[]
  ttl?: string
  database?: string
  config?: string
  dataDir?: string
  json?: boolean
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]

export function keysCommand(term: Terminal, setExit: (code: number) => void): Command {
  const refusable = refusals(term, setExit)
  const keys = new Command('keys').description('create, list and revoke API keys')

  apiOptions(keys.command('create'))
    .description('create an API key and print its token (shown this once)')
    .option('--subject <user>', 'the user id the key authenticates as (with --admin: default admin)')
    .option('--role <role>', 'requester, approver, admin or auditor (repeat for several)', collect, [])
    .option('--group <group>', 'a group the key’s user is in, as policies see it (repeatable)', collect, [])
    .option('--scope <permission>', 'narrow the roles to this permission (repeatable)', collect, [])
    .option('--name <name>', 'what the key is for, e.g. "CI deploys"')
    .option('--ttl <duration>', 'lifetime, e.g. 90d, or never (default and maximum are configured)')
    .option(
      '--admin',
      'make an admin key (plus any --role) straight in the store: no server, no token (first run)',
    )
    .option('-d, --database <url>', 'with --admin: the store (env JITGATE_DATABASE_URL)')
    .option('-c, --config <file>', 'with --admin: the configuration naming the store (env JITGATE_CONFIG)')
    .option('--data-dir <dir>', 'with --admin: where the default SQLite store lives (default ./.jitgate)')
    .option('--json', 'print { token, key } as JSON')
    .action(
      refusable(async (opts: CreateOptions) => {
        const created = opts.admin === true ? await createAdmin(opts) : await createThroughApi(opts)
        if (opts.json) term.json(created)
        else term.out(created.token)
        const { key } = created
        const expires = key.expiresAt === undefined ? 'never expires' : `expires ${shortTime(key.expiresAt)}`
        term.err(
          `API key ${key.keyId} for ${key.subject} (${key.roles.join(', ')}), ${expires}. The token is shown this once: store it now.`,
        )
      }),
    )

  apiOptions(keys.command('list'))
    .description('list API keys, oldest first (never a secret)')
    .option('--subject <user>', 'only the keys of this user')
    .option('--revoked', 'include revoked keys')
    .option('--json', 'print { items } as JSON')
    .action(
      refusable(async (opts: ApiOptions & { subject?: string; revoked?: boolean; json?: boolean }) => {
        const path = withQuery('/v1/keys', {
          subject: opts.subject,
          includeRevoked: opts.revoked === true ? 'true' : undefined,
        })
        const list = await new ApiClient(opts).call<{ items: ApiKeyListing[] }>('GET', path)
        if (opts.json) return term.json(list)
        if (list.items.length === 0) return term.err('no API keys')
        printTable(
          term,
          ['KEY ID', 'SUBJECT', 'NAME', 'ROLES', 'STATE', 'CREATED', 'EXPIRES', 'LAST USED'],
          list.items.map((k) => [
            k.keyId,
            k.subject,
            k.name,
            k.roles.join(','),
            k.state,
            shortTime(k.createdAt),
            shortTime(k.expiresAt),
            shortTime(k.lastUsedAt),
          ]),
        )
      }),
    )

  apiOptions(keys.command('revoke'))
    .description('revoke an API key at once, on every node')
    .argument('<key-id>', 'the key id (as `keys list` shows it), not the token')
    .option('--json', 'print the key as JSON')
    .action(
      refusable(async (keyId: string, opts: ApiOptions & { json?: boolean }) => {
        const key = await new ApiClient(opts).call<ApiKeyListing>('DELETE', `/v1/keys/${segment(keyId)}`)
        if (opts.json) return term.json(key)
        term.out(`${key.keyId} revoked at ${shortTime(key.revokedAt)}`)
      }),
    )

  return keys
}

async function createThroughApi(opts: CreateOptions): Promise<CreatedApiKey> {
  for (const flag of ['database', 'config', 'dataDir'] as const)
    if (opts[flag] !== undefined)
      throw usageError(
        `--${kebab(flag)} is only for --admin`,
        `--${kebab(flag)}`,
        'the server knows its store',
      )
  if (opts.subject === undefined)
    throw usageError('--subject is required', '--subject', 'e.g. --subject alice')
  if (opts.role.length === 0) throw usageError('--role is required', '--role', 'e.g. --role requester')
  const body = {
    subject: opts.subject,
    name: opts.name ?? `${opts.subject}’s key`,
    roles: opts.role,
    ...(opts.group.length === 0 ? {} : { groups: opts.group }),
    ...(opts.scope.length === 0 ? {} : { scopes: opts.scope }),
    ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }),
  }
  return new ApiClient(opts).call<CreatedApiKey>('POST', '/v1/keys', body)
}

async function createAdmin(opts: CreateOptions): Promise<CreatedApiKey> {
  // The store is the credential here: a --server or --token would be a sign of confusion.
  if (opts.server !== undefined || opts.token !== undefined)
    throw usageError('--admin works on the store, not a server', '--admin', 'drop --server and --token')
  const roles: Role[] = ['admin']
  for (const role of opts.role) {
    if (!isRole(role))
      throw usageError(
        `--role '${role.slice(0, 40)}' is not a role`,
        '--role',
        'requester, approver, admin or auditor',
      )
    if (!roles.includes(role)) roles.push(role)
  }
  const scopes: Permission[] = []
  for (const scope of opts.scope) {
    if (!isPermission(scope))
      throw usageError(`--scope '${scope.slice(0, 40)}' is not a permission`, '--scope', 'e.g. keys.manage')
    scopes.push(scope)
  }
  const key: NewApiKey = {
    subject: opts.subject ?? 'admin',
    name: opts.name ?? 'made with keys create --admin',
    roles,
    groups: opts.group,
    ...(scopes.length === 0 ? {} : { scopes }),
    ...(opts.ttl === undefined ? {} : { expiresIn: ttlSeconds(opts.ttl) }),
  }
  return createKeyInStore(
    {
      ...(opts.config === undefined ? {} : { config: opts.config }),
      ...(opts.database === undefined ? {} : { database: opts.database }),
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
    },
    key,
  )
}

function ttlSeconds(text: string): number | 'never' {
  if (text === 'never') return 'never'
  const seconds = parseDuration(text)
  if (seconds === undefined)
    throw usageError(`--ttl '${text.slice(0, 40)}' is not a duration`, '--ttl', 'e.g. 90d, 12h, or never')
  return seconds
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}
