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

export class CidrMatcher {
  readonly #cache = new Map<string, BlockList>()

  /** True when `ip` lies in `cidr`; false for an `ip` that is not an address; throws on a bad `cidr`. */
  contains(ip: string, cidr: string): boolean {
    let list = this.#cache.get(cidr)
    if (list === undefined) {
      list = parseCidr(cidr)
      if (this.#cache.size > 1000) this.#cache.clear()
      this.#cache.set(cidr, list)
    }
    const family = isIP(ip)
    if (family === 0) return false
    return list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  }
}
