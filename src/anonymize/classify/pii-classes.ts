// The classifications a column can get, named as policies name them (`pii.email` is a
// Classifications entry in a policy set), and which detected entity types map to which.
import type { EntityType } from '../detect/index.ts'

export const PII_CLASSES = [
  'pii.email',
  'pii.phone',
  'pii.name',
  'pii.address',
  'pii.card',
  'pii.iban',
  'pii.ssn',
  'pii.national_id',
  'pii.passport',
  'pii.ip',
  'pii.dob',
  'pii.url',
  'pii.crypto',
  'pii.none',
] as const

export type PiiClass = (typeof PII_CLASSES)[number]

/** The class of each entity type; government ids other than US SSNs and passports are national ids. */
export function classOf(type: EntityType): PiiClass {
  switch (type) {
    case 'EMAIL_ADDRESS':
      return 'pii.email'
    case 'PHONE_NUMBER':
      return 'pii.phone'
    case 'PERSON':
      return 'pii.name'
    case 'LOCATION':
      return 'pii.address'
    case 'CREDIT_CARD':
      return 'pii.card'
    case 'IBAN_CODE':
      return 'pii.iban'
    case 'US_SSN':
      return 'pii.ssn'
    case 'IP_ADDRESS':
      return 'pii.ip'
    case 'DATE_TIME':
      return 'pii.dob'
    case 'URL':
      return 'pii.url'
    case 'CRYPTO':
      return 'pii.crypto'
    default:
      return type.endsWith('_PASSPORT') ? 'pii.passport' : 'pii.national_id'
  }
}

/** Rank for ties: earlier in PII_CLASSES wins. */
export const CLASS_RANK: ReadonlyMap<PiiClass, number> = new Map(PII_CLASSES.map((c, i) => [c, i]))
