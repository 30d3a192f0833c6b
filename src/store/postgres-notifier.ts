// Cross-node wake-ups on PostgreSQL: NOTIFY through the pool (or inside the caller's
// transaction, so it is sent on commit), LISTEN on one dedicated connection per node. When
// that connection drops, it reconnects with backoff, listens again and calls every handler
// with null, because notifications sent while it was away are lost.
import { type Kysely, sql, type Transaction } from 'kysely'
import type pg from 'pg'
import {
  checkNotification,
  type NotificationHandler,
  type Notifier,
  type NotifierLogger,
  Subscriptions,
  type Unsubscribe,
} from './notifier.ts'
import type { Database } from './schema.ts'
import { assertManagedTransaction } from './transaction.ts'

const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 5_000

export class PostgresNotifier implements Notifier {
  readonly #subscriptions: Subscriptions
  #client: Promise<pg.Client> | undefined
  #retryMs = RETRY_MIN_MS
  #timer: NodeJS.Timeout | undefined
  #commands: Promise<unknown> = Promise.resolve()
  #closed = false

  constructor(
    private readonly db: Kysely<Database>,
    private readonly newClient: () => pg.Client,
    private readonly log: NotifierLogger,
    /** Turns a failure to connect into the store's typed error (no password in it). */
    private readonly connectError: (error: unknown) => Error,
  ) {
    this.#subscriptions = new Subscriptions(log)
  }

  async notify(channel: string, payload = '', trx?: Transaction<Database>): Promise<void> {
    checkNotification(channel, payload)
    // Same rule as on SQLite, where delivery hangs on withTransaction's commit hook.
    if (trx !== undefined) assertManagedTransaction(trx)
    await sql`select pg_notify(${channel}, ${payload})`.execute(trx ?? this.db)
  }

  async subscribe(channel: string, handler: NotificationHandler): Promise<Unsubscribe> {
    checkNotification(channel, '')
    const first = this.#subscriptions.add(channel, handler)
    try {
      const client = await this.#connected()
      // A connection made just now listens already; a second LISTEN is harmless.
      if (first) await this.#command(client, `LISTEN ${client.escapeIdentifier(channel)}`)
    } catch (error) {
      this.#subscriptions.remove(channel, handler)
      throw this.connectError(error)
    }
    return () => this.#unsubscribe(channel, handler)
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#subscriptions.clear()
    const client = await this.#client?.catch(() => undefined)
    this.#client = undefined
    await client?.end().catch(() => undefined)
  }

  async #unsubscribe(channel: string, handler: NotificationHandler): Promise<void> {
    if (!this.#subscriptions.remove(channel, handler) || this.#client === undefined) return
    const client = await this.#client.catch(() => undefined)
    // Someone may have subscribed again meanwhile.
    if (this.#subscriptions.has(channel)) return
    if (client === undefined) return
    await this.#command(client, `UNLISTEN ${client.escapeIdentifier(channel)}`).catch(() => undefined)
  }

  /**
   * One LISTEN or UNLISTEN at a time on the listening connection: waiters come and go
   * concurrently, and node-postgres deprecates (and pg 9 refuses) a query sent while
   * another is still running on the same client.
   */
  #command(client: pg.Client, text: string): Promise<unknown> {
    const run = this.#commands.then(() => client.query(text))
    this.#commands = run.catch(() => undefined)
    return run
  }

  #connected(): Promise<pg.Client> {
    if (this.#closed) return Promise.reject(new Error('the notifier is closed'))
    this.#client ??= this.#connect()
    return this.#client
  }

  async #connect(): Promise<pg.Client> {
    const client = this.newClient()
    // Attached before connecting: an error event without a listener would crash the process.
    client.on('error', (error) => this.#lost(client, error))
    client.on('end', () => this.#lost(client, undefined))
    client.on('notification', (message) =>
      this.#subscriptions.deliver(message.channel, message.payload ?? ''),
    )
    try {
      await client.connect()
      for (const channel of this.#subscriptions.channels()) {
        await client.query(`LISTEN ${client.escapeIdentifier(channel)}`)
      }
    } catch (error) {
      this.#client = undefined
      client.removeAllListeners('end')
      await client.end().catch(() => undefined)
      throw error
    }
    return client
  }

  // Called for every error and the end of a connection; acts once per connection.
  #lost(client: pg.Client, error: Error | undefined): void {
    const current = this.#client
    if (this.#closed || current === undefined) return
    void current.then(
      (active) => {
        if (active !== client || this.#client !== current || this.#closed) return
        this.#client = undefined
        this.log.warn({ err: error }, 'notification connection lost; reconnecting')
        this.#scheduleReconnect()
      },
      () => undefined,
    )
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      // With nobody listening, the next subscribe connects.
      if (this.#subscriptions.channels().length === 0) return
      this.#connected().then(
        () => {
          this.#retryMs = RETRY_MIN_MS
          for (const channel of this.#subscriptions.channels()) this.#subscriptions.deliver(channel, null)
        },
        (error: unknown) => {
          this.#retryMs = Math.min(RETRY_MAX_MS, this.#retryMs * 2)
          this.log.warn({ err: error }, 'notification connection failed; retrying')
          this.#scheduleReconnect()
        },
      )
    }, this.#retryMs)
  }
}
