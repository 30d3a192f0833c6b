// Where webhooks may go. A subscription URL is refused unless it is plain http(s) without
// credentials, and, when configured, on an allowed host. Server-side request forgery: the
// people who manage webhooks are administrators, and self-hosted receivers are usually
// internal, so private networks are allowed by default; with `allowPrivateNetworks: false`
// every address a host resolves to is checked when connecting (see `guardedLookup`), so a
// DNS answer that changes after the check cannot lead to 127.0.0.1 or a cloud metadata service.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import type { WebhookSettings } from './notify-config.ts'
import { NotifyError } from './notify-errors.ts'

const MAX_URL_LENGTH = 2048

/** Throws `webhook_url_invalid` saying what is wrong (never echoing the URL: its query may hold a token). */
export function checkWebhookUrl(text: string, rules: WebhookSettings): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalid('is not an absolute URL')
  }
  if (text.length > MAX_URL_LENGTH) throw invalid(`must be at most ${MAX_URL_LENGTH} characters`)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must use http or https')
  if (url.username !== '' || url.password !== '') throw invalid('must not hold a user or password')
  if (url.hash !== '') throw invalid('must not have a fragment')
  const host = bareHost(url)
  if (rules.allowedHosts !== undefined && !rules.allowedHosts.some((pattern) => hostMatches(pattern, host)))
    throw invalid(`its host '${host}' is not in webhooks.allowedHosts`)
  if (!rules.allowPrivateNetworks && isIP(host) !== 0 && isPrivateAddress(host))
    throw invalid('points to a private or loopback address, and webhooks.allowPrivateNetworks is false')
  return url
}

function invalid(why: string): NotifyError {
  return new NotifyError('webhook_url_invalid', `the webhook URL ${why}`, [{ path: '/url', message: why }])
}

/** The hostname without IPv6 brackets, lowercased. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase()
  return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p
}

const PRIVATE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6')

/** Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

/**
 * A `lookup` for http.request that refuses private addresses unless allowed: the check
 * happens on the addresses the socket is about to use, not on an earlier answer.
 */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction | undefined {
  if (allowPrivateNetworks) return undefined
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) return callback(error, '', 0)
      const refused = addresses.find((a) => isPrivateAddress(a.address))
      if (refused !== undefined || addresses.length === 0) {
        const denied = Object.assign(new Error('the address is private and not allowed'), {
          code: 'ADDRESS_NOT_ALLOWED',
        })
        return callback(denied, '', 0)
      }
      if (options.all === true) return callback(null, addresses)
      const first = addresses[0] as LookupAddress
      callback(null, first.address, first.family)
    })
  }
}
