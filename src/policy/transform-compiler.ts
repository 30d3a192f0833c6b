// Checks a masking transform as written in a policy and puts it in its final form.
import type { FieldTransform, TransformName } from './decision-types.ts'
import type { TransformDoc } from './policy-schema.ts'

/** Which parameters each transform takes; the first group lists those it requires (one of). */
const PARAMS: Readonly<
  Record<TransformName, { allowed: readonly string[]; requiresOneOf?: readonly string[] }>
> = {
  redact: { allowed: ['with'] },
  null: { allowed: [] },
  partial: {
    allowed: ['keep_first', 'keep_last', 'keep'],
    requiresOneOf: ['keep_first', 'keep_last', 'keep'],
  },
  pseudonym: { allowed: ['purpose'] },
  token: { allowed: ['purpose'] },
  fpe: { allowed: ['format', 'purpose'], requiresOneOf: ['format'] },
  generalize: { allowed: ['to', 'size'], requiresOneOf: ['to'] },
  noise: { allowed: ['percent', 'purpose'], requiresOneOf: ['percent'] },
  keep: { allowed: [] },
}

export type TransformResult =
  | { ok: true; transform: FieldTransform }
  | { ok: false; message: string; hint: string }

export function compileTransform(spec: TransformDoc): TransformResult {
  if (typeof spec === 'string') {
    const needs = PARAMS[spec].requiresOneOf
    if (needs !== undefined) {
      return {
        ok: false,
        message: `transform '${spec}' needs parameters`,
        hint: `write it as { transform: ${spec}, ${needs[0]}: … } with one of ${needs.join(', ')}`,
      }
    }
    return { ok: true, transform: { transform: spec, params: {} } }
  }
  const { transform, ...rest } = spec
  const rule = PARAMS[transform]
  const params: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue
    if (!rule.allowed.includes(key)) {
      return {
        ok: false,
        message: `transform '${transform}' does not take '${key}'`,
        hint:
          rule.allowed.length === 0
            ? `'${transform}' takes no parameters`
            : `it takes: ${rule.allowed.join(', ')}`,
      }
    }
    params[key] = value
  }
  if (rule.requiresOneOf !== undefined && !rule.requiresOneOf.some((k) => k in params)) {
    return {
      ok: false,
      message: `transform '${transform}' needs one of ${rule.requiresOneOf.join(', ')}`,
      hint: `e.g. { transform: ${transform}, ${rule.requiresOneOf[0]}: … }`,
    }
  }
  if (transform === 'partial' && 'keep' in params && ('keep_first' in params || 'keep_last' in params)) {
    return {
      ok: false,
      message: "transform 'partial' takes keep or keep_first/keep_last, not both",
      hint: 'keep: email_domain and keep: card_last4 decide what is shown on their own',
    }
  }
  // A range one wide, or a prefix as long as the address, is the value itself.
  if (
    transform === 'generalize' &&
    params.to === 'range' &&
    typeof params.size === 'number' &&
    params.size < 2
  )
    return {
      ok: false,
      message: 'generalize to range needs a size of at least 2',
      hint: 'a width of 1 keeps the number',
    }
  if (
    transform === 'generalize' &&
    params.to === 'ip_prefix' &&
    typeof params.size === 'number' &&
    (params.size === 32 || params.size >= 128)
  )
    return {
      ok: false,
      message: 'generalize to ip_prefix needs a prefix shorter than the address',
      hint: 'e.g. size: 24 for IPv4 (/48 is used for IPv6), or up to 127 for IPv6',
    }
  if (
    transform === 'generalize' &&
    (params.to === 'range' || params.to === 'age_band' || params.to === 'ip_prefix') &&
    params.size === undefined
  ) {
    return {
      ok: false,
      message: `generalize to '${String(params.to)}' needs a size`,
      hint: 'add size: (band width, range width or prefix length)',
    }
  }
  return { ok: true, transform: { transform, params } }
}

/**
 * How much a transform reveals; when rules disagree on a field, the lowest wins.
 * `fpe` and `noise` sit between the documented ranks, which stay as they were: FPE is
 * a token that also shows the format (length, country code), noise a generalization
 * that keeps the value's magnitude.
 */
export const REVEALS: Readonly<Record<TransformName, number>> = {
  redact: 0,
  null: 0,
  pseudonym: 1,
  token: 2,
  fpe: 2.5,
  generalize: 3,
  noise: 3.5,
  partial: 4,
  keep: 5,
}
