// Checks events' own hashes (content against stored hash) on a worker thread, so that
// verifying a long chain hashes on a second core while this one reads rows and follows
// links. Sound because an event's hash depends only on its own fields and its prevHash:
// pages can be hashed out of band, and the verifier still judges every link in order.
import { hash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { VerifiableEvent } from './audit-event.ts'
import { contentPreimage } from './hash-chain.ts'

/** Smaller pages are checked on this thread: a worker costs tens of milliseconds to start. */
export const WORKER_MIN_PAGE = 256

// Plain JavaScript evaluated in the worker, so it needs no loader. The preimages arrive as
// UTF-8 in one transferred buffer (no string copies), `lengths[i]` bytes each (-1: none);
// the answer is one byte per event (1: the hash matches), transferred back with the buffer
// for the next page to reuse.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { hash } = require('node:crypto')
parentPort.on('message', ({ id, bytes, lengths }) => {
  const data = Buffer.from(bytes)
  const intact = new Uint8Array(lengths.length / 2)
  let at = 0
  for (let i = 0; i < intact.length; i++) {
    const length = lengths[2 * i]
    const stored = lengths[2 * i + 1]
    if (length < 0) continue
    const digest = hash('sha256', data.subarray(at, at + length), 'hex')
    intact[i] = digest === data.toString('utf8', at + length, at + length + stored) ? 1 : 0
    at += length + stored
  }
  parentPort.postMessage({ id, intact, bytes }, [intact.buffer, bytes])
})
`

interface Job {
  readonly page: readonly VerifiableEvent[]
  readonly resolve: (intact: Uint8Array) => void
}

/** One worker for one verification: `check` pages in order, then `close`. */
export class HashChecker {
  #worker: Worker | undefined
  /** False once the worker failed: every later page is checked on this thread. */
  #usable = true
  #next = 0
  readonly #jobs = new Map<number, Job>()
  /** Buffers the worker gave back: a few are reused for the whole verification. */
  readonly #spare: ArrayBuffer[] = []

  /**
   * Per event of `page`, 1 when its hash matches its content (as verify-chain's isIntact
   * says); undefined for a small page, which the verifier checks itself.
   */
  check(page: readonly VerifiableEvent[]): Promise<Uint8Array> | undefined {
    if (page.length < WORKER_MIN_PAGE) return undefined
    const worker = this.#usable ? this.#start() : undefined
    if (worker === undefined) return Promise.resolve(checkHere(page))
    const { bytes, lengths } = encodePreimages(page, this.#spare.pop())
    const id = this.#next++
    return new Promise((resolve) => {
      this.#jobs.set(id, { page, resolve })
      worker.postMessage({ id, bytes, lengths }, [bytes, lengths.buffer as ArrayBuffer])
    })
  }

  close(): void {
    this.#usable = false
    this.#jobs.clear()
    void this.#worker?.terminate()
    this.#worker = undefined
  }

  #start(): Worker | undefined {
    if (this.#worker !== undefined) return this.#worker
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true })
      worker.on(
        'message',
        ({ id, intact, bytes }: { id: number; intact: Uint8Array; bytes: ArrayBuffer }) => {
          this.#spare.push(bytes)
          this.#jobs.get(id)?.resolve(intact)
          this.#jobs.delete(id)
        },
      )
      worker.on('error', () => this.#fallBack())
      worker.on('exit', () => this.#fallBack())
      this.#worker = worker
      return worker
    } catch {
      this.#usable = false
      return undefined
    }
  }

  /** The worker died (or was closed): whatever it still owed is checked here. */
  #fallBack(): void {
    this.#usable = false
    this.#worker = undefined
    for (const job of this.#jobs.values()) job.resolve(checkHere(job.page))
    this.#jobs.clear()
  }
}

/** What the verifier's isIntact rejects up front (a malformed event) has no preimage. */
function preimageOrNull(event: VerifiableEvent): string | null {
  if (!Number.isSafeInteger(event.seq) || typeof event.hash !== 'string') return null
  try {
    return contentPreimage(event)
  } catch {
    return null
  }
}

/** The UTF-8 preimages of `page`, back to back in one buffer of its own (to transfer). */
function encodePreimages(
  page: readonly VerifiableEvent[],
  spare: ArrayBuffer | undefined,
): { bytes: ArrayBuffer; lengths: Int32Array } {
  const lengths = new Int32Array(page.length * 2)
  let buffer = spare === undefined ? Buffer.allocUnsafeSlow(page.length * 1024) : Buffer.from(spare)
  let at = 0
  for (let i = 0; i < page.length; i++) {
    const event = page[i] as VerifiableEvent
    const text = preimageOrNull(event)
    if (text === null) {
      lengths[2 * i] = -1
      continue
    }
    // At most 3 UTF-8 bytes per UTF-16 unit: grow before writing, never truncate.
    const most = (text.length + event.hash.length) * 3
    if (at + most > buffer.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, at + most))
      buffer.copy(larger, 0, 0, at)
      buffer = larger
    }
    const written = buffer.write(text, at, 'utf8')
    const stored = buffer.write(event.hash, at + written, 'utf8')
    lengths[2 * i] = written
    lengths[2 * i + 1] = stored
    at += written + stored
  }
  return { bytes: buffer.buffer as ArrayBuffer, lengths }
}

function checkHere(page: readonly VerifiableEvent[]): Uint8Array {
  const intact = new Uint8Array(page.length)
  for (let i = 0; i < page.length; i++) {
    const event = page[i] as VerifiableEvent
    const text = preimageOrNull(event)
    intact[i] = text !== null && hash('sha256', text, 'hex') === event.hash ? 1 : 0
  }
  return intact
}
