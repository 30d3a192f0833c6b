// URLs: with a scheme (http, https, ftp), starting with `www.`, or a bare domain under
// a common TLD. Bare domains are limited to a short TLD list because file names
// (report.pdf, setup.py) and version strings look like domains under any TLD.
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

// All repetition is bounded and the classes exclude the characters that end a match,
// so each start position costs at most the bound.
const SCHEME = /(?<![A-Za-z0-9_])(?:https?|ftp):\/\/[^\s<>"'`\\^{}|]{2,2048}/gi
const WWW = /(?<![A-Za-z0-9_.@/-])www\.[^\s<>"'`\\^{}|]{3,2048}/gi
const BARE_TLDS =
  'com|org|net|edu|gov|mil|int|info|biz|io|co|app|dev|ai|eu|de|fr|es|it|nl|uk|us|ca|au|ch|at|be|se|no|dk|fi|pl|pt|ie|jp|br|mx'
const BARE = new RegExp(
  `(?<![A-Za-z0-9_.@/-])(?:[a-z0-9-]{1,63}\\.){1,5}(?:${BARE_TLDS})(?![A-Za-z0-9_@-])(?:/[^\\s<>"'\`\\\\^{}|]{0,2048})?`,
  'gi',
)
// Bare domains need a listed TLD: a plain (non-Unicode) test finds one cheaply first.
const HAS_TLD = new RegExp(`[a-z0-9]\\.(?:${BARE_TLDS})(?![a-z0-9-])`)
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

const TRAILING = new Set([...'.,;:!?\'"'].map((c) => c.charCodeAt(0)))

/** End of the URL once trailing punctuation and an unbalanced closing bracket are cut. */
function trimEnd(text: string, start: number, end: number): number {
  let e = end
  for (;;) {
    const c = text.charCodeAt(e - 1)
    if (TRAILING.has(c)) e--
    else if (c === 41 || c === 93) {
      // Keep `)` only when the URL itself opened one, as Wikipedia links do.
      const open = c === 41 ? '(' : '['
      if (text.lastIndexOf(open, e - 1) >= start) break
      e--
    } else break
    if (e <= start) return start
  }
  return e
}

function push(out: PiiFinding[], start: number, end: number, score: number): void {
  out.push({ type: 'URL', start, end, score, detector: 'url' })
}

export const urlDetector: Detector = {
  name: 'url',
  types: ['URL'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    // Ends of the scheme URLs, in order: a bare domain inside one is part of it.
    const ends: number[] = []
    if (text.includes('://'))
      for (const m of matches(SCHEME, text)) {
        if (touchesWord(text, m.index, m.index + m[0].length)) continue
        const end = trimEnd(text, m.index, m.index + m[0].length)
        if (end - m.index > 10) push(out, m.index, end, 0.9)
        ends.push(m.index, end)
      }
    // Queries come in text order, so one pointer walks the spans once.
    let k = 0
    const inside = (at: number): boolean => {
      while (k < ends.length && (ends[k + 1] ?? 0) <= at) k += 2
      return k < ends.length && at >= (ends[k] ?? 0)
    }
    if (text.includes('www.') || text.includes('WWW.'))
      for (const m of matches(WWW, text)) {
        if (touchesWord(text, m.index, m.index + m[0].length)) continue
        const end = trimEnd(text, m.index, m.index + m[0].length)
        if (text.slice(m.index + 4, end).includes('.')) push(out, m.index, end, 0.85)
      }
    if (!HAS_TLD.test(text)) return
    for (const m of matches(BARE, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      if (inside(m.index)) continue
      const end = trimEnd(text, m.index, m.index + m[0].length)
      const host = text.slice(m.index, end).split('/')[0] ?? ''
      const tld = host.slice(host.lastIndexOf('.') + 1)
      // "Paris.It was…" is a missing space, not a domain: bare domains are written in lower case.
      if (tld !== tld.toLowerCase() || host.startsWith('www.')) continue
      if (!host.split('.').every((l) => LABEL.test(l))) continue
      // A bare domain may be a company or product name; context decides.
      push(out, m.index, end, 0.5)
    }
  },
}
