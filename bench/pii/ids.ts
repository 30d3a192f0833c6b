// Valid identifiers for the evaluation set, with their check digits computed here and not
// by the detectors' code, so a wrong algorithm on either side shows up as missed findings.
import { createHash } from 'node:crypto'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Prng } from '../policy/prng.ts'

export const digits = (rng: Prng, n: number): string => {
  let s = ''
  for (let i = 0; i < n; i++) s += String(rng.int(10))
  return s
}
const letters = (rng: Prng, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string => {
  let s = ''
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)]
  return s
}

function luhnDigit(partial: string): number {
  let sum = 0
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i])
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

export function card(rng: Prng): string {
  const [prefix, length] = rng.pick([
    ['4', 16],
    ['4', 16],
    [String(rng.between(51, 55)), 16],
    [String(rng.between(2221, 2720)), 16],
    [rng.pick(['34', '37']), 15],
    ['6011', 16],
    [String(rng.between(3528, 3589)), 16],
  ] as const)
  const body = prefix + digits(rng, length - prefix.length - 1)
  const number = body + luhnDigit(body)
  const style = rng.int(3)
  if (style === 0) return number
  const sep = style === 1 ? ' ' : '-'
  if (length === 15) return [number.slice(0, 4), number.slice(4, 10), number.slice(10)].join(sep)
  return number.match(/.{4}/g)?.join(sep) ?? number
}

/** A 16-digit number that fails Luhn: the hard negative the issue names. */
export function luhnFailing(rng: Prng): string {
  const body = rng.pick(['4', '5', '3', '6']) + digits(rng, 14)
  const wrong = (luhnDigit(body) + 1 + rng.int(9)) % 10
  const number = body + wrong
  return rng.chance(0.5) ? number : (number.match(/.{4}/g)?.join(' ') ?? number)
}

function mod97(text: string): number {
  let rest = 0
  for (const ch of text) {
    const v = Number.parseInt(ch, 36)
    rest = v > 9 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97
  }
  return rest
}

const IBAN_FORMATS: Readonly<Record<string, (rng: Prng) => string>> = {
  DE: (rng) => digits(rng, 18),
  FR: (rng) => digits(rng, 23),
  ES: (rng) => digits(rng, 20),
  IT: (rng) => letters(rng, 1) + digits(rng, 22),
  NL: (rng) => letters(rng, 4) + digits(rng, 10),
  GB: (rng) => letters(rng, 4) + digits(rng, 14),
  BE: (rng) => digits(rng, 12),
  AT: (rng) => digits(rng, 16),
  CH: (rng) => digits(rng, 17),
}

export function iban(rng: Prng, country = rng.pick(Object.keys(IBAN_FORMATS))): string {
  const bban = (IBAN_FORMATS[country] ?? IBAN_FORMATS.DE)?.(rng) ?? ''
  const check = String(98 - mod97(`${bban}${country}00`)).padStart(2, '0')
  const compact = `${country}${check}${bban}`
  return rng.chance(0.6) ? (compact.match(/.{1,4}/g)?.join(' ') ?? compact) : compact
}

export function ssn(rng: Prng, dashed = true): string {
  let area = rng.between(1, 899)
  if (area === 666) area = 667
  const a = String(area).padStart(3, '0')
  const g = String(rng.between(1, 99)).padStart(2, '0')
  const s = String(rng.between(1, 9999)).padStart(4, '0')
  return dashed ? `${a}-${g}-${s}` : `${a}${g}${s}`
}

export function dni(rng: Prng): string {
  const n = digits(rng, 8)
  return n + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(n) % 23]
}

export function nie(rng: Prng): string {
  const lead = rng.int(3)
  const n = digits(rng, 7)
  return 'XYZ'[lead] + n + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(`${lead}${n}`) % 23]
}

const ODD: Readonly<Record<string, number>> = Object.fromEntries(
  [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c) => {
    const table = [
      1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
    ]
    const i = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65
    return [c, table[i] ?? 0]
  }),
)

export function fiscalCode(rng: Prng): string {
  const day = rng.between(1, 28) + (rng.chance(0.5) ? 40 : 0)
  const body = `${letters(rng, 6)}${digits(rng, 2)}${rng.pick([...'ABCDEHLMPRST'])}${String(day).padStart(2, '0')}${letters(rng, 1)}${digits(rng, 3)}`
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const c = body[i] ?? '0'
    sum += i % 2 === 0 ? (ODD[c] ?? 0) : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65
  }
  return body + String.fromCharCode(65 + (sum % 26))
}

export function bsn(rng: Prng): string {
  for (;;) {
    const n = digits(rng, 9)
    let sum = 0
    for (let i = 0; i < 8; i++) sum += Number(n[i]) * (9 - i)
    sum -= Number(n[8])
    if (sum > 0 && sum % 11 === 0 && n[0] !== '0') return n
  }
}

