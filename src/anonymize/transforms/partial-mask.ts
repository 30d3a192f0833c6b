// Partial masks: keep the first and/or last characters, an email's domain, or a card's
// last four digits. A value too short to keep anything of is masked whole, so a mask
// never shows the full value; lengths are kept (except an email's local part, shown
// as `***` so its length does not show).
import { wrongInput } from './anonymize-error.ts'
import { valueText } from './value-text.ts'

const MASK = '*'

/** `keep_first` / `keep_last` over code points, so a surrogate pair is never split. */
export function maskKeeping(value: unknown, first: number, last: number): string {
  const text = valueText(value, 'partial')
  if (!/[\uD800-\uDFFF]/.test(text)) {
    if (first + last >= text.length) return MASK.repeat(text.length)
    return text.slice(0, first) + MASK.repeat(text.length - first - last) + text.slice(text.length - last)
  }
  const chars = Array.from(text)
  if (first + last >= chars.length) return MASK.repeat(chars.length)
  return (
    chars.slice(0, first).join('') +
    MASK.repeat(chars.length - first - last) +
    (last === 0 ? '' : chars.slice(-last).join(''))
  )
}

/** `***@example.com`: one `@`, something before it and a domain after it. */
export function maskEmailDomain(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : ''
  const at = text.indexOf('@')
  if (at < 1 || at !== text.lastIndexOf('@') || at === text.length - 1 || /\s/.test(text))
    throw wrongInput('partial keep: email_domain', 'an email address')
  return `${MASK.repeat(3)}${text.slice(at)}`
}

/** `**** **** **** 1111`: 12–19 digits with optional spaces or dashes, which are kept. */
export function maskCardLast4(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
  if (typeof text !== 'string' || !/^\d[\d -]*\d$/.test(text))
    throw wrongInput('partial keep: card_last4', 'a card number')
  const digits = text.replace(/\D/g, '').length
  if (digits < 12 || digits > 19)
    throw wrongInput('partial keep: card_last4', 'a card number of 12–19 digits')
  let seen = 0
  return text.replace(/\d/g, (d) => (++seen > digits - 4 ? d : MASK))
}
