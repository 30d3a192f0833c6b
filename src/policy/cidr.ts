// CIDR matching on node's own address parser (net.BlockList), with the parsed
// ranges cached because policies test the same few ranges over and over.
import { BlockList, isIP } from 'node:net'

export class CidrSyntaxError extends Error {
  constructor(cidr: string) {
    super(`'${cidr}' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32`)
    this.name = 'CidrSyntaxError'
  }
}

/** Parses `a.b.c.d/n` or `v6/n` into a one-range BlockList; throws CidrSyntaxError. */
export function parseCidr(cidr: string): BlockList {
  const slash = cidr.indexOf('/')
  const address = slash < 0 ? cidr : cidr.slice(0, slash)
  const family = isIP(address)
  if (family === 0) throw new CidrSyntaxError(cidr)
  const maxBits = family === 4 ? 32 : 128
  const bitsText = slash < 0 ? String(maxBits) : cidr.slice(slash + 1)
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > maxBits) throw new CidrSyntaxError(cidr)
  const list = new BlockList()
  list.addSubnet(address, Number(bitsText), family === 4 ? 'ipv4' : 'ipv6')
  return list
}

/** Dotted-quad IPv4 to a 32-bit number, or -1. Stricter than inet_aton: exactly four decimal parts. */
function ipv4ToNumber(ip: string): number {
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || part > 255) return -1
      value = value * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return -1 // no leading zeros: 010 is ambiguous (octal)
      part = part * 10 + (c - 48)
      digits++
      if (digits > 3) return -1
    } else {
      return -1
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1
  return value * 256 + part
}

interface ParsedRange {
  /** For IPv4 ranges: network and mask as numbers; IPv6 goes through the BlockList. */
  readonly v4?: { readonly network: number; readonly size: number }
  readonly list: BlockList
}

export class CidrMatcher {
  readonly #cache = new Map<string, ParsedRange>()

  /** True when `ip` lies in `cidr`; false for an `ip` that is not an address; throws on a bad `cidr`. */
  contains(ip: string, cidr: string): boolean {
    let range = this.#cache.get(cidr)
    if (range === undefined) {
      const list = parseCidr(cidr)
      const slash = cidr.indexOf('/')
      const base = ipv4ToNumber(slash < 0 ? cidr : cidr.slice(0, slash))
      const bits = slash < 0 ? 32 : Number(cidr.slice(slash + 1))
      const size = 2 ** (32 - bits)
      range = base < 0 ? { list } : { list, v4: { network: base - (base % size), size } }
      if (this.#cache.size > 1000) this.#cache.clear()
      this.#cache.set(cidr, range)
    }
    // The common case, an IPv4 address against an IPv4 range, needs no allocation.
    const address = ipv4ToNumber(ip)
    if (address >= 0) {
      if (range.v4 !== undefined)
        return address >= range.v4.network && address < range.v4.network + range.v4.size
      return range.list.check(ip, 'ipv4')
    }
    const family = isIP(ip)
    if (family === 0) return false
    return range.list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  }
}
