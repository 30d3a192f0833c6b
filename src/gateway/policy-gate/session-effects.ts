// What a statement changes in what the gate remembers of its session: jitgate's own settings
// (`SET jitgate.unmask = on` asks for raw values, `SET jitgate.reason = '…'` gives the reason
// approval requests carry; RESET, RESET ALL and DISCARD ALL clear them) and the statements
// prepared in SQL, so that `EXECUTE name` and an Execute of them are decided on what they run.
// The statements are forwarded as sent (PostgreSQL keeps `jitgate.*` as placeholder settings);
// the gate's record, not the upstream's, is what counts. Pure.
import { MAX_TEXT_LENGTH } from '../../approvals/index.ts'
import type { Classification, ClassifiedStatement } from '../classify/index.ts'
import { preparedQuery } from './prepared-sql.ts'

/** A prepared statement as the gate knows it. */
export interface PreparedStatement {
  readonly classification: Classification
  readonly fingerprint: string
  readonly text: string
  /** The query it runs, as written (for masking); undefined when it could not be read. */
  readonly sql: string | undefined
}

export type SessionEffect =
  | { readonly kind: 'unmask'; readonly value: boolean }
  | { readonly kind: 'reason'; readonly value: string | undefined }
  /** RESET ALL, DISCARD ALL: jitgate's settings back to their defaults. */
  | { readonly kind: 'reset_all' }
  | { readonly kind: 'prepare'; readonly name: string; readonly statement: PreparedStatement }
  /** DEALLOCATE (any name: the gate does not read which), DISCARD ALL. */
  | { readonly kind: 'forget_prepared' }

/** A jitgate setting statement the gate cannot read: refused, so the session is never in doubt. */
export interface InvalidSetting {
  readonly message: string
  readonly hint: string
}

export type StatementEffects =
  | { readonly ok: true; readonly effects: readonly SessionEffect[]; readonly jitgateSetting: boolean }
  | { readonly ok: false; readonly invalid: InvalidSetting }

const NONE: StatementEffects = Object.freeze({ ok: true, effects: [], jitgateSetting: false })
const SETTING =
  /^(SET|RESET)\s+(?:(SESSION|LOCAL)\s+)?jitgate\.([A-Za-z_]+)(?:\s*(?:=|\s+TO\s+)\s*([\s\S]*))?$/i
const TRUE_WORDS = new Set(['on', 'true', 'yes', '1'])
const FALSE_WORDS = new Set(['off', 'false', 'no', '0'])
const HINT =
  "Write SET jitgate.unmask = on | off, SET jitgate.reason = 'why you need it', or RESET jitgate.unmask."

/**
 * The effects of `c`, whose text as sent is `raw`. `fingerprint` and `text` describe it for a
 * PREPARE (what EXECUTE of it will be audited as).
 */
export function statementEffects(
  c: ClassifiedStatement,
  raw: string,
  fingerprint: string,
  text: string,
): StatementEffects {
  if (c.reasons.some((reason) => /^(SET|RESET) jitgate\./.test(reason))) return jitgateSetting(raw.trim())
  if (c.prepared !== undefined) {
    const { name, classification } = c.prepared
    const sql = preparedQuery(raw)
    return effects([{ kind: 'prepare', name, statement: { classification, fingerprint, text, sql } }])
  }
  if (c.statement === 'DeallocateStmt') return effects([{ kind: 'forget_prepared' }])
  if (c.statement === 'DiscardStmt' && /^DISCARD\s+ALL$/i.test(raw.trim()))
    return effects([{ kind: 'reset_all' }, { kind: 'forget_prepared' }])
  if (c.statement === 'VariableSetStmt' && /^RESET\s+ALL$/i.test(raw.trim()))
    return effects([{ kind: 'reset_all' }])
  return NONE
}

function effects(list: readonly SessionEffect[]): StatementEffects {
  return { ok: true, effects: list, jitgateSetting: false }
}

function jitgateSetting(raw: string): StatementEffects {
  const match = SETTING.exec(raw)
  if (match === null) return invalid('jitgate cannot read this jitgate setting')
  const [, verb, scope, name, value] = match
  if (scope?.toUpperCase() === 'LOCAL')
    return invalid('jitgate settings are per session: SET LOCAL is not supported', 'Use SET without LOCAL.')
  const setting = name?.toLowerCase()
  if (setting !== 'unmask' && setting !== 'reason')
    return invalid(`jitgate has no setting jitgate.${name}: it knows jitgate.unmask and jitgate.reason`)
  const text = verb?.toUpperCase() === 'RESET' ? undefined : settingText(value ?? '')
  if (text === null) return invalid(`jitgate cannot read the value given to jitgate.${setting}`)
  if (setting === 'reason') {
    if (text !== undefined && text.length > MAX_TEXT_LENGTH)
      return invalid(`the reason is longer than ${MAX_TEXT_LENGTH} characters`, 'Shorten it.')
    return settingEffect({
      kind: 'reason',
      value: text === undefined || text.trim() === '' ? undefined : text,
    })
  }
  const word = text?.toLowerCase() ?? 'off'
  if (TRUE_WORDS.has(word)) return settingEffect({ kind: 'unmask', value: true })
  if (FALSE_WORDS.has(word)) return settingEffect({ kind: 'unmask', value: false })
  return invalid('jitgate.unmask is on or off')
}

function settingEffect(effect: SessionEffect): StatementEffects {
  return { ok: true, effects: [effect], jitgateSetting: true }
}

function invalid(message: string, hint = HINT): StatementEffects {
  return { ok: false, invalid: { message, hint } }
}

/** A setting's value: a bare word, a standard string, or DEFAULT (undefined); null when unreadable. */
function settingText(value: string): string | undefined | null {
  const text = value.trim()
  if (/^default$/i.test(text)) return undefined
  if (/^[A-Za-z0-9_.+-]+$/.test(text)) return text
  const quoted = /^'((?:[^']|'')*)'$/.exec(text)
  return quoted === null ? null : (quoted[1] ?? '').replaceAll("''", "'")
}
