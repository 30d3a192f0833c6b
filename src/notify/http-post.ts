// One HTTP POST for the senders, on node:http(s) so that the address can be checked as the
// socket connects (see webhook-url.ts): a deadline over the whole exchange, no redirects
// followed, and at most a few kilobytes of the answer read (receivers' bodies are not ours).
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'

export interface HttpPostOptions {
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly timeoutMs: number
  readonly lookup?: LookupFunction
  /** How much of the answer to keep (default 0: drain and drop it). */
  readonly maxResponseBytes?: number
}

export interface HttpPostResult {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** Resolves with the status whatever it is; rejects with a short, URL-free error on network failures. */
export function httpPost(url: URL, options: HttpPostOptions): Promise<HttpPostResult> {
  const client = url.protocol === 'https:' ? https : http
  const limit = options.maxResponseBytes ?? 0
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
        ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          if (size >= limit) return
          chunks.push(chunk)
          size += chunk.length
        })
        response.on('end', () => {
          clearTimeout(timer)
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).subarray(0, limit).toString('utf8'),
          })
        })
        response.on('error', (error) => fail(error))
      },
    )
    const timer = setTimeout(
      () =>
        request.destroy(
          Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'TIMEOUT' }),
        ),
      options.timeoutMs,
    )
    function fail(error: Error): void {
      clearTimeout(timer)
      reject(new Error(networkError(error)))
    }
    request.on('error', fail)
    request.end(options.body)
  })
}

/** What went wrong, by code: a driver message may name the host, the address or the path. */
function networkError(error: Error & { code?: string }): string {
  if (error.code === 'TIMEOUT') return error.message
  if (error.code === 'ADDRESS_NOT_ALLOWED')
    return 'the address is private and webhooks.allowPrivateNetworks is false'
  return error.code === undefined ? 'the connection failed' : `the connection failed (${error.code})`
}
