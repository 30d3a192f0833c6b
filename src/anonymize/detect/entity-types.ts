// The entity types jitgate detects in free text. Names are Microsoft Presidio's where
// Presidio has the type, so results compare with the tool most teams know; the others
// follow Presidio's COUNTRY_KIND pattern.

/**
 * Every type, in tie-break order: when two findings overlap with the same score and
 * length, the one earlier here wins. Checksummed identifiers come first because a
 * passing checksum is stronger evidence than a shape or a context word.
 */
export const ENTITY_TYPES = [
  'IBAN_CODE',
  'CREDIT_CARD',
  'CRYPTO',
  'EMAIL_ADDRESS',
  'IT_FISCAL_CODE',
  'FR_NIR',
  'ES_NIF',
  'ES_NIE',
  'UK_NINO',
  'DE_TAX_ID',
  'NL_BSN',
  'UK_NHS',
  'US_SSN',
  'DE_ID_CARD',
  'US_PASSPORT',
  'UK_PASSPORT',
  'DE_PASSPORT',
  'FR_PASSPORT',
  'ES_PASSPORT',
  'IT_PASSPORT',
  'NL_PASSPORT',
  'IP_ADDRESS',
  'URL',
  'PHONE_NUMBER',
  'DATE_TIME',
  'PERSON',
  'LOCATION',
] as const

export type EntityType = (typeof ENTITY_TYPES)[number]

/** Types Presidio does not have; jitgate names them in Presidio's style. */
export const JITGATE_ONLY_TYPES: ReadonlySet<EntityType> = new Set([
  'FR_NIR',
  'DE_TAX_ID',
  'DE_ID_CARD',
  'NL_BSN',
  'UK_PASSPORT',
  'DE_PASSPORT',
  'FR_PASSPORT',
  'ES_PASSPORT',
  'NL_PASSPORT',
])

const KNOWN: ReadonlySet<string> = new Set(ENTITY_TYPES)

export function isEntityType(name: string): name is EntityType {
  return KNOWN.has(name)
}

/** The rank used to break ties: lower wins. */
export const TYPE_RANK: ReadonlyMap<EntityType, number> = new Map(ENTITY_TYPES.map((t, i) => [t, i]))

/**
 * One piece of personal data found in a text. `start` and `end` are UTF-16 code unit
 * offsets, that is JavaScript string indices: `text.slice(start, end)` is the match,
 * whatever non-ASCII text or emoji comes before it. A byte-oriented consumer must convert.
 */
export interface PiiFinding {
  readonly type: EntityType
  readonly start: number
  readonly end: number
  /** 0–1: how sure the detector is, after context words and column hints. */
  readonly score: number
  /** Which detector produced it, for explaining and tuning. */
  readonly detector: string
}
