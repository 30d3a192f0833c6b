// The demo's stand-in for an internal API: an "accounts service" on 127.0.0.1 that jitgate's
// HTTP executor calls once a reset is approved. It answers each Idempotency-Key once and
// replays the answer for a repeat, as a real endpoint that de-duplicates would, and tells
// the demo's terminal what it was asked to do.
import { createServer, type Server } from 'node:http'

export interface AccountsService {
  readonly url: string
  close(): Promise<void>
}

export async function startAccountsService(say: (line: string) => void): Promise<AccountsService> {
  const seen = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const key = req.headers['idempotency-key']
      const ok = req.method === 'POST' && /^\/accounts\/[\w-]+\/reset[\w-]*$/.test(req.url ?? '')
      const status = typeof key === 'string' ? (seen.get(key) ?? (ok ? 200 : 404)) : 400
      if (typeof key === 'string' && !seen.has(key)) {
        seen.set(key, status)
        say(`accounts service: ${req.method} ${req.url} (Idempotency-Key ${key}) → ${status}`)
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
