// Hard negatives the issue names: order, invoice and tracking numbers, ISBNs, timestamps,
// UUIDs, version strings, Luhn-failing 16-digit numbers, random nine-digit numbers.
import type { Prng } from '../policy/prng.ts'
import * as ids from './ids.ts'

/** Hard negatives: numbers and codes that look like personal data and are not. */
export const NEGATIVES: Readonly<Record<string, (rng: Prng) => string>> = {
  order: (rng) =>
    rng.pick([
      `ORD-${rng.between(2019, 2025)}-${ids.digits(rng, 6)}`,
      `#${ids.digits(rng, 7)}`,
      ids.digits(rng, 8),
    ]),
  invoice: (rng) =>
    rng.pick([
      `INV-${rng.between(2019, 2025)}-${ids.digits(rng, 5)}`,
      `RE-${rng.between(2019, 2025)}-${ids.digits(rng, 4)}`,
    ]),
  isbn: (rng) =>
    rng.pick([
      `978-${rng.int(10)}-${ids.digits(rng, 2)}-${ids.digits(rng, 6)}-${rng.int(10)}`,
      `0-${ids.digits(rng, 3)}-${ids.digits(rng, 5)}-${rng.int(10)}`,
    ]),
  timestamp: (rng) => {
    const d = `${rng.between(2019, 2025)}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`
    const t = `${String(rng.int(24)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}`
    return rng.pick([`${d}T${t}Z`, `${d} ${t}`, String(rng.between(1_500_000_000, 1_750_000_000))])
  },
  isodate: (rng) =>
    `${rng.between(2019, 2025)}-${String(rng.between(1, 12)).padStart(2, '0')}-${String(rng.between(1, 28)).padStart(2, '0')}`,
  uuid: (rng) => {
    const h = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('')
    return `${h(8)}-${h(4)}-4${h(3)}-${rng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`
  },
  tracking: (rng) =>
    rng.pick([
      `1Z${ids.digits(rng, 3)}AA${ids.digits(rng, 10)}`,
      `9400 1000 0000 ${ids.digits(rng, 4)} ${ids.digits(rng, 4)} ${ids.digits(rng, 2)}`,
      ids.digits(rng, 10),
      `JD${ids.digits(rng, 18)}`,
    ]),
  version: (rng) =>
    rng.pick([
      `v${rng.between(1, 12)}.${rng.int(30)}.${rng.int(20)}`,
      `${rng.between(1, 12)}.${rng.int(30)}.${rng.int(200)}`,
    ]),
  version4: (rng) => `${rng.between(1, 20)}.${rng.int(10)}.${rng.int(200)}.${rng.int(250)}`,
  luhnfail: ids.luhnFailing,
  rand9: (rng) => `${rng.between(1, 9)}${ids.digits(rng, 8)}`,
  amount: (rng) =>
    rng.pick([
      `€${rng.between(10, 9999)}.${ids.digits(rng, 2)}`,
      `$${rng.between(1, 99)},${ids.digits(rng, 3)}.00`,
    ]),
  sku: (rng) => `SKU-${ids.digits(rng, 4)}-${rng.pick(['RED', 'BLU', 'XL'])}`,
}
