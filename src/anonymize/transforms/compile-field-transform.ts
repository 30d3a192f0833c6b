// Turns a FieldTransform, as the policy engine gives it, into a function over one
// value with its keyed state built once. Parameters are checked here again: a mask
// can come from an API as well as from a compiled policy, and a transform this
// library does not understand must refuse to compile, never fall back to `keep`.
import type { FieldTransform, TransformName } from '../../policy/index.ts'
import type { AnonymizeKeys } from '../keys/anonymize-keys.ts'
import { AnonymizeError } from './anonymize-error.ts'
import { FPE_FORMATS, FpeCipher, type FpeFormat } from './fpe-formats.ts'
import { GENERALIZE_TARGETS, type GeneralizeTo, generalizer } from './generalize.ts'
import { numericNoise } from './numeric-noise.ts'
import { maskCardLast4, maskEmailDomain, maskKeeping } from './partial-mask.ts'
import { pseudonymizer } from './pseudonymizer.ts'
import { tokenizer } from './tokenizer.ts'

/** A transform over one non-null value; throws AnonymizeError for a value it cannot handle. */
export type ValueTransform = (value: unknown) => unknown

export const DEFAULT_REDACTION = '[redacted]'
export const DEFAULT_PURPOSE = 'default'

export interface TransformContext {
  readonly keys: AnonymizeKeys
  /** Today, for ages from birth dates; without it a birth date is refused (redacted). */
  readonly now?: Date
}

type Params = FieldTransform['params']

export function compileFieldTransform(t: FieldTransform, ctx: TransformContext): ValueTransform {
  const p = t.params ?? {}
  switch (t.transform as TransformName) {
    case 'keep':
      return (value) => value
    case 'null':
      return () => null
    case 'redact': {
      const text = optionalString(p, 'with', t) ?? DEFAULT_REDACTION
      return () => text
    }
    case 'partial':
      return partial(p, t)
    case 'pseudonym':
      return pseudonymizer(ctx.keys.hmac('pseudonym', purpose(p, t)))
    case 'token':
      return tokenizer(ctx.keys, purpose(p, t))
    case 'fpe': {
      const cipher = new FpeCipher(ctx.keys, oneOf(p, 'format', FPE_FORMATS, t) as FpeFormat, purpose(p, t))
      return (value) => cipher.encrypt(value)
    }
    case 'generalize': {
      const to = oneOf(p, 'to', GENERALIZE_TARGETS, t) as GeneralizeTo
      return generalizer(to, size(p, t, to === 'ip_prefix' ? 128 : Number.MAX_SAFE_INTEGER), ctx.now)
    }
    case 'noise': {
      const percent = p.percent
      if (typeof percent !== 'number' || !(percent > 0 && percent <= 100))
        throw invalid(t, 'percent', 'must be a number in (0, 100]')
      return numericNoise(ctx.keys.hmac('noise', purpose(p, t)), percent)
    }
    default:
      throw invalid(t, 'transform', `'${String(t.transform)}' is not a transform this library knows`)
  }
}

function partial(p: Params, t: FieldTransform): ValueTransform {
  if (p.keep !== undefined) {
    if (p.keep_first !== undefined || p.keep_last !== undefined)
      throw invalid(t, 'keep', 'takes either keep or keep_first/keep_last, not both')
    const keep = oneOf(p, 'keep', ['email_domain', 'card_last4'], t)
    return keep === 'email_domain' ? maskEmailDomain : maskCardLast4
  }
  const first = count(p, 'keep_first', t)
  const last = count(p, 'keep_last', t)
  if (first === 0 && last === 0) throw invalid(t, 'keep_first', 'needs keep_first, keep_last or keep')
  return (value) => maskKeeping(value, first, last)
}

function purpose(p: Params, t: FieldTransform): string {
  return optionalString(p, 'purpose', t) ?? DEFAULT_PURPOSE
}

function optionalString(p: Params, name: string, t: FieldTransform): string | undefined {
  const v = p[name]
  if (v !== undefined && typeof v !== 'string') throw invalid(t, name, 'must be text')
  return v
}

function oneOf(p: Params, name: string, allowed: readonly string[], t: FieldTransform): string {
  const v = p[name]
  if (typeof v !== 'string' || !allowed.includes(v))
    throw invalid(t, name, `must be one of ${allowed.join(', ')}`)
  return v
}

function count(p: Params, name: string, t: FieldTransform): number {
  const v = p[name] ?? 0
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 64)
    throw invalid(t, name, 'must be an integer in 0…64')
  return v
}

function size(p: Params, t: FieldTransform, max: number): number | undefined {
  const v = p.size
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    throw invalid(t, 'size', `must be an integer in 1…${max}`)
  return v
}

function invalid(t: FieldTransform, param: string, what: string): AnonymizeError {
  return new AnonymizeError(
    'mask_transform_invalid',
    `transform '${String(t.transform)}': ${param} ${what}`,
    [{ path: `params.${param}`, message: what, hint: 'see the transforms in docs/policy-language.md' }],
  )
}
