// Offsets between the three ways of counting a position in SQL text: libpg-query's locations are
// UTF-8 bytes, PostgreSQL's error cursor counts code points, and callers index JavaScript strings
// (UTF-16 code units). Getting this wrong shifts every location after the first non-ASCII letter.

/** Maps UTF-8 byte offsets of a string to its UTF-16 offsets. */
export class Utf8Offsets {
  readonly #charAt: Int32Array
  readonly byteLength: number

  constructor(text: string) {
    let bytes = 0
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i)
      bytes += unit < 0x80 ? 1 : unit < 0x800 ? 2 : isHighSurrogate(unit) ? 4 : isLowSurrogate(unit) ? 0 : 3
    }
    this.byteLength = bytes
    this.#charAt = new Int32Array(bytes + 1)
    let byte = 0
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i)
      const width =
        unit < 0x80 ? 1 : unit < 0x800 ? 2 : isHighSurrogate(unit) ? 4 : isLowSurrogate(unit) ? 0 : 3
      this.#charAt.fill(i, byte, byte + width)
      byte += width
    }
    this.#charAt[bytes] = text.length
  }

  /** The UTF-16 offset of a byte offset, clamped to the text (a byte inside a letter maps to its start). */
  toChar(byte: number): number {
    const clamped = Math.max(0, Math.min(byte, this.byteLength))
    return this.#charAt[clamped] ?? 0
  }
}

/** The UTF-16 offset of the `codePoint`-th code point of `text` (clamped to its end). */
export function codePointToChar(text: string, codePoint: number): number {
  let i = 0
  for (let n = 0; n < codePoint && i < text.length; n++) {
    i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1
  }
  return i
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * The text as PostgreSQL would receive it: a lone surrogate cannot be sent as UTF-8, and Node's
 * encoder turns it into U+FFFD, which keeps every UTF-16 offset in place.
 */
export function asSentText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD')
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff
}
