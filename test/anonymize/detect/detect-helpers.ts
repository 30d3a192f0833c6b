// Test helpers: findings as [type, matched text] pairs, which read better in tables than offsets.
import { detectPii, type EntityType, type PiiDetectorOptions } from '../../../src/anonymize/detect/index.ts'

export type Found = readonly [EntityType, string]

export function found(
  text: string,
  options: PiiDetectorOptions & { readonly columnHint?: string } = {},
): Found[] {
  return detectPii(text, options).map((f) => [f.type, text.slice(f.start, f.end)] as const)
}

/** The score of the one finding of `type`, or undefined. */
export function scoreOf(text: string, type: EntityType, columnHint?: string): number | undefined {
  const hits = detectPii(text, {
    types: [type],
    minScore: 0,
    overlaps: 'all',
    ...(columnHint === undefined ? {} : { columnHint }),
  })
  return hits.find((f) => f.type === type)?.score
}
