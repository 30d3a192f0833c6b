// Values for the template slots: personal data per type and language.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import type { Prng } from '../policy/prng.ts'
import { bech32Address } from './bech32.ts'
import * as ids from './ids.ts'
import { EMAIL_DOMAINS, type Lang, PARTICLES, VOCAB } from './vocab.ts'

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')

export const givenName = (rng: Prng, lang: Lang): string => rng.pick(VOCAB[lang].given)
export const surname = (rng: Prng, lang: Lang): string => {
  const particle = PARTICLES[lang]
  const base = rng.pick(VOCAB[lang].surnames)
  return particle !== undefined && rng.chance(0.25) ? `${rng.pick(particle)} ${base}` : base
}
export const fullName = (rng: Prng, lang: Lang): string => `${givenName(rng, lang)} ${surname(rng, lang)}`

export function email(rng: Prng, lang: Lang): string {
  const g = ascii(givenName(rng, lang))
  const s = ascii(rng.pick(VOCAB[lang].surnames))
  const user = rng.pick([
    `${g}.${s}`,
    `${g[0]}${s}`,
    `${g}${rng.between(1, 99)}`,
    `${s}.${g}+news`,
    `${g}_${s}`,
  ])
  return `${user}@${rng.pick(EMAIL_DOMAINS)}`
}

/** National prefixes that start real numbers in each region, the rest drawn at random. */
const plans = (text: string): readonly (readonly [string, number])[] =>
  text.split(' ').map((p) => [p.split('+')[0] ?? '', Number(p.split('+')[1])] as const)

/** National prefixes that start real numbers in each region ("030+8": 030 and 8 random digits). */
const PHONE_PLANS: Readonly<Record<Lang, readonly [CountryCode, readonly (readonly [string, number])[]]>> = {
  en: ['US', plans('212+7 415+7 312+7 617+7 206+7 303+7')],
  de: ['DE', plans('030+8 089+7 0151+8 0170+7 040+8 0221+7')],
  fr: ['FR', plans('01+8 04+8 06+8 07+8')],
  es: ['ES', plans('6+8 91+7 93+7')],
  it: ['IT', plans('3+9 06+8 02+8')],
  nl: ['NL', plans('06+8 020+7 010+7')],
}
const GB_PLANS = plans('020+8 0161+7 07+9')

export function phone(rng: Prng, lang: Lang): string {
  const region = lang === 'en' && rng.chance(0.3) ? 'GB' : PHONE_PLANS[lang][0]
  const options = region === 'GB' ? GB_PLANS : PHONE_PLANS[lang][1]
  for (;;) {
    const [prefix, rest] = rng.pick(options)
    const parsed = parsePhoneNumberFromString(prefix + ids.digits(rng, rest), region)
    if (parsed === undefined || !parsed.isValid()) continue
    const style = rng.int(10)
    if (style < 5) return parsed.formatNational()
    if (style < 9) return parsed.formatInternational()
    return parsed.number
  }
}

const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  en: 'January February March April May June July August September October November December'.split(' '),
  de: 'Januar Februar März April Mai Juni Juli August September Oktober November Dezember'.split(' '),
  fr: 'janvier février mars avril mai juin juillet août septembre octobre novembre décembre'.split(' '),
  es: 'enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre'.split(' '),
  it: 'gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre'.split(
    ' ',
  ),
  nl: 'januari februari maart april mei juni juli augustus september oktober november december'.split(' '),
}

export function birthDate(rng: Prng, lang: Lang): string {
  const y = rng.between(1935, 2006)
  const m = rng.between(1, 12)
  const d = rng.between(1, 28)
  const dd = String(d).padStart(2, '0')
  const mm = String(m).padStart(2, '0')
  const name = MONTHS[lang][m - 1] ?? ''
  const forms: Record<Lang, readonly string[]> = {
    en: [`${name} ${d}, ${y}`, `${d} ${name} ${y}`, `${y}-${mm}-${dd}`, `${mm}/${dd}/${y}`],
    de: [`${dd}.${mm}.${y}`, `${d}. ${name} ${y}`],
    fr: [`${dd}/${mm}/${y}`, `${d} ${name} ${y}`],
    es: [`${dd}/${mm}/${y}`, `${d} de ${name} de ${y}`],
    it: [`${dd}/${mm}/${y}`, `${d} ${name} ${y}`],
    nl: [`${dd}-${mm}-${y}`, `${d} ${name} ${y}`],
  }
  return rng.pick(forms[lang])
}

