// Chooses among overlapping findings: a span inside a longer one of the same type goes;
// otherwise the higher score wins, then the longer span, then the type listed first in
// ENTITY_TYPES (checksummed identifiers before shapes).
import { type PiiFinding, TYPE_RANK } from './entity-types.ts'

function better(a: PiiFinding, b: PiiFinding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    (TYPE_RANK.get(a.type) ?? 0) - (TYPE_RANK.get(b.type) ?? 0) ||
    a.start - b.start
  )
}

/** Index of the first kept span whose end is after `start`, kept being sorted by start. */
function firstEndingAfter(kept: readonly PiiFinding[], start: number): number {
  // Kept spans do not overlap, so their ends are sorted too.
  let lo = 0
  let hi = kept.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((kept[mid] as PiiFinding).end <= start) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Drops findings lying inside a longer one of the same type: a town inside a full
 * address, whatever their scores, as the address covers it. One sweep in start order.
 */
function dropNested(findings: readonly PiiFinding[]): PiiFinding[] {
  const byStart = [...findings].sort((a, b) => a.start - b.start || b.end - a.end)
  const reach = new Map<string, number>()
  const out: PiiFinding[] = []
  for (const f of byStart) {
    if (f.end <= (reach.get(f.type) ?? -1)) continue
    reach.set(f.type, f.end)
    out.push(f)
  }
  return out
}

/** The best non-overlapping findings of one cluster, chosen greedily, best first. */
function choose(cluster: readonly PiiFinding[], out: PiiFinding[]): void {
  if (cluster.length === 1) {
    out.push(cluster[0] as PiiFinding)
    return
  }
  const kept: PiiFinding[] = []
  for (const f of [...cluster].sort(better)) {
    const at = firstEndingAfter(kept, f.start)
    const next = kept[at]
    if (next !== undefined && next.start < f.end) continue
    kept.splice(at, 0, f)
  }
  out.push(...kept)
}

/**
 * Non-overlapping findings in text order. Findings are split into clusters of
 * transitively overlapping spans first, so the greedy choice works on a few findings at
 * a time and a long document costs O(n log n), not O(n²).
 */
export function resolveOverlaps(findings: readonly PiiFinding[]): PiiFinding[] {
  if (findings.length < 2) return [...findings]
  const byStart = dropNested(findings)
  const out: PiiFinding[] = []
  let cluster: PiiFinding[] = []
  let reach = -1
  for (const f of byStart) {
    if (f.start >= reach && cluster.length > 0) {
      choose(cluster, out)
      cluster = []
    }
    cluster.push(f)
    reach = Math.max(reach, f.end)
  }
  if (cluster.length > 0) choose(cluster, out)
  return out
}

/** All findings in text order: start, then longer first, then better first. */
export function sortFindings(findings: PiiFinding[]): PiiFinding[] {
  return findings.sort((a, b) => a.start - b.start || b.end - a.end || better(a, b))
}
