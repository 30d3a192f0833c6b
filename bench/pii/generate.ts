// The evaluation set: seeded, deterministic sentences with labelled spans, mostly
// English, with German, French, Spanish, Italian and Dutch templates, about a third of
// them hard negatives with no personal data at all.
import type { EntityType } from '../../src/anonymize/detect/index.ts'
import { Prng } from '../policy/prng.ts'
import * as ids from './ids.ts'
import { LOOKALIKES } from './lookalikes.ts'
import { NEGATIVES } from './negatives.ts'
import { NEGATIVE, POSITIVE } from './templates.ts'
import * as values from './values.ts'
import type { Lang } from './vocab.ts'

export interface Span {
  readonly type: EntityType
  readonly start: number
  readonly end: number
}

export interface Sample {
  readonly text: string
  readonly spans: readonly Span[]
  readonly lang: Lang
}

type Fill = (rng: Prng, lang: Lang, variant: string | undefined) => string

const FILL: Readonly<Partial<Record<EntityType, Fill>>> = {
  PERSON: (rng, lang, v) =>
    v === 'surname'
      ? values.surname(rng, lang)
      : v === 'given'
        ? values.givenName(rng, lang)
        : values.fullName(rng, lang),
  EMAIL_ADDRESS: (rng, lang) => values.email(rng, lang),
  PHONE_NUMBER: (rng, lang) => values.phone(rng, lang),
  CREDIT_CARD: (rng) => ids.card(rng),
  IBAN_CODE: (rng) => ids.iban(rng),
  US_SSN: (rng, _, v) => ids.ssn(rng, v !== 'bare'),
  IP_ADDRESS: (rng, _, v) => values.ip(rng, v === '6' ? 6 : 4),
  URL: (rng) => values.url(rng),
  DATE_TIME: (rng, lang) => values.birthDate(rng, lang),
  CRYPTO: (rng) => values.crypto(rng),
  LOCATION: (rng, lang, v) =>
    v === 'town' ? values.town(rng, lang) : v === 'country' ? values.country(rng) : values.address(rng, lang),
  UK_NHS: (rng) => ids.nhs(rng),
  UK_NINO: (rng) => ids.nino(rng),
  ES_NIF: (rng) => ids.dni(rng),
  ES_NIE: (rng) => ids.nie(rng),
  IT_FISCAL_CODE: (rng) => ids.fiscalCode(rng),
  NL_BSN: (rng) => ids.bsn(rng),
  FR_NIR: (rng) => ids.nir(rng),
  DE_TAX_ID: (rng) => ids.steuerId(rng),
  DE_ID_CARD: (rng) => ids.deSerial(rng, 'id'),
  DE_PASSPORT: (rng) => ids.deSerial(rng, 'passport'),
}

function fill(type: string, rng: Prng, lang: Lang, variant: string | undefined): string {
  const passport = ids.passports[type]
  if (passport !== undefined) return passport(rng)
  const f = FILL[type as EntityType]
  if (f !== undefined) return f(rng, lang, variant)
  const negative = NEGATIVES[type] ?? LOOKALIKES[type]
  if (negative === undefined) throw new Error(`template slot {${type}} has no generator`)
  return negative(rng)
}

const SLOT = /\{([A-Za-z_0-9]+)(?::([a-z0-9]+))?\}/g

export function render(template: string, rng: Prng, lang: Lang): Sample {
  let text = ''
  const spans: Span[] = []
  let last = 0
  for (const m of template.matchAll(SLOT)) {
    text += template.slice(last, m.index)
    const [, slot = '', variant] = m
    const value = fill(slot, rng, lang, variant)
    if (slot === slot.toUpperCase())
      spans.push({ type: slot as EntityType, start: text.length, end: text.length + value.length })
    text += value
    last = m.index + m[0].length
  }
  return { text: text + template.slice(last), spans, lang }
}

const LANGS: readonly (readonly [Lang, number])[] = [
  ['en', 5],
  ['de', 1],
  ['fr', 1],
  ['es', 1],
  ['it', 1],
  ['nl', 1],
]

/** `count` samples from `seed`: the same seed gives the same set on every machine. */
export function makeEvalSet(seed: number, count: number): Sample[] {
  const rng = new Prng(seed)
  const samples: Sample[] = []
  for (let i = 0; i < count; i++) {
    const lang = rng.weighted(LANGS)
    const templates = rng.chance(0.3) ? NEGATIVE[lang] : POSITIVE[lang]
    samples.push(render(rng.pick(templates), rng, lang))
  }
  return samples
}
