// `npm run bench -- pii`: PII detection over a generated, labelled evaluation set
// (bench/pii/generate.ts): latency per sample (mean, p99), MB/s scanned, and precision,
// recall and F1 per type, against a naive baseline in the same run (the same types by
// plain patterns, no checksum or context: bench/pii/naive.ts) and against Presidio's
// published figure of about 6.8 ms per sample with its default setup.
// Options: --samples N (default 5000), --seed S.
import { createPiiDetector, type PiiFinding } from '../src/anonymize/detect/index.ts'
import { makeEvalSet, type Sample } from './pii/generate.ts'
import { naiveScan } from './pii/naive.ts'
import { f1ByType, isStructured, type Scored, scoreTable } from './pii/report.ts'
import { count, scoreOf, total } from './pii/score.ts'
import { type Summary, summarize, timeEach } from './policy/measure.ts'
import { fmt } from './policy/report.ts'

const SEED = 20260301
const WARMUP_SAMPLES = 3000
/** Presidio's published evaluation: about 6.8 ms per sample with its default setup. */
const PRESIDIO_MS_PER_SAMPLE = 6.8
const TARGET_SPEEDUP = 100
const BULK_ROUNDS = 5

function parseArgs(args: readonly string[]): { samples: number; seed: number } {
  const value = (flag: string, fallback: number): number => {
    const at = args.indexOf(flag)
    if (at < 0) return fallback
    const n = Number(args[at + 1])
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer`)
    return n
  }
  return { samples: value('--samples', 5000), seed: value('--seed', SEED) }
}

interface Run {
  readonly summary: Summary
  readonly found: PiiFinding[][]
  readonly mbPerS: number
}

function measure(samples: readonly Sample[], scan: (text: string) => PiiFinding[], bytes: number): Run {
  const found: PiiFinding[][] = []
  const timing = timeEach(samples, (s) => scan(s.text), found)
  return { summary: summarize(timing), found, mbPerS: bytes / 1e6 / (timing.wallNs / 1e9) }
}

const scored = (samples: readonly Sample[], found: readonly PiiFinding[][]): Scored => ({
  exact: count(samples, found, 'exact'),
  overlap: count(samples, found, 'overlap'),
})

export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args)
  const samples = makeEvalSet(options.seed, options.samples)
  const warmup = makeEvalSet(options.seed + 1, WARMUP_SAMPLES)
  const bytes = samples.reduce((n, s) => n + Buffer.byteLength(s.text), 0)
  const labelled = samples.reduce((n, s) => n + s.spans.length, 0)
  const negatives = samples.filter((s) => s.spans.length === 0).length
  console.log(
    `pii: ${fmt(samples.length, 0)} samples (${fmt(negatives, 0)} hard negatives), ${fmt(labelled, 0)} labelled spans, ${fmt(bytes / 1024, 0)} KiB, seed ${options.seed}`,
  )
  const detector = createPiiDetector()
  // Warm both up on other samples, so JIT tiers settle without seeing the timed ones.
  for (const s of warmup) {
    detector.detect(s.text)
    naiveScan(s.text)
  }
  const jit = measure(samples, (text) => detector.detect(text), bytes)
  const naive = measure(samples, naiveScan, bytes)
  report(
    samples,
    jit,
    naive,
    bulkMbPerS(samples, (text) => detector.detect(text)),
  )
  await Promise.resolve()
}

/** Throughput on one large document (all samples, one per line): no per-call overhead. */
function bulkMbPerS(samples: readonly Sample[], scan: (text: string) => PiiFinding[]): number {
  const document = samples.map((s) => s.text).join('\n')
  scan(document)
  const start = process.hrtime.bigint()
  for (let i = 0; i < BULK_ROUNDS; i++) scan(document)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return (Buffer.byteLength(document) * BULK_ROUNDS) / 1e6 / seconds
}

function report(samples: readonly Sample[], jit: Run, naive: Run, bulk: number): void {
  const jitScores = scored(samples, jit.found)
  const naiveScores = scored(samples, naive.found)
  console.log('')
  console.log('span match: exact = same type, start and end; overlap = same type, spans share a character')
  console.log(scoreTable(jitScores, naiveScores))
  const ms = jit.summary.meanUs / 1000
  const p99 = jit.summary.p99Us / 1000
  const naiveMs = naive.summary.meanUs / 1000
  const speedup = PRESIDIO_MS_PER_SAMPLE / ms
  const structured = scoreOf(total(jitScores.exact, isStructured)).f1
  const naiveStructured = scoreOf(total(naiveScores.exact, isStructured)).f1
  console.log('')
  console.log(
    `jitgate: ${fmt(ms, 4)} ms/sample mean, ${fmt(p99, 4)} ms p99, ${fmt(jit.mbPerS, 2)} MB/s sample by sample, ${fmt(bulk, 2)} MB/s as one document`,
  )
  console.log(
    `naive:   ${fmt(naiveMs, 4)} ms/sample mean, ${fmt(naive.summary.p99Us / 1000, 4)} ms p99, ${fmt(naive.mbPerS, 2)} MB/s`,
  )
  console.log(
    `jitgate / naive time per sample: ${fmt(ms / naiveMs, 2)}x; structured F1 ${fmt(structured, 3)} vs ${fmt(naiveStructured, 3)}`,
  )
  console.log(
    `Presidio reference: ~${PRESIDIO_MS_PER_SAMPLE} ms/sample (its published evaluation, default setup); jitgate is ${fmt(speedup, 0)}x faster (target ${TARGET_SPEEDUP}x, i.e. <= ${fmt(PRESIDIO_MS_PER_SAMPLE / TARGET_SPEEDUP, 3)} ms)`,
  )
  const round = (n: number, d = 4) => Number(n.toFixed(d))
  console.log(
    JSON.stringify({
      bench: 'pii',
      samples: samples.length,
      ms_per_sample: round(ms),
      p99_ms_per_sample: round(p99),
      mb_per_s: round(jit.mbPerS, 2),
      bulk_mb_per_s: round(bulk, 2),
      f1: f1ByType(jitScores.exact),
      f1_overlap: f1ByType(jitScores.overlap),
      f1_structured: round(structured),
      speedup_vs_presidio: round(speedup, 1),
      presidio_ms_per_sample: PRESIDIO_MS_PER_SAMPLE,
      baseline: {
        name: 'naive-regex',
        ms_per_sample: round(naiveMs),
        mb_per_s: round(naive.mbPerS, 2),
        f1_structured: round(naiveStructured),
        f1: f1ByType(naiveScores.exact),
      },
      ratio: round(ms / naiveMs, 3),
    }),
  )
}
