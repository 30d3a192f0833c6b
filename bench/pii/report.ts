// The per-type table of the PII benchmark: precision, recall and F1 under the exact rule,
// F1 under the overlap rule, and the naive baseline's exact F1 beside them.
import type { EntityType } from '../../src/anonymize/detect/index.ts'
import { fmt, table } from '../policy/report.ts'
import { type Counts, scoreOf, total } from './score.ts'

/** Names, places and dates of birth lean on word lists and context; the rest are identifiers. */
export const isStructured = (t: EntityType): boolean =>
  t !== 'PERSON' && t !== 'LOCATION' && t !== 'DATE_TIME'

export interface Scored {
  readonly exact: ReadonlyMap<EntityType, Counts>
  readonly overlap: ReadonlyMap<EntityType, Counts>
}

const f3 = (n: number): string => fmt(n, 3)

export function scoreTable(jitgate: Scored, naive: Scored): string {
  const types = [...jitgate.exact.keys()].filter(
    (t) => (jitgate.exact.get(t)?.tp ?? 0) + (jitgate.exact.get(t)?.fn ?? 0) > 0,
  )
  types.sort((a, b) => Number(isStructured(b)) - Number(isStructured(a)) || a.localeCompare(b))
  const none: Counts = { tp: 0, fp: 0, fn: 0 }
  const row = (label: string, e: Counts, o: Counts, n: Counts): string[] => {
    const s = scoreOf(e)
    return [
      label,
      fmt(s.support, 0),
      f3(s.precision),
      f3(s.recall),
      f3(s.f1),
      f3(scoreOf(o).f1),
      f3(scoreOf(n).f1),
    ]
  }
  const rows = types.map((t) =>
    row(t, jitgate.exact.get(t) ?? none, jitgate.overlap.get(t) ?? none, naive.exact.get(t) ?? none),
  )
  const micro = (label: string, which: (t: EntityType) => boolean) =>
    row(label, total(jitgate.exact, which), total(jitgate.overlap, which), total(naive.exact, which))
  rows.push(
    micro('structured (micro)', isStructured),
    micro('all (micro)', () => true),
  )
  return table(['type', 'support', 'P', 'R', 'F1 exact', 'F1 overlap', 'naive F1'], rows)
}

/** F1 per type, rounded, for the JSON line. */
export function f1ByType(counts: ReadonlyMap<EntityType, Counts>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [t, c] of [...counts].sort((a, b) => a[0].localeCompare(b[0])))
    if (c.tp + c.fn > 0) out[t] = Number(scoreOf(c).f1.toFixed(4))
  return out
}
