// Reversing a token or an FPE value is itself an access to personal data: it needs
// an active grant for the verb `data.detokenize` on the resource (and the field, when
// the grant lists fields). The caller passes the grant the workflow issued and the
// time; without them, or with a grant that does not cover this, nothing is revealed.
import type { GrantFact } from '../../policy/index.ts'
import { AnonymizeError } from './anonymize-error.ts'

export const DETOKENIZE_VERB = 'data.detokenize'

/** The proof a caller gives: the grant, the time of the request, what is being opened. */
export interface DetokenizeAccess {
  readonly grant: GrantFact
  readonly now: Date
  /** The resource the token came from, e.g. `pg://prod/customers`. */
  readonly resource: string
  /** The column, when the grant is limited to some fields. */
  readonly field?: string
}

/** Throws `detokenize_denied` unless `access` holds a grant that covers this now. */
export function checkDetokenizeAccess(access: DetokenizeAccess | undefined): void {
  const problem = refusal(access)
  if (problem !== undefined)
    throw new AnonymizeError('detokenize_denied', `detokenizing needs an active '${DETOKENIZE_VERB}' grant`, [
      {
        path: problem.path,
        message: problem.message,
        hint: `request approval for '${DETOKENIZE_VERB}' on the resource, then pass the grant it gives`,
      },
    ])
}

function refusal(access: DetokenizeAccess | undefined): { path: string; message: string } | undefined {
  if (access === undefined || typeof access !== 'object' || access.grant === undefined)
    return { path: 'grant', message: 'no grant was given' }
  const { grant, now, resource, field } = access
  if (grant.verb !== DETOKENIZE_VERB)
    return { path: 'grant.verb', message: `the grant is for '${String(grant.verb)}'` }
  // Grants are time-boxed; one without an expiry is not a grant this accepts.
  const expires = grant.expiresAt === undefined ? Number.NaN : Date.parse(grant.expiresAt)
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    return { path: 'now', message: 'no valid time was given' }
  if (!(expires > now.getTime()))
    return { path: 'grant.expiresAt', message: 'the grant has expired or has no expiry' }
  if (!covers(grant.resource, resource))
    return { path: 'grant.resource', message: 'the grant does not cover this resource' }
  if (grant.fields !== undefined && (field === undefined || !grant.fields.includes(field)))
    return { path: 'grant.fields', message: 'the grant does not cover this field' }
  return undefined
}

/** The resource itself, or a `prefix**` pattern; any other wildcard is not trusted here. */
function covers(pattern: string, resource: string): boolean {
  if (typeof pattern !== 'string' || typeof resource !== 'string' || resource === '') return false
  if (pattern.endsWith('**') && !/[*?{}\\]/.test(pattern.slice(0, -2)))
    return resource.startsWith(pattern.slice(0, -2))
  return pattern === resource
}
