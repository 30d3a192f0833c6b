// The gateway bench's own pieces: reading pgbench's report, its options, the run order, the
// jitgate target with its policy (masked and not), the headline figures, and the bare pipe over real TCP sockets.
// The bench itself is run by `npm run bench -- gateway`, not here.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect, createServer } from 'node:net'
import { describe, it } from 'node:test'
import pg from 'pg'
import { startBarePipe } from '../../bench/gateway/bare-pipe.ts'
import { startJitgate } from '../../bench/gateway/jitgate-target.ts'
import { parseOptions } from '../../bench/gateway/options.ts'
import {
  conninfo,
  type Endpoint,
  type PgbenchResult,
  parsePgbenchOutput,
  scenarioArgs,
} from '../../bench/gateway/pgbench.ts'
import { runOrder, type TargetId } from '../../bench/gateway/plan.ts'
import { headline, type Results, targetLines } from '../../bench/gateway/report.ts'
import { startTestPostgres } from '../store/postgres-harness.ts'

// pgbench 15.18 against PostgreSQL 18, as printed.
const REPORT = `pgbench (15.18 (Debian 15.18-0+deb12u1), server 18.4)
transaction type: <builtin: select only>
scaling factor: 1
query mode: prepared
number of clients: 4
number of threads: 2
maximum number of tries: 1
duration: 1 s
number of transactions actually processed: 87527
number of failed transactions: 0 (0.000%)
latency average = 0.045 ms
initial connection time = 13.702 ms
tps = 88411.914856 (without initial connection time)
`

describe('parsePgbenchOutput', () => {
  it('reads tps, latency, transactions and failures', () => {
    assert.deepEqual(parsePgbenchOutput(REPORT), {
      tps: 88411.914856,
      latencyMs: 0.045,
      transactions: 87527,
      failed: 0,
    })
  })

  it('counts no failure when pgbench is older than 15 and prints no such line', () => {
    const old = REPORT.replace(/^number of failed transactions:.*\n/m, '')
    assert.equal(parsePgbenchOutput(old).failed, 0)
  })

  it('throws quoting the report when a figure is missing', () => {
    const cut = REPORT.replace(/^tps = .*\n/m, '')
    assert.throws(() => parsePgbenchOutput(cut), {
      message: /^pgbench printed no tps; its report ended with:\n.*latency average = 0\.045 ms/s,
    })
  })
})

describe('pgbench arguments', () => {
  it('runs the masked script in the prepared protocol with 4 clients on 2 threads', () => {
    const args = scenarioArgs({ workload: 'masked', mode: 'prepared', clients: 4 }, 5, '/tmp/m.sql')
    assert.deepEqual(args, ['-n', '-f', '/tmp/m.sql', '-M', 'prepared', '-c', '4', '-j', '2', '-T', '5'])
  })

  it('runs -S with one client on one thread', () => {
    const args = scenarioArgs({ workload: 'select', mode: 'simple', clients: 1 }, 3, 'unused')
    assert.deepEqual(args, ['-n', '-S', '-M', 'simple', '-c', '1', '-j', '1', '-T', '3'])
  })

  it('quotes connection string values as libpq reads them', () => {
    assert.equal(
      conninfo({ host: '127.0.0.1', port: 5432, dbname: "it's\\x" }),
      "host='127.0.0.1' port='5432' dbname='it\\'s\\\\x'",
    )
  })
})

