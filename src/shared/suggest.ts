// "Did you mean …?" for unknown names in configuration and policies.

/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      current.push(value)
      rowMin = Math.min(rowMin, value)
    }
    if (rowMin > max) return max + 1
    previous = current
  }
  return previous[b.length] ?? max + 1
}

/** The closest candidate to `name`, if one is close enough to be a likely typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.floor(name.length / 3))
  let best: string | undefined
  let bestDistance = max + 1
  for (const candidate of candidates) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase(), max)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}
