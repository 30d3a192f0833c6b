// The gateway's configuration and a client's startup packet: defaults, every problem listed
// with its path, no password invented, and startup settings that would bypass the gate refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatewayError, resolveGatewayConfig } from '../../../src/gateway/index.ts'
import { readStartupRequest } from '../../../src/gateway/wire/startup-parameters.ts'
import type { JitgateError } from '../../../src/shared/index.ts'

const sources = { env: { PROD_PASSWORD: 's3cret' }, resolvePath: (path: string) => `/etc/jitgate/${path}` }

function problems(config: unknown): string[] {
  try {
    resolveGatewayConfig(config, sources)
  } catch (error) {
    return (error as JitgateError).details.map((detail) => `${detail.path}: ${detail.message}`)
  }
  assert.fail('the configuration was accepted')
}

describe('gateway configuration', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(
      resolveGatewayConfig({ upstreams: { prod: { url: 'postgres://jitgate@db/app' } } }, sources),
      {
        listen: { host: '127.0.0.1', port: 6433 },
        auth: { method: 'scram-sha-256', timeoutMs: 60_000 },
        approval: { mode: 'wait', timeoutMs: 300_000 },
        audit: {},
        upstreams: {
          prod: {
            name: 'prod',
            host: 'db',
            port: 5432,
            database: 'app',
            user: 'jitgate',
            tls: { mode: 'disable' },
            connectTimeoutMs: 10_000,
            pool: { size: 10, idleTimeoutMs: 600_000, acquireTimeoutMs: 30_000 },
            approval: { mode: 'wait', timeoutMs: 300_000 },
          },
        },
      },
    )
  })

  it('takes every setting, the password from the environment and paths from the file’s directory', () => {
    const settings = resolveGatewayConfig(
      {
        listen: { host: '0.0.0.0', port: 5999 },
        tls: { cert: 'gw.crt', key: 'gw.key' },
        auth: { method: 'password', timeout: '20s' },
        approval: { mode: 'fail', timeout: '2m' },
        audit: { readBatchMs: 50 },
        upstreams: {
          prod: {
            url: 'postgresql://jit%40gate@[::1]:6543/my%20db',
            passwordEnv: 'PROD_PASSWORD',
            poolSize: 3,
            idleTimeout: '1m',
            acquireTimeout: '5s',
            connectTimeout: '2s',
            tls: { mode: 'verify-full', ca: 'ca.pem', serverName: 'db.internal' },
            approval: { mode: 'wait' },
          },
          staging: { url: 'postgres://jitgate@staging/app', approval: { timeout: '30s' } },
        },
      },
      sources,
    )
    assert.deepEqual(settings.tls, {
      certFile: '/etc/jitgate/gw.crt',
      keyFile: '/etc/jitgate/gw.key',
      required: true,
    })
    assert.deepEqual(settings.auth, { method: 'password', timeoutMs: 20_000 })
    assert.deepEqual(settings.audit, { readBatchMs: 50 })
    assert.deepEqual(settings.upstreams.prod, {
      name: 'prod',
      host: '::1',
      port: 6543,
      database: 'my db',
      user: 'jit@gate',
      password: 's3cret',
      tls: { mode: 'verify-full', caFile: '/etc/jitgate/ca.pem', serverName: 'db.internal' },
      connectTimeoutMs: 2000,
      pool: { size: 3, idleTimeoutMs: 60_000, acquireTimeoutMs: 5000 },
      approval: { mode: 'wait', timeoutMs: 120_000 },
    })
    assert.deepEqual(settings.approval, { mode: 'fail', timeoutMs: 120_000 })
    assert.deepEqual(settings.upstreams.staging?.approval, { mode: 'fail', timeoutMs: 30_000 })
  })

  it('lists every problem at once, each with its path', () => {
    assert.deepEqual(
      problems({
        upstreams: {
          a: { url: 'postgres://db/app' },
          b: { url: 'postgres://u:p@db/app', passwordEnv: 'PROD_PASSWORD' },
          c: { url: 'postgres://u@db/', passwordEnv: 'MISSING' },
          d: { url: 'postgres://u@db/app?sslmode=require', idleTimeout: '0s' },
          e: { url: 'postgres://u@db/app', approval: { timeout: '0s' } },
        },
      }),
      [
        'gateway/upstreams/a/url: names no user',
        'gateway/upstreams/b/passwordEnv: is set while the URL carries a password too',
        'gateway/upstreams/c/url: names no database',
        'gateway/upstreams/c/passwordEnv: names MISSING, which is not set',
        'gateway/upstreams/d/url: has query parameters',
        'gateway/upstreams/e/approval/timeout: must be at least 1s',
      ],
    )
    assert.ok(
      problems({ approval: { mode: 'later' }, upstreams: { p: { url: 'postgres://u@h/d' } } }).some((p) =>
        p.startsWith('gateway/approval/mode'),
      ),
    )
  })

  it('refuses what the schema does not know, and an empty upstream list', () => {
    assert.deepEqual(problems({ upstreams: {} }), [
      'gateway/upstreams: Expected object to have at least 1 properties',
    ])
    assert.deepEqual(problems({ upstreams: { Prod: { url: 'postgres://u@h/d' } } }), [
      'gateway/upstreams/Prod: Unexpected property',
    ])
    assert.ok(
      problems({ upstreams: { p: { url: 'mysql://u@h/d' } } }).some((p) =>
        p.startsWith('gateway/upstreams/p/url'),
      ),
    )
    assert.ok(problems({ listen: { port: 70000 }, upstreams: { p: { url: 'postgres://u@h/d' } } }).length > 0)
    for (const readBatchMs of [0, 1001, 2.5, '20'])
      assert.deepEqual(
        problems({ audit: { readBatchMs }, upstreams: { p: { url: 'postgres://u@h/d' } } }).map(
          (p) => p.split(':')[0],
        ),
        ['gateway/audit/readBatchMs'],
      )
    assert.ok(problems({ upstream: {}, upstreams: { p: { url: 'postgres://u@h/d' } } }).length > 0)
  })
})