describe('parseOptions', () => {
  it('splits the default 10 s per configuration over 2 rounds, at scale 10', () => {
    assert.deepEqual(parseOptions([], {}), { secondsPerRun: 5, rounds: 2, scale: 10 })
  })

  it('takes arguments over the environment', () => {
    const env = { BENCH_GATEWAY_SECONDS: '20', BENCH_GATEWAY_ROUNDS: '4', BENCH_GATEWAY_SCALE: '2' }
    assert.deepEqual(parseOptions([], env), { secondsPerRun: 5, rounds: 4, scale: 2 })
    assert.deepEqual(parseOptions(['--seconds', '8', '--scale', '1'], env), {
      secondsPerRun: 2,
      rounds: 4,
      scale: 1,
    })
  })

  it('names the option at fault', () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--seconds', '0'], {}, "--seconds must be an integer of at least 1, not '0'"],
      [
        [],
        { BENCH_GATEWAY_ROUNDS: '1.5' },
        "BENCH_GATEWAY_ROUNDS must be an integer of at least 1, not '1.5'",
      ],
      [['--rounds'], {}, '--rounds needs a number after it'],
      [
        ['--seconds', '3'],
        {},
        '--seconds 3 does not split evenly over 2 rounds: give a multiple of --rounds',
      ],
      [
        ['-T', '3'],
        {},
        "unknown argument '-T'; the gateway bench takes --seconds, --rounds, --scale, each with a number",
      ],
    ]
    for (const [args, env, message] of cases) assert.throws(() => parseOptions(args, env), { message })
  })
})

describe('runOrder', () => {
  it('runs every scenario once per round and reverses the targets every other round', () => {
    const available = new Set<TargetId>(['direct', 'pipe', 'jitgate', 'jitgate_masked'])
    const runs = runOrder(2, available)
    // -S: 4 scenarios of 3 targets (no pgbouncer); masked: 2 of 4; twice.
    assert.equal(runs.length, 2 * (4 * 3 + 2 * 4))
    const firstOf = (round: number) =>
      runs.filter((run) => run.round === round && run.scenario.workload === 'select').slice(0, 3)
    assert.deepEqual(
      firstOf(0).map((run) => run.target),
      ['direct', 'pipe', 'jitgate'],
    )
    assert.deepEqual(
      firstOf(1).map((run) => run.target),
      ['jitgate', 'pipe', 'direct'],
    )
    assert.ok(runs.every((run) => run.target !== 'pgbouncer'))
    assert.ok(runs.every((run) => run.target !== 'jitgate_masked' || run.scenario.workload === 'masked'))
  })
})

describe('the jitgate target', () => {
  it('reads unmasked on `app` and masked on `masked`, as the bench policy says', async (t) => {
    const postgres = await startTestPostgres()
    t.after(() => postgres.stop())
    const url = await postgres.emptyDatabase()
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(
      "CREATE TABLE customers (id int PRIMARY KEY, email text, phone text, ssn text); INSERT INTO customers VALUES (1, 'ann@example.com', '+33 6 12 34 56 78', '123-45-6789')",
    )
    await admin.end()
    const target = await startJitgate(url, () => undefined)
    t.after(() => target.close())
    const read = async (endpoint: Endpoint) => {
      const field = (name: string) => new RegExp(`${name}='([^']*)'`).exec(endpoint.conninfo)?.[1]
      const client = new pg.Client({
        host: field('host'),
        port: Number(field('port')),
        database: field('dbname'),
        user: field('user'),
        password: endpoint.password,
      })
      await client.connect()
      try {
        return (await client.query('SELECT email, phone, ssn FROM customers WHERE id = 1')).rows[0]
      } finally {
        await client.end()
      }
    }
    assert.deepEqual(await read(target.plain), {
      email: 'ann@example.com',
      phone: '+33 6 12 34 56 78',
      ssn: '123-45-6789',
    })
    const masked = (await read(target.masked)) as Record<string, string>
    assert.match(masked.email ?? '', /@example\.com$/)
    assert.notEqual(masked.email, 'ann@example.com')
    assert.match(masked.phone ?? '', /^\*+6 78$/)
    assert.equal(masked.ssn, '[redacted]')
  })
})

