// IPv4 and IPv6 addresses. IPv4 octets are range-checked by the pattern; a dotted
// quad glued to more dots or a leading `v` is a version string. IPv6 candidates are
// cut by a bounded pattern and confirmed by node:net, which knows every abbreviation.
import { isIPv6 } from 'node:net'
import type { PiiFinding } from '../entity-types.ts'
import { touchesWord } from '../text-scan.ts'
import type { Detector, ScanInput } from './detector.ts'
import { matches } from './detector.ts'

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const IPV4 = new RegExp(`(?<![A-Za-z0-9_.])${OCTET}(?:\\.${OCTET}){3}(?![A-Za-z0-9_]|\\.\\d)`, 'g')
// At most 45 characters (the longest IPv6 text form, with an embedded IPv4).
const IPV6 = /(?<![A-Za-z0-9_:.])(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:.]{1,43}(?![A-Za-z0-9_])/g

function push(out: PiiFinding[], start: number, end: number, score: number): void {
  out.push({ type: 'IP_ADDRESS', start, end, score, detector: 'ip' })
}

export const ipDetector: Detector = {
  name: 'ip',
  types: ['IP_ADDRESS'],
  scan({ text }: ScanInput, out: PiiFinding[]): void {
    if (text.includes('.'))
      for (const m of matches(IPV4, text))
        if (!touchesWord(text, m.index, m.index + m[0].length)) push(out, m.index, m.index + m[0].length, 0.7)
    if (!text.includes(':')) return
    for (const m of matches(IPV6, text)) {
      if (touchesWord(text, m.index, m.index + m[0].length)) continue
      let candidate = m[0]
      // A sentence may end right after the address.
      while (candidate.endsWith('.') || (candidate.endsWith(':') && !candidate.endsWith('::')))
        candidate = candidate.slice(0, -1)
      // `::` alone is the unspecified address: no one's address.
      if (candidate.split(':').length < 3 || !/[0-9a-f]/i.test(candidate) || !isIPv6(candidate)) continue
      push(out, m.index, m.index + candidate.length, 0.8)
    }
  },
}
