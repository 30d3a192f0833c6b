// Where webhooks may go: URL checks at subscription time, the private address ranges, and the
// check made as the socket connects when private networks are not allowed (a hostname that
// resolves to 127.0.0.1 is refused then, not only a literal address).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  checkWebhookUrl,
  isPrivateAddress,
  WebhookChannel,
  type WebhookSettings,
} from '../../src/notify/index.ts'
import { startReceiver } from './local-servers.ts'

const OPEN: WebhookSettings = { allowPrivateNetworks: true, disableAfterFailures: 5 }
const CLOSED: WebhookSettings = { allowPrivateNetworks: false, disableAfterFailures: 5 }

describe('webhook URLs', () => {
  const refused: [string, string, WebhookSettings, string][] = [
    ['not a URL', 'hooks.example.com/in', OPEN, 'is not an absolute URL'],
    ['another scheme', 'ftp://hooks.example.com/in', OPEN, 'must use http or https'],
    ['a file URL', 'file:///etc/passwd', OPEN, 'must use http or https'],
    ['credentials', 'https://user:pass@hooks.example.com/in', OPEN, 'must not hold a user or password'],
    ['a fragment', 'https://hooks.example.com/in#x', OPEN, 'must not have a fragment'],
    [
      'loopback, when private networks are closed',
      'http://127.0.0.1:8080/in',
      CLOSED,
      'points to a private or loopback address, and webhooks.allowPrivateNetworks is false',
    ],
    [
      'the metadata service',
      'http://169.254.169.254/latest/meta-data',
      CLOSED,
      'points to a private or loopback address, and webhooks.allowPrivateNetworks is false',
    ],
    [
      'IPv6 loopback',
      'http://[::1]/in',
      CLOSED,
      'points to a private or loopback address, and webhooks.allowPrivateNetworks is false',
    ],
    [
      'a host not allowed',
      'https://evil.example.net/in',
      { ...OPEN, allowedHosts: ['*.example.com'] },
      "its host 'evil.example.net' is not in webhooks.allowedHosts",
    ],
  ]
  for (const [name, url, rules, why] of refused) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => checkWebhookUrl(url, rules),
        (error: Error & { code?: string; status?: number }) => {
          assert.deepEqual(
            [error.code, error.status, error.message],
            ['webhook_url_invalid', 400, `the webhook URL ${why}`],
          )
          assert.equal(error.message.includes('user:pass'), false)
          return true
        },
      )
    })
  }

  it('accepts http(s) on allowed hosts, private ones by default', () => {
    assert.equal(checkWebhookUrl('http://127.0.0.1:8080/in?x=1', OPEN).href, 'http://127.0.0.1:8080/in?x=1')
    assert.equal(
      checkWebhookUrl('https://a.example.com/in', { ...CLOSED, allowedHosts: ['*.example.com'] }).host,
      'a.example.com',
    )
  })

  const addresses: [string, boolean][] = [
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
    ['not-an-address', true],
  ]
  for (const [address, expected] of addresses) {
    it(`${address} is ${expected ? '' : 'not '}private`, () =>
      assert.equal(isPrivateAddress(address), expected))
  }

  it('refuses a hostname resolving to loopback when connecting, with private networks closed', async (t) => {
    const receiver = await startReceiver(t)
    const port = new URL(receiver.url).port
    const delivery = {
      id: 'd1',
      channel: 'webhook' as const,
      kind: 'event' as const,
      target: 'webhook:s1',
      eventSeq: 1,
      eventId: 'e1',
      eventType: 'request.created',
      subjectId: 'r1',
      payload: '{}',
      state: 'pending' as const,
      attempts: 1,
      nextAttemptAt: '2026-03-03T09:00:00.000Z',
      createdAt: '2026-03-03T09:00:00.000Z',
      updatedAt: '2026-03-03T09:00:00.000Z',
      webhook: {
        url: `http://localhost:${port}/in`,
        secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
      },
    }
    const channel = (settings: WebhookSettings) =>
      new WebhookChannel({ settings, timeoutMs: 1_000, now: () => new Date(), userAgent: 'jitgate-test' })
    assert.deepEqual(await channel(CLOSED).send(delivery), {
      ok: false,
      error: 'the address is private and webhooks.allowPrivateNetworks is false',
    })
    assert.equal(receiver.received.length, 0)
    assert.deepEqual(await channel(OPEN).send(delivery), { ok: true, status: 204 })
    assert.equal(receiver.received.length, 1)
  })
})