describe('headline', () => {
  const result = (tps: number, latencyMs: number): PgbenchResult[] => [
    { tps: tps / 2, latencyMs: latencyMs * 2, transactions: 1, failed: 0 },
    { tps, latencyMs, transactions: 1, failed: 0 },
  ]
  const results: Results = new Map([
    [
      'select/simple/c1',
      new Map([
        ['direct', result(10_000, 0.1)],
        ['jitgate', result(8_000, 0.125)],
        ['pipe', result(9_000, 0.111)],
      ]),
    ],
    [
      'select/prepared/c1',
      new Map([
        ['direct', result(10_000, 0.1)],
        ['jitgate', result(5_000, 0.2)],
        ['pipe', result(9_000, 0.111)],
      ]),
    ],
    [
      'select/simple/c4',
      new Map([
        ['direct', result(20_000, 0.2)],
        ['jitgate', result(9_000, 0.44)],
        ['pipe', result(10_000, 0.4)],
      ]),
    ],
    [
      'select/prepared/c4',
      new Map([
        ['direct', result(20_000, 0.2)],
        ['jitgate', result(7_000, 0.57)],
        ['pipe', result(10_000, 0.4)],
      ]),
    ],
    [
      'masked/simple/c4',
      new Map([
        ['pipe', result(10_000, 0.4)],
        ['jitgate_masked', result(6_500, 0.6)],
      ]),
    ],
    [
      'masked/prepared/c4',
      new Map([
        ['pipe', result(10_000, 0.4)],
        ['jitgate_masked', result(6_000, 0.66)],
      ]),
    ],
  ] as [string, Map<TargetId, PgbenchResult[]>][])

  it('keeps the best run and takes the worse of the two protocols', () => {
    const h = headline(results)
    assert.equal(h.ratio_vs_pipe, 0.7)
    assert.equal(h.ratio_vs_direct, 0.35)
    assert.equal(h.masked_ratio_vs_pipe, 0.6)
    assert.equal(h.added_latency_ms_c1, 0.1)
    assert.equal(h.pipe_added_latency_ms_c1, 0.011)
  })

  it('gives null for what was not measured and says so', () => {
    const h = headline(results)
    assert.equal(h.ratio_vs_pgbouncer, null)
    assert.equal(h.pgbouncer_ratio_vs_direct, null)
    const lines = targetLines(h, 'PLACEHOLDER')
    assert.equal(lines[0], 'jitgate / bare pipe TPS, -S at 4 clients: 0.70x (target >= 0.8x): MISSED')
    assert.equal(
      lines[1],
      'jitgate masked / bare pipe TPS, masked SELECT at 4 clients: 0.60x (target >= 0.6x): met; masking: PLACEHOLDER',
    )
    assert.equal(
      lines[2],
      'jitgate added latency per statement, -S at 1 client: 0.100 ms (target <= 0.1 ms): met',
    )
    assert.match(lines[3] ?? '', /^jitgate \/ pgbouncer TPS at 4 clients: n\/a;/)
  })
})

describe('the bare pipe', () => {
  it('carries bytes both ways and ends the upstream connection when the client leaves', async (t) => {
    const upstreamClosed: Promise<unknown>[] = []
    const echo = createServer((socket) => {
      upstreamClosed.push(once(socket, 'close'))
      socket.pipe(socket)
    })
    echo.listen(0, '127.0.0.1')
    await once(echo, 'listening')
    t.after(() => echo.close())
    const address = echo.address()
    assert.ok(address !== null && typeof address === 'object')
    const pipe = await startBarePipe({ host: '127.0.0.1', port: address.port })
    t.after(() => pipe.close())
    const client = connect({ host: '127.0.0.1', port: pipe.port })
    await once(client, 'connect')
    client.write(Buffer.from([0, 1, 2, 255]))
    const [echoed] = (await once(client, 'data')) as [Buffer]
    assert.deepEqual([...echoed], [0, 1, 2, 255])
    client.end()
    assert.equal(upstreamClosed.length, 1)
    await upstreamClosed[0]
  })
})
