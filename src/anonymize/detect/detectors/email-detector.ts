// Email addresses, found by a hand-written scanner around each `@`: the local part is
// read backwards at most 64 characters and the domain forwards at most 253, so hostile
// input such as `a@a.a.a…` or `@@@…` costs a bounded amount of work per `@`.
import type { PiiFinding } from '../entity-types.ts'
import { isLetterAt } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'

const MAX_LOCAL = 64
const MAX_DOMAIN = 253

// RFC 5322 "atext" that people actually use, plus dots; non-ASCII letters for RFC 6531.
const LOCAL_ASCII = new Set([...'.!#$%&*+-/=?^_{|}~'].map((c) => c.charCodeAt(0)))

function isLocal(text: string, at: number): boolean {
  const c = text.charCodeAt(at)
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true
  if (c < 128) return LOCAL_ASCII.has(c)
  return isLetterAt(text, at)
}

function isDomain(text: string, at: number): boolean {
  const c = text.charCodeAt(at)
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true
  if (c === 45 || c === 46) return true
  return c >= 128 && isLetterAt(text, at)
}

const TLD = /^(?:[\p{L}]{2,24}|xn--[a-z0-9-]{1,59})$/iu
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u

function validDomain(domain: string): boolean {
  const labels = domain.split('.')
  if (labels.length < 2) return false
  for (const label of labels) if (!LABEL.test(label)) return false
  return TLD.test(labels[labels.length - 1] ?? '')
}

function validLocal(local: string): boolean {
  return local.length > 0 && !local.endsWith('.') && !local.includes('..')
}

/** [start, end) of the address around the `@` at `at`, or undefined. */
function around(text: string, at: number, floor: number): readonly [number, number] | undefined {
  let s = at
  while (s > floor && at - s < MAX_LOCAL && isLocal(text, s - 1)) s--
  // A local part longer than allowed is not an address we can bound: skip it.
  if (s > floor && isLocal(text, s - 1)) return undefined
  while (s < at && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 45)) s++
  let e = at + 1
  while (e < text.length && e - at - 1 < MAX_DOMAIN && isDomain(text, e)) e++
  if (e < text.length && isDomain(text, e)) return undefined
  // A sentence may end right after the address.
  while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--
  if (!validLocal(text.slice(s, at)) || !validDomain(text.slice(at + 1, e))) return undefined
  return [s, e]
}

export const emailDetector: Detector = {
  name: 'email',
  types: ['EMAIL_ADDRESS'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    let floor = 0
    let at = text.indexOf('@')
    while (at !== -1) {
      const span = around(text, at, floor)
      if (span === undefined) {
        at = text.indexOf('@', at + 1)
        continue
      }
      // Validated syntax and a real-looking TLD: Presidio scores this 1.0 as well.
      out.push({ type: 'EMAIL_ADDRESS', start: span[0], end: span[1], score: 1, detector: 'email' })
      floor = span[1]
      at = text.indexOf('@', floor)
    }
  },
}