export function ip(rng: Prng, version: 4 | 6 = rng.chance(0.75) ? 4 : 6): string {
  if (version === 4) return [rng.between(1, 223), rng.int(256), rng.int(256), rng.between(1, 254)].join('.')
  const groups = Array.from({ length: 8 }, () => rng.int(0x10000).toString(16))
  if (rng.chance(0.5)) return groups.join(':')
  return `2001:db8::${groups.slice(5).join(':')}`
}

const SITE_WORDS = ['acme', 'portal', 'shop', 'news', 'travel', 'bookings', 'mybank', 'clinic', 'events']
export function url(rng: Prng): string {
  const w = rng.pick(SITE_WORDS)
  return rng.pick([
    `https://www.${w}.com/account/${rng.between(100, 999)}`,
    `http://${w}.example.org/profile?id=${rng.between(1000, 9999)}`,
    `https://${w}.de/kontakt`,
    `www.${w}.co.uk`,
    `https://${w}.example.net/u/${ascii(rng.pick(VOCAB.en.given))}`,
  ])
}

export function crypto(rng: Prng): string {
  const kind = rng.int(3)
  return kind === 0 ? ids.bitcoinBase58(rng) : kind === 1 ? bech32Address(rng) : ids.ethereum(rng)
}

const POSTCODE: Readonly<Record<Lang, (rng: Prng) => string>> = {
  en: (rng) =>
    `${rng.pick(['SW1A', 'NW1', 'M1', 'LS2', 'BS1', 'EH1'])} ${rng.between(1, 9)}${rng.pick(['AA', 'XE', 'BD', 'QT'])}`,
  de: (rng) => ids.digits(rng, 5),
  fr: (rng) => ids.digits(rng, 5),
  es: (rng) => ids.digits(rng, 5),
  it: (rng) => ids.digits(rng, 5),
  nl: (rng) => `${rng.between(1000, 9999)} ${rng.pick(['AB', 'CD', 'KL', 'PX', 'RT'])}`,
}

/** A street address with number, postcode and town, in the language's usual order. */
export function address(rng: Prng, lang: Lang): string {
  const v = VOCAB[lang]
  const n = rng.between(1, 250)
  const street = rng.pick(v.streets)
  const town = rng.pick(v.towns)
  const pc = POSTCODE[lang](rng)
  switch (lang) {
    case 'en':
      return rng.chance(0.5)
        ? `${n} ${street} ${rng.pick(['Street', 'Road', 'Lane'])}, ${town} ${pc}`
        : `${n} ${street} ${rng.pick(['Avenue', 'Street'])}, ${town}, ${rng.pick(['MA', 'IL', 'WA', 'CO'])} ${ids.digits(rng, 5)}`
    case 'de':
      return `${street}${rng.pick(['straße', 'weg', 'platz', 'allee'])} ${n}, ${pc} ${town}`
    case 'fr':
      return `${n} ${rng.pick(['rue', 'avenue', 'boulevard'])} ${street}, ${pc} ${town}`
    case 'es':
      return `${rng.pick(['Calle', 'Avenida', 'Plaza'])} ${street}, ${n}, ${pc} ${town}`
    case 'it':
      return `${rng.pick(['Via', 'Viale', 'Piazza'])} ${street} ${n}, ${pc} ${town}`
    case 'nl':
      return `${street}${rng.pick(['straat', 'laan', 'weg', 'gracht'])} ${n}, ${pc} ${town}`
  }
}

export const town = (rng: Prng, lang: Lang): string => rng.pick(VOCAB[lang].towns)
export const country = (rng: Prng): string =>
  rng.pick([
    'Germany',
    'France',
    'Spain',
    'Italy',
    'Belgium',
    'Portugal',
    'Ireland',
    'Canada',
    'Austria',
    'Denmark',
  ])
