// Connections to one upstream, ready to serve client sessions: at most `size` open, idle
// ones reused (last in, first out, so spare ones age out), waiting clients served in order.
// A connection serves one client session for its whole life (session pooling: prepared
// statements, SET, temporary tables and transactions stay correct), then is reset with
// DISCARD ALL before it serves anyone else; one that cannot be reset cleanly is closed.
import { serialize } from 'pg-protocol'
import {
  readFields,
  readParameterStatus,
  readTransactionStatus,
  type TransactionStatus,
} from './backend-messages.ts'
import { GatewayError } from './gateway-error.ts'
import { MessageStream } from './message-stream.ts'
import { connectUpstream, type UpstreamConnection } from './upstream-connect.ts'
import type { UpstreamTarget } from './upstream-target.ts'

export interface PoolSettings {
  readonly size: number
  /** An idle connection is closed after this long. */
  readonly idleTimeoutMs: number
  /** A client waits at most this long for a connection. */
  readonly acquireTimeoutMs: number
}

interface Waiter {
  resolve(connection: UpstreamConnection): void
  reject(error: unknown): void
  timer: NodeJS.Timeout
}

interface Idle {
  readonly connection: UpstreamConnection
  readonly timer: NodeJS.Timeout
  readonly onGone: () => void
}

export class UpstreamPool {
  #open = 0
  #closed = false
  readonly #idle: Idle[] = []
  readonly #waiters: Waiter[] = []

  constructor(
    readonly target: UpstreamTarget,
    private readonly settings: PoolSettings,
    private readonly connect: (target: UpstreamTarget) => Promise<UpstreamConnection> = connectUpstream,
  ) {}

  get stats(): { readonly open: number; readonly idle: number; readonly waiting: number } {
    return { open: this.#open, idle: this.#idle.length, waiting: this.#waiters.length }
  }

  /** A logged-in connection for one client session; throws upstream_unavailable or upstream_pool_exhausted. */
  async acquire(): Promise<UpstreamConnection> {
    if (this.#closed) throw new GatewayError('upstream_unavailable', 'the gateway is shutting down')
    const idle = this.#idle.pop()
    if (idle !== undefined) return this.#unwatch(idle)
    if (this.#open < this.settings.size) return this.#connect()
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
          reject(
            new GatewayError(
              'upstream_pool_exhausted',
              `all ${this.settings.size} connections to the upstream ${this.target.name} stayed busy`,
            ),
          )
        }, this.settings.acquireTimeoutMs),
      }
      this.#waiters.push(waiter)
    })
  }

  /**
   * Takes a connection back. `reusable` only when the session left it between requests (the
   * last answer was a ReadyForQuery, nothing in flight); it is then reset before reuse.
   */
  release(
    connection: UpstreamConnection,
    state: { reusable: boolean; transactionStatus: TransactionStatus },
  ) {
    if (!state.reusable || this.#closed) {
      this.#discard(connection)
      return
    }
    reset(connection, state.transactionStatus).then(
      () => this.#makeAvailable(connection),
      () => this.#discard(connection),
    )
  }

  /** Closes idle connections and refuses waiters; connections in use close on release. */
  close(): void {
    this.#closed = true
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new GatewayError('upstream_unavailable', 'the gateway is shutting down'))
    }
    for (const idle of this.#idle.splice(0)) this.#discard(this.#unwatch(idle), true)
  }

  async #connect(): Promise<UpstreamConnection> {
    this.#open++
    try {
      return await this.connect(this.target)
    } catch (error) {
      this.#open--
      this.#serveWaiter()
      throw error
    }
  }

  #makeAvailable(connection: UpstreamConnection): void {
    if (this.#closed) {
      this.#discard(connection)
      return
    }
    const waiter = this.#waiters.shift()
    if (waiter !== undefined) {
      clearTimeout(waiter.timer)
      waiter.resolve(connection)
      return
    }
    // Anything an idle connection says (a FATAL at server shutdown) or its end makes it unusable.
    const onGone = () => {
      const at = this.#idle.findIndex((idle) => idle.connection === connection)
      if (at >= 0) this.#discard(this.#unwatch(this.#idle.splice(at, 1)[0] as Idle))
    }
    const timer = setTimeout(onGone, this.settings.idleTimeoutMs)
    timer.unref()
    connection.socket.on('data', onGone)
    connection.socket.on('close', onGone)
    connection.socket.resume()
    this.#idle.push({ connection, timer, onGone })
  }

  #unwatch(idle: Idle): UpstreamConnection {
    clearTimeout(idle.timer)
    idle.connection.socket.off('data', idle.onGone)
    idle.connection.socket.off('close', idle.onGone)
    idle.connection.socket.pause()
    return idle.connection
  }

  #discard(connection: UpstreamConnection, graceful = !connection.socket.destroyed): void {
    this.#open--
    if (graceful) connection.socket.end(serialize.end())
    else connection.socket.destroy()
    this.#serveWaiter()
  }

  // A slot freed up: the longest-waiting client gets a new connection.
  #serveWaiter(): void {
    if (this.#closed || this.#open >= this.settings.size) return
    const waiter = this.#waiters.shift()
    if (waiter === undefined) return
    clearTimeout(waiter.timer)
    this.#connect().then(waiter.resolve, waiter.reject)
  }
}

// ROLLBACK ends whatever transaction the client left open; DISCARD ALL then drops every
// trace of the session (prepared statements, portals, temporary tables, SET values, LISTEN,
// advisory locks). Only a clean ReadyForQuery(I) after both makes the connection reusable.
async function reset(connection: UpstreamConnection, status: TransactionStatus): Promise<void> {
  const stream = new MessageStream(connection.socket, connection.framer, 'the upstream')
  try {
    for (const sql of status === 'I' ? ['DISCARD ALL'] : ['ROLLBACK', 'DISCARD ALL']) {
      connection.socket.write(serialize.query(sql))
      for (;;) {
        await stream.next()
        const { type, buffer, start, end } = connection.framer
        if (type === 0x45) throw new Error(readFields(buffer, start, end).get('M'))
        if (type === 0x53) connection.parameters.set(...readParameterStatus(buffer, start, end))
        if (type === 0x5a) {
          if (readTransactionStatus(buffer, start) !== 'I') throw new Error('still in a transaction')
          break
        }
      }
    }
  } finally {
    stream.detach()
  }
}
