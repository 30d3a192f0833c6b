// PostgreSQL's own parser (libpg-query, compiled to WebAssembly). The module must be loaded once,
// asynchronously, before the synchronous calls work: `initClassifier()` does that, and every call
// here fails with a clear error when it was forgotten instead of libpg-query's generic one.
import {
  fingerprintSync,
  hasSqlDetails,
  loadModule,
  normalizeSync,
  type ParseResult,
  parseSync,
  type ScanToken,
  scanSync,
} from 'libpg-query'
import { JitgateError } from '../../shared/index.ts'

let loaded = false

/** Loads the parser; call (and await) once before `classify` or `statementFingerprint`. */
export async function initClassifier(): Promise<void> {
  await loadModule()
  loaded = true
}

export class ClassifierNotReadyError extends JitgateError {
  constructor() {
    super('sql_classifier_not_ready', 'the SQL classifier was used before it was loaded', {
      details: [{ message: 'libpg-query is not loaded', hint: 'await initClassifier() once at start' }],
    })
  }
}

function ensureLoaded(): void {
  if (!loaded) throw new ClassifierNotReadyError()
}

/** A parse failure: PostgreSQL's message and where (in Unicode code points, as PostgreSQL counts). */
export interface ParseFailure {
  readonly message: string
  readonly codePoint: number
}

export function parseStatements(sql: string): ParseResult | ParseFailure {
  ensureLoaded()
  try {
    return parseSync(sql)
  } catch (err) {
    if (hasSqlDetails(err)) return { message: err.message, codePoint: err.sqlDetails?.cursorPosition ?? 0 }
    return { message: err instanceof Error ? err.message : String(err), codePoint: 0 }
  }
}

/** PostgreSQL's lexer: tokens with UTF-8 byte offsets, or undefined when the lexer itself fails. */
export function scanTokens(sql: string): readonly ScanToken[] | undefined {
  ensureLoaded()
  try {
    return scanSync(sql).tokens
  } catch {
    // libpg-query reports lexer errors (an unterminated string, say) without a position.
    return undefined
  }
}

export function fingerprintOf(sql: string): string {
  ensureLoaded()
  return fingerprintSync(sql)
}

export function normalizedOf(sql: string): string {
  ensureLoaded()
  return normalizeSync(sql)
}
