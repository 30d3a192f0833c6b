// The baseline: the same entity types found by plain patterns only, with no checksum,
// no range rule, no context word, no phone-number metadata and no word lists beyond
// a capitalised-pair rule for names. It answers what validation and context buy in F1,
// and what they cost in time, on the same samples in the same run.
import { type EntityType, type PiiFinding, resolveOverlaps } from '../../src/anonymize/detect/index.ts'

const B = '(?<![\\w])'
const E = '(?![\\w])'

const PATTERNS: readonly (readonly [EntityType, RegExp])[] = (
  [
    ['EMAIL_ADDRESS', '[\\w.+-]{1,64}@[\\w-]{1,63}(?:\\.[\\w-]{1,63}){1,5}'],
    ['URL', '(?:https?://|www\\.)[^\\s<>"]{2,2048}'],
    ['IP_ADDRESS', `${B}\\d{1,3}(?:\\.\\d{1,3}){3}${E}`],
    ['IP_ADDRESS', `${B}[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}${E}`],
    ['CRYPTO', `${B}(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[a-z0-9]{8,87}|0x[0-9a-fA-F]{40})${E}`],
    ['IBAN_CODE', `${B}[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?${E}`],
    ['CREDIT_CARD', `${B}\\d(?:[ -]?\\d){12,18}${E}`],
    ['US_SSN', `${B}\\d{3}-\\d{2}-\\d{4}${E}`],
    ['ES_NIF', `${B}\\d{8}[A-Z]${E}`],
    ['ES_NIE', `${B}[XYZ]\\d{7}[A-Z]${E}`],
    ['IT_FISCAL_CODE', `${B}[A-Z]{6}\\d{2}[A-Z]\\d{2}[A-Z]\\d{3}[A-Z]${E}`],
    ['FR_NIR', `${B}[12] ?\\d{2} ?\\d{2} ?\\d{2} ?\\d{3} ?\\d{3} ?\\d{2}${E}`],
    ['UK_NINO', `${B}[A-Z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]${E}`],
    ['UK_NHS', `${B}\\d{3} \\d{3} \\d{4}${E}`],
    ['DE_TAX_ID', `${B}\\d{11}${E}`],
    ['DE_ID_CARD', `${B}[LMNPRTVWXY][0-9A-Z]{8}${E}`],
    ['DE_PASSPORT', `${B}[CFGHJK][0-9A-Z]{8}${E}`],
    ['NL_BSN', `${B}\\d{9}${E}`],
    ['FR_PASSPORT', `${B}\\d{2}[A-Z]{2}\\d{5}${E}`],
    ['ES_PASSPORT', `${B}[A-Z]{3}\\d{6}${E}`],
    ['IT_PASSPORT', `${B}[A-Z]{2}\\d{7}${E}`],
    ['PHONE_NUMBER', `(?<![\\w+])\\+?\\(?\\d[\\d ().-]{6,18}\\d${E}`],
    ['DATE_TIME', `${B}(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{4})${E}`],
    ['PERSON', `${B}[A-Z][a-z]{1,20} [A-Z][a-z]{1,20}${E}`],
  ] as const
).map(([type, source]) => [type, new RegExp(source, 'g')] as const)

/** All matches of all patterns, every score 0.5, overlaps resolved by length then pattern order. */
export function naiveScan(text: string): PiiFinding[] {
  const found: PiiFinding[] = []
  for (const [type, re] of PATTERNS) {
    re.lastIndex = 0
    for (const m of text.matchAll(re))
      found.push({ type, start: m.index, end: m.index + m[0].length, score: 0.5, detector: 'naive' })
  }
  return resolveOverlaps(found)
}
