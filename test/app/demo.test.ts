// `npm start` as a newcomer runs it: the demo prints a decision for every example
// action, serves the decision API and the sample database behind the PostgreSQL gateway
// (psql logs in with a demo person's key), and stops cleanly on SIGTERM. Its data directory
// is a temporary one, so the sample database is made from scratch (a second or two).
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { tempDir } from '../helpers/temp-dir.ts'

const ROOT = new URL('../../', import.meta.url).pathname

describe('npm start (the demo)', () => {
  it('prints the decision table, serves decisions and the database, and exits 0 on SIGTERM', async (t) => {
    const dataDir = await tempDir(t)
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/demo/demo.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        JITGATE_PORT: '0',
        JITGATE_GATEWAY_PORT: '0',
        JITGATE_DATA_DIR: dataDir,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    for (let i = 0; i < 400 && !stdout.includes('Press Ctrl-C'); i++)
      await new Promise((r) => setTimeout(r, 50))
    assert.match(stdout, /Press Ctrl-C/, `demo did not start:\n${stdout}\n${stderr}`)

    const actions = readdirSync(`${ROOT}examples/actions`).filter((f) => f.endsWith('.json'))
    for (const file of actions)
      assert.match(
        stdout,
        new RegExp(`^${file.replace('.json', '')} +(allow|deny|require_approval|require_consent) `, 'm'),
      )
    for (const effect of ['allow', 'deny', 'require_approval', 'require_consent'])
      assert.match(stdout, new RegExp(` ${effect} `), `no example shows ${effect}`)

    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1]
    assert.ok(url, 'prints its URL')
    const sasha = /^ {2}sasha .* (jg_\S+)$/m.exec(stdout)?.[1]
    assert.ok(sasha, 'prints the demo keys')
    const decide = (token?: string) =>
      fetch(`${url}/v1/decisions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ action: 'http.call', resource: 'http://accounts/c-1042/reset' }),
      })
    assert.equal((await decide()).status, 401, 'no call without credentials')
    const res = await decide(sasha)
    assert.equal(res.status, 200)
    assert.equal(((await res.json()) as { effect: string }).effect, 'require_approval')

    const psqlLine =
      /^ {2}PGPASSWORD=(jg_\S+) psql "(host=127\.0\.0\.1 port=\d+ dbname=prod user=bob)"$/m.exec(stdout)
    assert.ok(psqlLine, 'prints how to connect with psql')
    const [, bobsKey = '', connection = ''] = psqlLine
    assert.match(stdout, /^ {2}bob +engineer on call/m)
    const psql = await promisify(execFile)(
      'psql',
      [connection, '-X', '-At', '-c', 'select count(*) from customers'],
      {
        env: { ...process.env, PGPASSWORD: bobsKey },
      },
    )
    assert.equal(psql.stdout.trim(), '24')

    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.equal(stderr.replace(/npm warn.*\n/g, ''), '', 'nothing on stderr at log level warn')
  })
})
