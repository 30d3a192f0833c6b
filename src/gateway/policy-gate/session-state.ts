// What the gate remembers of one client session: jitgate's settings and the statements
// prepared in SQL or by name. Changed only by messages the gate forwarded, in order (the wire
// server holds a session's next message while one is being decided).

import type { Classification } from '../classify/index.ts'
import type { SessionOrigins } from './gate-message.ts'
import type { PreparedStatement, SessionEffect } from './session-effects.ts'

/** jitgate's settings of a session. */
export interface SessionFlags {
  readonly unmask: boolean
  readonly reason: string | undefined
}

/** `flags` after `effects`. Pure: statements of one message see the settings the ones before them made. */
export function flagsAfter(flags: SessionFlags, effects: readonly SessionEffect[]): SessionFlags {
  let { unmask, reason } = flags
  for (const effect of effects) {
    if (effect.kind === 'unmask') unmask = effect.value
    else if (effect.kind === 'reason') reason = effect.value
    else if (effect.kind === 'reset_all') {
      unmask = false
      reason = undefined
    }
  }
  return unmask === flags.unmask && reason === flags.reason ? flags : { unmask, reason }
}

// As the wire server bounds the names it keeps: a client cannot grow the gateway's memory.
const MAX_PREPARED = 10_000

export class SessionState {
  flags: SessionFlags = { unmask: false, reason: undefined }
  /** Who the session's messages come from, per protocol (gate-message.ts). */
  readonly origins: { simple?: SessionOrigins; extended?: SessionOrigins } = {}
  readonly #prepared = new Map<string, PreparedStatement>()
  #classifications: ReadonlyMap<string, Classification> | undefined

  prepared(name: string): PreparedStatement | undefined {
    return this.#prepared.get(name)
  }

  /** Name → classification of every prepared statement, for EXECUTE in SQL. */
  get classifications(): ReadonlyMap<string, Classification> {
    this.#classifications ??= new Map([...this.#prepared].map(([name, p]) => [name, p.classification]))
    return this.#classifications
  }

  /** A statement prepared with the protocol's Parse (a name; the unnamed one too). */
  remember(name: string, statement: PreparedStatement): void {
    this.#prepared.delete(name)
    this.#prepared.set(name, statement)
    if (this.#prepared.size > MAX_PREPARED) {
      const oldest = this.#prepared.keys().next()
      if (oldest.done !== true) this.#prepared.delete(oldest.value)
    }
    this.#classifications = undefined
  }

  apply(effects: readonly SessionEffect[]): void {
    this.flags = flagsAfter(this.flags, effects)
    for (const effect of effects) {
      if (effect.kind === 'prepare') this.remember(effect.name, effect.statement)
      else if (effect.kind === 'forget_prepared') {
        this.#prepared.clear()
        this.#classifications = undefined
      }
    }
  }
}
