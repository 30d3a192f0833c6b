// `npm run bench -- mask`: the masker on 1,000 rows of 10 columns, every value distinct,
// with a mixed profile (3 pseudonyms, 2 partial masks, 2 redactions, a token, a
// generalization, a keep), against two baselines in the same run: copying the rows
// untouched, and the same profile written naively (a keyed object per value). Then FF1
// alone, per value, against noble's FF1, and FPE of card numbers end to end.
// Options: --batches N (default 40, the first quarter is warm-up).
// The last line printed is one JSON object with the figures.
import { randomBytes } from 'node:crypto'
import { FF1 as nobleFf1 } from '@noble/ciphers/ff1.js'
import {
  AesBlock,
  AnonymizeKeys,
  createMasterKeyring,
  Ff1,
  FpeCipher,
  Masker,
  MasterKey,
} from '../src/anonymize/transforms/index.ts'
import { naiveMasker } from './mask/naive-masker.ts'
import { makeBatches, PROFILE, type Row } from './mask/rows.ts'

const ROWS = 1000
const FF1_VALUES = 20_000

function parseBatches(args: readonly string[]): number {
  const at = args.indexOf('--batches')
  if (at < 0) return 40
  const n = Number(args[at + 1])
  if (!Number.isInteger(n) || n < 4) throw new Error('--batches needs an integer of 4 or more')
  return n
}

/**
 * Median and best milliseconds of `work` over the timed batches, after the warm-up ones.
 * The best is what the code costs when no other process takes the CPU away.
 */
function timeBatches(
  batches: readonly Row[][],
  work: (rows: readonly Row[]) => unknown,
): { median: number; best: number } {
  const warmup = Math.floor(batches.length / 4)
  const times: number[] = []
  let sink = 0
  batches.forEach((rows, i) => {
    const start = process.hrtime.bigint()
    const out = work(rows)
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (Array.isArray(out)) sink += out.length
    if (i >= warmup) times.push(ms)
  })
  if (sink === 0) throw new Error('nothing was masked')
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)] as number, best: times[0] as number }
}

/** Microseconds per call of `encrypt` over distinct 16-digit numeral strings, after a warm-up. */
function timePerValue(encrypt: (digits: number[]) => unknown, offset: number): number {
  const inputs = Array.from({ length: FF1_VALUES }, (_, i) =>
    Array.from(String(4_000_000_000_000_000 + offset + i * 7919), Number),
  )
  for (const x of inputs.slice(0, FF1_VALUES / 4)) encrypt(x)
  // The best of three passes over the same inputs: contention only ever adds time.
  let best = Number.POSITIVE_INFINITY
  for (let pass = 0; pass < 3; pass++) {
    const start = process.hrtime.bigint()
    for (const x of inputs) encrypt(x)
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / inputs.length)
  }
  return best
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits))

export async function run(args: string[]): Promise<void> {
  const batches = makeBatches(parseBatches(args), ROWS)
  const master = randomBytes(32)
  const keys = new AnonymizeKeys(createMasterKeyring([new MasterKey('bench', master)], 'bench'))
  let failures = 0
  const masker = new Masker(PROFILE, { keys, table: 'customers', onFailure: () => failures++ })
  const naive = naiveMasker(master)

  const copy = timeBatches(batches, (rows) => rows.map((r) => ({ ...r })))
  const naiveRun = timeBatches(batches, (rows) => rows.map(naive))
  const mask = timeBatches(batches, (rows) => rows.map((r) => masker.maskObject(r)))
  const [copyMs, naiveMs, maskMs] = [copy.median, naiveRun.median, mask.median]
  console.log(
    `mask: ${ROWS} rows × 10 columns, median of ${batches.length - Math.floor(batches.length / 4)} batches`,
  )
  console.log(`  copy untouched   ${copyMs.toFixed(3)} ms`)
  console.log(`  naive per value  ${naiveMs.toFixed(3)} ms`)
  console.log(
    `  masker           ${maskMs.toFixed(3)} ms  (${(naiveMs / maskMs).toFixed(1)}× faster than naive)`,
  )

  const key = new Uint8Array(randomBytes(32))
  const ff1 = new Ff1(new AesBlock(key), 10)
  const ff1Us = timePerValue((x) => ff1.encrypt(x), 0)
  const noble = nobleFf1(10, key)
  const nobleUs = timePerValue((x) => noble.encrypt(x), 1)
  const card = new FpeCipher(keys, 'card', 'bench')
  const cardUs = timePerValue((x) => card.encrypt(x.join('')), 2)
  console.log(`ff1 (16 digits): ${ff1Us.toFixed(2)} µs/value; noble FF1 ${nobleUs.toFixed(2)} µs/value`)
  console.log(`fpe card (16 digits, Luhn kept): ${cardUs.toFixed(2)} µs/value`)

  console.log(
    JSON.stringify({
      mask_1k_rows_ms: round(maskMs),
      mask_1k_rows_best_ms: round(mask.best),
      baseline_copy_1k_rows_ms: round(copyMs),
      baseline_naive_1k_rows_ms: round(naiveMs),
      ratio_naive_to_mask: round(naiveMs / maskMs, 2),
      ratio_mask_to_copy: round(maskMs / copyMs, 2),
      ff1_us_per_value: round(ff1Us),
      baseline_noble_ff1_us_per_value: round(nobleUs),
      ratio_noble_ff1_to_ff1: round(nobleUs / ff1Us, 2),
      fpe_card_us_per_value: round(cardUs),
      fail_safe_redactions: failures,
    }),
  )
}
