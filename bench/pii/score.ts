// Precision, recall and F1 per entity type over the evaluation set, under two rules:
// exact (same type, same start and end) and overlap (same type, spans share at least
// one character). Each labelled span matches at most one finding and vice versa.
import type { EntityType } from '../../src/anonymize/detect/index.ts'
import type { Sample, Span } from './generate.ts'

export interface Counts {
  tp: number
  fp: number
  fn: number
}

export interface TypeScore {
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly support: number
}

export type Rule = 'exact' | 'overlap'

const same = (rule: Rule, a: Span, b: Span): boolean =>
  a.type === b.type &&
  (rule === 'exact' ? a.start === b.start && a.end === b.end : a.start < b.end && b.start < a.end)

/** Counts per type of one rule over all samples; `found[i]` are the findings for `samples[i]`. */
export function count(
  samples: readonly Sample[],
  found: readonly (readonly Span[])[],
  rule: Rule,
): Map<EntityType, Counts> {
  const counts = new Map<EntityType, Counts>()
  const get = (t: EntityType): Counts => {
    const c = counts.get(t) ?? { tp: 0, fp: 0, fn: 0 }
    counts.set(t, c)
    return c
  }
  samples.forEach((sample, i) => {
    const predictions = [...(found[i] ?? [])]
    const used = new Array<boolean>(predictions.length).fill(false)
    for (const truth of sample.spans) {
      const at = predictions.findIndex((p, k) => !used[k] && same(rule, p, truth))
      if (at >= 0) {
        used[at] = true
        get(truth.type).tp++
      } else get(truth.type).fn++
    }
    predictions.forEach((p, k) => {
      if (!used[k]) get(p.type).fp++
    })
  })
  return counts
}

export function scoreOf(c: Counts): TypeScore {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp)
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1, support: c.tp + c.fn }
}

/** Summed counts over the given types (micro average). */
export function total(counts: ReadonlyMap<EntityType, Counts>, types: (t: EntityType) => boolean): Counts {
  const sum: Counts = { tp: 0, fp: 0, fn: 0 }
  for (const [t, c] of counts)
    if (types(t)) {
      sum.tp += c.tp
      sum.fp += c.fp
      sum.fn += c.fn
    }
  return sum
}