describe('startup packet', () => {
  const startup = (entries: Record<string, string>) => readStartupRequest(new Map(Object.entries(entries)))

  it('takes the database as the upstream’s name, the user’s name when absent', () => {
    assert.deepEqual(startup({ user: 'alice', database: 'prod' }), {
      user: 'alice',
      database: 'prod',
      protocolOptions: [],
      settings: [],
    })
    assert.equal(startup({ user: 'alice' }).database, 'alice')
  })

  it('carries the settings drivers send, and names the protocol options it does not grant', () => {
    const request = startup({
      user: 'alice',
      application_name: 'psql',
      client_encoding: 'SQL_ASCII',
      DateStyle: 'ISO',
      TimeZone: 'UTC',
      extra_float_digits: '3',
      replication: 'false',
      '_pq_.test': '1',
    })
    assert.deepEqual(request.settings, [
      ['application_name', 'psql'],
      ['client_encoding', 'SQL_ASCII'],
      ['DateStyle', 'ISO'],
      ['TimeZone', 'UTC'],
      ['extra_float_digits', '3'],
    ])
    assert.deepEqual(request.protocolOptions, ['_pq_.test'])
  })

  const refused: [string, Record<string, string>, string, RegExp][] = [
    ['no user', { database: 'prod' }, '08004', /names no user/],
    ['options (-c settings)', { user: 'a', options: '-c role=admin' }, '08004', /startup parameter options/],
    ['a setting outside the carried ones', { user: 'a', role: 'admin' }, '08004', /startup parameter role/],
    ['a replication connection', { user: 'a', replication: 'database' }, '0A000', /replication/],
    ['an encoding the gate cannot read', { user: 'a', client_encoding: 'LATIN1' }, '0A000', /not LATIN1/],
  ]
  for (const [name, entries, sqlstate, message] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => startup(entries),
        (error) =>
          error instanceof GatewayError && error.sqlstate === sqlstate && message.test(error.message),
      )
    })
  }
})