export function nir(rng: Prng): string {
  const body = `${rng.pick(['1', '2'])}${digits(rng, 2)}${String(rng.between(1, 12)).padStart(2, '0')}${String(rng.between(1, 95)).padStart(2, '0')}${digits(rng, 3)}${digits(rng, 3)}`
  const key = String(97 - (Number(body) % 97)).padStart(2, '0')
  const spaced = rng.chance(0.6)
  if (!spaced) return body + key
  return [
    body[0],
    body.slice(1, 3),
    body.slice(3, 5),
    body.slice(5, 7),
    body.slice(7, 10),
    body.slice(10, 13),
    key,
  ].join(' ')
}

export function nino(rng: Prng): string {
  const first = rng.pick([...'ABCEGHJKLMNOPRSTWXYZ'])
  const second = rng.pick([...'ABCEGHJKLMNPRSTWXYZ'])
  const prefix = ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(first + second) ? 'AB' : first + second
  const n = digits(rng, 6)
  const suffix = rng.pick([...'ABCD'])
  return rng.chance(0.5)
    ? `${prefix}${n}${suffix}`
    : `${prefix} ${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4)} ${suffix}`
}

export function nhs(rng: Prng): string {
  for (;;) {
    const n = digits(rng, 9)
    let sum = 0
    for (let i = 0; i < 9; i++) sum += Number(n[i]) * (10 - i)
    const check = (11 - (sum % 11)) % 11
    if (check === 10) continue
    const all = `${n}${check}`
    return rng.chance(0.7) ? `${all.slice(0, 3)} ${all.slice(3, 6)} ${all.slice(6)}` : all
  }
}

export function steuerId(rng: Prng): string {
  for (;;) {
    // Ten digits with exactly one repeated once: nine distinct digits plus one duplicate.
    const pool = rng.sample([...'0123456789'], 9)
    const dup = rng.pick(pool)
    const ten = rng.sample([...pool, dup], 10).join('')
    if (ten[0] === '0') continue
    let product = 10
    for (const ch of ten) {
      let sum = (Number(ch) + product) % 10
      if (sum === 0) sum = 10
      product = (sum * 2) % 11
    }
    const check = 11 - product === 10 ? 0 : 11 - product
    return `${ten}${check}`
  }
}

const DE_ALPHABET = 'CFGHJKLMNPRTVWXYZ0123456789'
export function deSerial(rng: Prng, kind: 'id' | 'passport'): string {
  const first = kind === 'id' ? rng.pick([...'LMNPRTVWXY']) : rng.pick([...'CFGHJK'])
  const rest = letters(rng, 2, DE_ALPHABET) + digits(rng, 2) + letters(rng, 4, DE_ALPHABET)
  return first + rest
}

export const passports: Readonly<Record<string, (rng: Prng) => string>> = {
  US_PASSPORT: (rng) => (rng.chance(0.5) ? digits(rng, 9) : letters(rng, 1) + digits(rng, 8)),
  UK_PASSPORT: (rng) => digits(rng, 9),
  FR_PASSPORT: (rng) => digits(rng, 2) + letters(rng, 2) + digits(rng, 5),
  ES_PASSPORT: (rng) => letters(rng, 3) + digits(rng, 6),
  IT_PASSPORT: (rng) => letters(rng, 2) + digits(rng, 7),
  NL_PASSPORT: (rng) =>
    letters(rng, 2, 'ABCDEFGHIJKLMNPQRSTUVWXYZ') +
    letters(rng, 6, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789') +
    digits(rng, 1),
}

const sha256 = (b: Uint8Array): Uint8Array => createHash('sha256').update(b).digest()
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

export function bitcoinBase58(rng: Prng): string {
  const payload = new Uint8Array(21)
  payload[0] = rng.chance(0.7) ? 0 : 5
  for (let i = 1; i < 21; i++) payload[i] = rng.int(256)
  const full = new Uint8Array([...payload, ...sha256(sha256(payload)).subarray(0, 4)])
  let n = BigInt(`0x${Buffer.from(full).toString('hex')}`)
  let out = ''
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out
    n /= 58n
  }
  for (const b of full) {
    if (b !== 0) break
    out = `1${out}`
  }
  return out
}

export function ethereum(rng: Prng): string {
  const hex = Array.from({ length: 40 }, () => '0123456789abcdef'[rng.int(16)]).join('')
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex))).toString('hex')
  const checksummed = [...hex]
    .map((c, i) => (Number.parseInt(hash[i] ?? '0', 16) >= 8 ? c.toUpperCase() : c))
    .join('')
  return `0x${checksummed}`
}
