// Which audit events a webhook receives: a list of patterns over dotted event types.
//   request.created   that type only
//   request.*         every type under `request.` (a last `*` matches the rest, however deep)
//   *.failed          `*` elsewhere matches one segment: execution.failed, auth.failed
//   *                 everything
// Deliberately small: no character classes or alternatives to get wrong in a filter.
import { NotifyError } from './notify-errors.ts'

const SEGMENT = /^(?:\*|[a-z][a-z0-9_]*)$/
const MAX_PATTERNS = 50
const MAX_PATTERN_LENGTH = 64

/** Throws `webhook_events_invalid` naming every bad pattern; returns them deduplicated, in order. */
export function checkEventFilter(patterns: readonly string[]): string[] {
  const problems: { path: string; message: string }[] = []
  if (patterns.length === 0) problems.push({ path: '/events', message: 'must list at least one pattern' })
  if (patterns.length > MAX_PATTERNS)
    problems.push({ path: '/events', message: `must list at most ${MAX_PATTERNS} patterns` })
  patterns.forEach((pattern, i) => {
    if (!isPattern(pattern))
      problems.push({
        path: `/events/${i}`,
        message: 'must be dotted lowercase segments or *, like request.* or execution.failed',
      })
  })
  if (problems.length > 0) {
    throw new NotifyError(
      'webhook_events_invalid',
      `the event filter is invalid: ${problems[0]?.message}`,
      problems,
    )
  }
  return [...new Set(patterns)]
}

function isPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return false
  return pattern.split('.').every((segment) => SEGMENT.test(segment))
}

/** True when any pattern matches `type`. */
export function matchesFilter(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => matches(pattern.split('.'), type.split('.')))
}

function matches(pattern: readonly string[], type: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]
    const last = i === pattern.length - 1
    if (segment === '*' && last) return type.length > i
    if (i >= type.length || (segment !== '*' && segment !== type[i])) return false
  }
  return pattern.length === type.length
}
