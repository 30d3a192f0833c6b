// `jitgate config check|schema` as a user runs them: a good file resolves, a bad one is
// refused with every problem at file:line:col, and the schema is JSON for editors.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { tempDir } from '../helpers/temp-dir.ts'
import { jitgate } from './cli-harness.ts'

describe('jitgate config', () => {
  it('checks a good file and says what it resolves to, secrets hidden', async (t) => {
    const dir = await tempDir(t, {
      'jitgate.yaml':
        'store: { url: "postgres://jitgate:s3cret@db.internal:5432/jitgate" }\nserver: { port: 9090 }\n',
    })
    const run = await jitgate(['config', 'check', '--config', join(dir, 'jitgate.yaml'), '--json'])
    assert.equal(run.code, 0, run.stderr)
    const shown = JSON.parse(run.stdout) as { store: string; server: string }
    assert.equal(shown.server, '127.0.0.1:9090')
    assert.doesNotMatch(run.stdout, /s3cret/)
  })

  it('refuses a bad file with every problem at file:line:col', async (t) => {
    const dir = await tempDir(t, { 'jitgate.yaml': 'server: { prot: 80 }\nnotify: { emial: {} }\n' })
    const file = join(dir, 'jitgate.yaml')
    const run = await jitgate(['config', 'check', '--config', file])
    assert.equal(run.code, 2)
    assert.match(run.stderr, new RegExp(`${file}:1:11: unknown field 'prot' in 'server'`))
    assert.match(run.stderr, new RegExp(`${file}:2:11: unknown field 'emial' in 'notify'`))
    assert.match(run.stderr, /hint: allowed fields: .*\bemail\b/)
  })

  it('prints the JSON Schema of the file', async () => {
    const run = await jitgate(['config', 'schema'])
    assert.equal(run.code, 0)
    const schema = JSON.parse(run.stdout) as { properties: Record<string, unknown> }
    assert.ok(schema.properties.store && schema.properties.auth && schema.properties.notify)
  })
})
