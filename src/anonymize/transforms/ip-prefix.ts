// IP addresses generalized to their network: `203.0.113.0/24`, `2001:db8:85a3::/48`.
// One `size` serves both families: it is the IPv4 prefix length; IPv6 addresses get
// /48 unless `size` is itself an IPv6-sized prefix (33–128).
import { isIPv4, isIPv6 } from 'node:net'
import { wrongInput } from './anonymize-error.ts'

export const IPV6_DEFAULT_PREFIX = 48

export function ipPrefix(value: unknown, size: number): string {
  const text = typeof value === 'string' ? value.trim() : ''
  if (isIPv4(text)) {
    const bits = Math.min(size, 31)
    const parts = text.split('.').map(Number)
    const address =
      (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0
    const network = bits === 0 ? 0 : (address & (~0 << (32 - bits))) >>> 0
    return `${[network >>> 24, (network >>> 16) & 255, (network >>> 8) & 255, network & 255].join('.')}/${bits}`
  }
  const groups = isIPv6(text) && !text.includes('%') ? ipv6Groups(text) : undefined
  if (groups === undefined) throw wrongInput('generalize to: ip_prefix', 'an IPv4 or IPv6 address')
  const bits = size > 32 ? Math.min(size, 127) : IPV6_DEFAULT_PREFIX
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16))
    return keep === 0 ? 0 : g & (0xffff << (16 - keep)) & 0xffff
  })
  return `${formatIpv6(masked)}/${bits}`
}

/** The eight 16-bit groups of an address already checked by isIPv6 (with `::` and a dotted tail). */
function ipv6Groups(text: string): number[] {
  let t = text.toLowerCase()
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t)
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    t = `${t.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = t.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16))
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let best = { at: -1, len: 1 }
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < groups.length && groups[j] === 0) j++
    if (j - i > best.len) best = { at: i, len: j - i }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best.at < 0) return hex.join(':')
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`
}
