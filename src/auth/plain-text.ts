// What an identifier taken from outside (a key's subject, a claim, a group) must be:
// non-empty, bounded, free of control characters, which would let it forge lines in logs
// and terminals.

/** True for text of 1 to `max` characters without C0 or C1 control characters. */
export function isPlainText(value: unknown, max: number): value is string {
  if (typeof value !== 'string' || value === '' || value.length > max) return false
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false
  }
  return true
}
