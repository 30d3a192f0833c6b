// Hard negatives that share an identifier's shape but fail its checksum or rules:
// what separates a checksum-validating detector from a pattern matcher.
import type { Prng } from '../policy/prng.ts'
import * as ids from './ids.ts'

/** Changes one digit of a string of digits and letters (never its first character). */
function typo(rng: Prng, text: string, positions: readonly number[]): string {
  const at = rng.pick(positions)
  const old = text[at] ?? '0'
  const next = String((Number(old) + 1 + rng.int(8)) % 10)
  return text.slice(0, at) + next + text.slice(at + 1)
}

const digitPositions = (text: string): number[] =>
  [...text].flatMap((c, i) => (i > 0 && /\d/.test(c) ? [i] : []))

export const LOOKALIKES: Readonly<Record<string, (rng: Prng) => string>> = {
  /** An IBAN with one mistyped digit: mod 97 catches every single-digit error. */
  badiban: (rng) => {
    const good = ids.iban(rng, rng.pick(['DE', 'FR', 'NL', 'ES'])).replaceAll(' ', '')
    return typo(
      rng,
      good,
      digitPositions(good).filter((i) => i > 3),
    )
  },
  /** Eight digits and a letter that is not the DNI control letter. */
  baddni: (rng) => {
    const good = ids.dni(rng)
    const letter = 'TRWAGMYFPDXBNJZSQVHLCKE'.replace(good.slice(-1), '')
    return good.slice(0, 8) + rng.pick([...letter])
  },
  /** SSN-shaped numbers in ranges the SSA never issues. */
  badssn: (rng) =>
    `${rng.pick(['000', '666', String(rng.between(900, 999))])}-${String(rng.between(1, 99)).padStart(2, '0')}-${String(rng.between(1, 9999)).padStart(4, '0')}`,
  badbsn: (rng) => {
    for (;;) {
      const n = `${rng.between(1, 9)}${ids.digits(rng, 8)}`
      let sum = 0
      for (let i = 0; i < 8; i++) sum += Number(n[i]) * (9 - i)
      if ((sum - Number(n[8])) % 11 !== 0) return n
    }
  },
  badfiscal: (rng) => {
    const good = ids.fiscalCode(rng)
    const last = good.charCodeAt(15)
    return good.slice(0, 15) + String.fromCharCode(65 + ((last - 65 + 1 + rng.int(24)) % 26))
  },
  badnir: (rng) => {
    const good = ids.nir(rng).replaceAll(' ', '')
    return good.slice(0, 13) + String((Number(good.slice(13)) % 97) + 1).padStart(2, '0')
  },
  badnhs: (rng) => {
    const good = ids.nhs(rng).replaceAll(' ', '')
    return typo(rng, good, [9])
  },
  /** Transaction hashes and git commits: long hex, not an address. */
  txhash: (rng) => `0x${Array.from({ length: 64 }, () => '0123456789abcdef'[rng.int(16)]).join('')}`,
  gitsha: (rng) => Array.from({ length: 40 }, () => '0123456789abcdef'[rng.int(16)]).join(''),
  /** An Ethereum-shaped address with one letter's case flipped: EIP-55 must reject it. */
  badeth: (rng) => {
    const good = ids.ethereum(rng)
    const letters = [...good].flatMap((c, i) => (i > 1 && /[a-fA-F]/.test(c) ? [i] : []))
    if (letters.length === 0) return good.toLowerCase().replace('0x', '0y')
    const at = rng.pick(letters)
    const c = good[at] ?? 'a'
    const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()
    return good.slice(0, at) + flipped + good.slice(at + 1)
  },
  /** Eleven-digit and ten-digit numbers: customer numbers, account numbers. */
  rand11: (rng) => `${rng.between(1, 9)}${ids.digits(rng, 10)}`,
  rand10: (rng) => `${rng.between(1, 9)}${ids.digits(rng, 9)}`,
  /** Product codes with a NINO-like shape but no suffix, and other capital-digit codes. */
  code: (rng) =>
    rng.pick([
      `QX${ids.digits(rng, 6)}`,
      `PRD-${ids.digits(rng, 5)}`,
      `A${ids.digits(rng, 3)}-${ids.digits(rng, 2)}`,
    ]),
}
