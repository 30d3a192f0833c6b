// Check-digit algorithms shared by several detectors. Each takes the identifier with
// separators already removed and answers whether it is internally consistent; none
// allocates beyond small numbers, so they stay cheap on every candidate.

const ZERO = 48

/** Luhn (mod 10) over a digit string: payment cards, IMEI. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - ZERO
    if (d < 0 || d > 9) return false
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return digits.length > 0 && sum % 10 === 0
}

/** Value of an alphanumeric character in ISO 13616 / ICAO schemes: 0–9, then A=10 … Z=35. */
export function alnumValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 90) return code - 55
  if (code >= 97 && code <= 122) return code - 87
  return -1
}

/**
 * ISO 7064 MOD 97-10 remainder of an alphanumeric string, letters expanded to two
 * digits, computed piecewise so no big number is built. IBANs and the French NIR use it.
 */
export function mod97(text: string): number {
  let rest = 0
  for (let i = 0; i < text.length; i++) {
    const v = alnumValue(text.charCodeAt(i))
    if (v < 0) return -1
    rest = v > 9 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97
  }
  return rest
}

/** ISO 7064 MOD 11,10 check digit for a digit string (German Steuer-ID). */
export function mod11_10CheckDigit(digits: string): number {
  let product = 10
  for (let i = 0; i < digits.length; i++) {
    let sum = (digits.charCodeAt(i) - ZERO + product) % 10
    if (sum === 0) sum = 10
    product = (sum * 2) % 11
  }
  const check = 11 - product
  return check === 10 ? 0 : check
}

/** ICAO 9303 check digit (weights 7, 3, 1; `<` counts 0), as in passports and ID cards. */
export function icaoCheckDigit(text: string): number {
  const weights = [7, 3, 1]
  let sum = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const v = code === 60 ? 0 : alnumValue(code)
    if (v < 0) return -1
    sum += v * (weights[i % 3] ?? 1)
  }
  return sum % 10
}

/** Weighted digit sum: digit i times weights[i]. Weights and digits must be the same length. */
export function weightedSum(digits: string, weights: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - ZERO) * (weights[i] ?? 0)
  return sum
}

/** The digits of `text`, separators dropped. */
export function digitsOf(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) out += text[i]
  }
  return out
}

/** True when every character is the same: 000000000 and 111111111 pass many checksums. */
export function allSame(text: string): boolean {
  for (let i = 1; i < text.length; i++) if (text.charCodeAt(i) !== text.charCodeAt(0)) return false
  return true
}
