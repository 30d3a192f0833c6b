// The configuration file's `gateway` section: read with the rest of the file, its paths
// relative to the file, its password from the variable it names, and every mistake in it
// reported at file:line:col, whether the schema or the resolution finds it.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gatewayLine } from '../../src/cli/serve-command.ts'
import { ConfigError, loadConfig } from '../../src/config/index.ts'

const load = (text: string, env: Record<string, string> = {}) =>
  loadConfig({ file: { path: 'conf/jitgate.yaml', text }, flags: {}, env, cwd: '/srv' })

function problemsOf(text: string, env: Record<string, string> = {}) {
  try {
    load(text, env)
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    return error.details.map((d) => ({
      at: `${d.file}:${d.line}:${d.column}`,
      message: d.message,
      hint: d.hint,
    }))
  }
  return assert.fail('the configuration loaded')
}

const GATEWAY = `gateway:
  listen: { host: 0.0.0.0, port: 6433 }
  tls: { cert: tls/gateway.crt, key: /etc/jitgate/gateway.key }
  upstreams:
    prod:
      url: postgres://jitgate@db.internal/app
      passwordEnv: PROD_DB_PASSWORD
      tls: { mode: verify-full, ca: tls/db-ca.pem }
`

describe('the gateway section of the configuration file', () => {
  it('resolves paths against the file and the password from the variable it names', () => {
    const config = load(GATEWAY, { PROD_DB_PASSWORD: 's3cret' })
    assert.deepEqual(config.gateway?.tls, {
      certFile: '/srv/conf/tls/gateway.crt',
      keyFile: '/etc/jitgate/gateway.key',
      required: true,
    })
    const prod = config.gateway?.upstreams.prod
    assert.deepEqual(
      [prod?.host, prod?.port, prod?.database, prod?.user, prod?.password, prod?.tls.caFile],
      ['db.internal', 5432, 'app', 'jitgate', 's3cret', '/srv/conf/tls/db-ca.pem'],
    )
    assert.deepEqual(config.gateway?.listen, { host: '0.0.0.0', port: 6433 })
    assert.ok(Object.isFrozen(config.gateway?.upstreams.prod))
  })

  it('is absent without a section: no gateway is started', () => {
    assert.equal(load('log: { level: warn }').gateway, undefined)
  })

  it('reports what the schema finds at file:line:col', () => {
    const problems = problemsOf(`log: { level: warn }
gateway:
  listn: { port: 6433 }
  upstreams:
    prod: { url: "postgres://jitgate@db/app", poolSize: 0 }
`)
    assert.deepEqual(problems, [
      {
        at: 'conf/jitgate.yaml:3:3',
        message: "unknown field 'listn' in 'gateway'",
        hint: "did you mean 'listen'?",
      },
      {
        at: 'conf/jitgate.yaml:5:57',
        message: "'gateway.upstreams.prod.poolSize': expected integer to be greater or equal to 1",
        hint: undefined,
      },
    ])
  })

  it('reports what only resolution finds at file:line:col too, naming the setting', () => {
    const problems = problemsOf(`gateway:
  auth: { timeout: 0s }
  upstreams:
    prod:
      url: postgres://db.internal/app
      passwordEnv: PROD_DB_PASSWORD
    staging:
      url: postgres://jitgate@db.staging/app
      passwordEnv: STAGING_DB_PASSWORD
`)
    assert.deepEqual(problems, [
      {
        at: 'conf/jitgate.yaml:5:12',
        message: "'gateway.upstreams.prod.url' names no user",
        hint: 'postgres://USER@HOST/DATABASE',
      },
      {
        at: 'conf/jitgate.yaml:6:20',
        message: "'gateway.upstreams.prod.passwordEnv' names PROD_DB_PASSWORD, which is not set",
        hint: undefined,
      },
      {
        at: 'conf/jitgate.yaml:9:20',
        message: "'gateway.upstreams.staging.passwordEnv' names STAGING_DB_PASSWORD, which is not set",
        hint: undefined,
      },
      {
        at: 'conf/jitgate.yaml:2:20',
        message: "'gateway.auth.timeout' must be at least 1s",
        hint: undefined,
      },
    ])
  })

  it('is shown by `jitgate serve` without the upstream password', () => {
    const config = load(GATEWAY, { PROD_DB_PASSWORD: 's3cret' })
    if (config.gateway === undefined) return assert.fail('no gateway')
    const line = gatewayLine({ host: '0.0.0.0', port: 6433 }, config.gateway)
    assert.equal(
      line,
      'PostgreSQL gateway on 0.0.0.0:6433 (TLS required, scram-sha-256; prod → jitgate@db.internal:5432/app)',
    )
    assert.equal(line.includes('s3cret'), false)
  })
})
