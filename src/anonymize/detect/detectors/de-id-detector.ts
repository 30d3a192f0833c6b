// German identifiers: the Steuer-ID (11 digits, ISO 7064 MOD 11,10 check digit, one digit
// repeated in the first ten) and the serial numbers of the Personalausweis and Reisepass
// (nine characters from an alphabet without vowels and look-alike letters; ID cards start
// with L–Y, passports with C–K). The serial's ICAO check digit is printed only in the
// machine-readable zone, so a tenth digit that checks out makes the match near-certain.
import { icaoCheckDigit, mod11_10CheckDigit } from '../checksums.ts'
import type { EntityType, PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const TAX_ID = /(?<![A-Za-z0-9_.-])(?:[1-9]\d{10}|[1-9]\d \d{3} \d{3} \d{3})(?![A-Za-z0-9_]|[ .-]\d)/g
const SERIAL = /(?<![A-Za-z0-9_])([CFGHJKLMNPRTVWXY][CFGHJKLMNPRTVWXYZ0-9]{8})(\d?)(?![A-Za-z0-9_])/g

/** The digit-distribution rule: in the first ten digits one digit occurs twice or three times. */
function distributionOk(first10: string): boolean {
  const counts = new Array<number>(10).fill(0)
  for (let i = 0; i < 10; i++)
    counts[first10.charCodeAt(i) - 48] = (counts[first10.charCodeAt(i) - 48] ?? 0) + 1
  let repeated = 0
  for (const c of counts) {
    if (c > 3) return false
    if (c > 1) repeated++
  }
  // Since 2016 a digit may occur three times, but never three times in a row.
  return repeated === 1 && !/(\d)\1\1/.test(first10)
}

export function validTaxId(digits: string): boolean {
  if (digits.length !== 11 || digits[0] === '0') return false
  return distributionOk(digits.slice(0, 10)) && mod11_10CheckDigit(digits.slice(0, 10)) === Number(digits[10])
}

function digitCount(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 57) n++
  return n
}

export const deIdDetector: Detector = {
  name: 'de-id',
  types: ['DE_TAX_ID', 'DE_ID_CARD', 'DE_PASSPORT'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    for (const m of matches(TAX_ID, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      if (!validTaxId(m[0].replaceAll(' ', ''))) continue
      out.push({
        type: 'DE_TAX_ID',
        start: m.index,
        end: m.index + m[0].length,
        score: 0.6,
        detector: 'de-tax-id',
      })
    }
    for (const m of matches(SERIAL, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      const [, serial = '', check = ''] = m
      // Real serials mix in digits; upper-case words of these letters do not.
      if (digitCount(serial) < 2) continue
      if (check !== '' && icaoCheckDigit(serial) !== Number(check)) continue
      const type: EntityType = 'CFGHJK'.includes(serial[0] ?? '') ? 'DE_PASSPORT' : 'DE_ID_CARD'
      const score = check === '' ? (type === 'DE_ID_CARD' ? 0.3 : 0.2) : 0.75
      out.push({ type, start: m.index, end: m.index + m[0].length, score, detector: 'de-document' })
    }
  },
}
