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
  generalize: { allowed: ['to', 'size'], requiresOneOf: ['to'] },
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

/** How much a transform reveals; when rules disagree on a field, the lowest wins. */
export const REVEALS: Readonly<Record<TransformName, number>> = {
  redact: 0,
  null: 0,
  pseudonym: 1,
  token: 2,
  generalize: 3,
  partial: 4,
  keep: 5,
}
