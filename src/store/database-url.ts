// Reads the one setting that says where the store is: `sqlite:PATH`, a plain file path,
// or `postgres://USER:PASSWORD@HOST:PORT/DB`. Pure. Nothing here ever repeats a password:
// messages show the URL with the password replaced, or not at all when it cannot be parsed.
import { JitgateError } from '../shared/index.ts'

export type Dialect = 'sqlite' | 'postgres'

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly path: string; readonly display: string }
  | {
      readonly dialect: 'postgres'
      readonly url: string
      /** The URL without its password, for messages and logs. */
      readonly display: string
      /** Strings that must never appear in a message: the password, raw and percent-encoded. */
      readonly secrets: readonly string[]
    }

const FORMS = 'sqlite:PATH, a file path, or postgres://USER:PASSWORD@HOST:PORT/DATABASE'
const HINT = `set the database URL to ${FORMS}`
// A scheme has two letters or more, so a Windows drive (`C:\data\jitgate.db`) stays a path.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i

/** Parses the store location; throws `store_url_invalid` for anything else. */
export function parseDatabaseUrl(input: string): DatabaseLocation {
  const text = input.trim()
  if (text === '') throw invalid('the database URL is empty')
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase()
  if (scheme === undefined) return sqlite(text)
  if (scheme === 'sqlite') return sqlite(text.slice('sqlite:'.length).replace(/^\/\//, ''))
  if (scheme === 'postgres' || scheme === 'postgresql') return postgres(text)
  throw invalid(`the database URL has the unsupported scheme '${scheme}:'`)
}

/** The URL with its password (in the user part or a `password=` parameter) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '(unparseable URL)'
  }
  if (parsed.password !== '') parsed.password = '***'
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***')
  return parsed.toString()
}

function sqlite(path: string): DatabaseLocation {
  if (path === '') throw invalid('the SQLite database URL has no file path')
  return { dialect: 'sqlite', path, display: `sqlite:${path}` }
}

function postgres(text: string): DatabaseLocation {
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    // The text may hold a password in a place we cannot find: show only its scheme.
    throw invalid('the PostgreSQL database URL is not a valid URL')
  }
  if (parsed.hash !== '') throw invalid('the PostgreSQL database URL must not have a #fragment')
  const secrets = [parsed.password, parsed.searchParams.get('password') ?? '']
    .flatMap((s) => [s, safeDecode(s)])
    .filter((s) => s !== '')
  return { dialect: 'postgres', url: text, display: redactDatabaseUrl(text), secrets: [...new Set(secrets)] }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function invalid(message: string): JitgateError {
  return new JitgateError('store_url_invalid', message, {
    details: [{ path: 'database', message, hint: HINT }],
  })
}
