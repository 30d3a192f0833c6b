// The text a keyed transform works on. The same text gives the same pseudonym, token
// or noise, so `42` and `"42"` join; anything else (objects, booleans, NaN) is not a
// value these transforms may see, and the masker redacts it.
import { wrongInput } from './anonymize-error.ts'

/** A string as it is, a number or bigint in its decimal form, a Date in ISO 8601 (UTC). */
export function valueText(value: unknown, transform: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'bigint') return String(value)
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  throw wrongInput(transform, 'a string, a finite number or a date')
}

/** A finite number from a number or a decimal string (`-12.5`, `3e4`); what a CSV cell holds. */
export function numberOf(value: unknown, transform: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value)
  if (typeof value === 'string' && /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(value)) {
    const n = Number(value)
    if (Number.isFinite(n)) return n
  }
  throw wrongInput(transform, 'a number')
}

/** Digits after the decimal point as written (`12.50` → 2, `3e4` → 0), so a result keeps the precision. */
export function decimalsOf(value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : String(value)
  const m = /^[-+]?\d*\.(\d+)$/.exec(text)
  return m?.[1] === undefined ? 0 : Math.min(m[1].length, 10)
}
