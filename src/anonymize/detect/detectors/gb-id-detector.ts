// UK National Insurance numbers (two prefix letters under HMRC's rules, six digits, a
// suffix A–D) and NHS numbers (ten digits, mod 11 check). NHS numbers are written 3-3-4
// like US phone numbers, so without "NHS" nearby they score below a formatted phone.
import { weightedSum } from '../checksums.ts'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

// First letter not D F I Q U V; second not D F I O Q U V.
const NINO =
  /(?<![A-Za-z0-9_])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2})(?: ?([A-D]))?(?![A-Za-z0-9_])/g
const NHS = /(?<![A-Za-z0-9_.-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![A-Za-z0-9_]|[ .-]\d)/g

/** Prefixes HMRC never issues. */
const BAD_PREFIX = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'])

export function validNhs(digits: string): boolean {
  if (digits.length !== 10) return false
  const rest = 11 - (weightedSum(digits, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)
  const check = rest === 11 ? 0 : rest
  return check !== 10 && check === Number(digits[9])
}

export const gbIdDetector: Detector = {
  name: 'gb-id',
  types: ['UK_NINO', 'UK_NHS'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(NINO, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      if (BAD_PREFIX.has(m[1] ?? '')) continue
      // Without its suffix letter the shape is common among product and reference codes.
      const score = m[5] === undefined ? 0.45 : 0.8
      out.push({ type: 'UK_NINO', start: m.index, end: m.index + m[0].length, score, detector: 'uk-nino' })
    }
    for (const m of matches(NHS, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      if (!validNhs(`${m[1]}${m[3]}${m[4]}`)) continue
      const score = m[2] === '' ? 0.3 : 0.45
      out.push({ type: 'UK_NHS', start: m.index, end: m.index + m[0].length, score, detector: 'uk-nhs' })
    }
  },
}
