// Resolves a rule's mask obligation: a masking profile plus field overrides,
// with every classification and profile it names checked against the set.
import { suggest } from '../shared/index.ts'
import type { Path, SourceDocument } from '../shared/yaml-source.ts'
import type { FieldTransform } from './decision-types.ts'
import type { ObligationsDoc } from './policy-schema.ts'
import type { RuleContext } from './rule-compiler.ts'
import { compileTransform } from './transform-compiler.ts'

export function resolveMask(
  mask: NonNullable<ObligationsDoc['mask']>,
  doc: SourceDocument,
  path: Path,
  ctx: RuleContext,
): Record<string, FieldTransform> {
  const fields: Record<string, FieldTransform> = {}
  if (mask.profile !== undefined) {
    const profile = ctx.profiles.get(mask.profile)
    if (profile === undefined) {
      const guess = suggest(mask.profile, ctx.profiles.keys())
      ctx.problems.add(
        doc,
        [...path, 'profile'],
        `unknown masking profile '${mask.profile}'`,
        guess === undefined ? 'declare it in a MaskingProfile document' : `did you mean '${guess}'?`,
      )
    } else {
      Object.assign(fields, profile.fields)
    }
  }
  for (const [key, spec] of Object.entries(mask.fields ?? {})) {
    checkMaskKey(key, doc, [...path, 'fields', key], ctx)
    const result = compileTransform(spec)
    if (result.ok) fields[key] = result.transform
    else ctx.problems.add(doc, [...path, 'fields', key], result.message, result.hint)
  }
  return fields
}

/** A key under a classification namespace (`pii.`) must be a declared classification. */
export function checkMaskKey(key: string, doc: SourceDocument, path: Path, ctx: RuleContext): void {
  if (key === '*' || ctx.classifications.has(key)) return
  const namespace = key.split('.')[0]
  const namespaces = new Set([...ctx.classifications].map((c) => c.split('.')[0]))
  if (namespace !== undefined && namespaces.has(namespace)) {
    const guess = suggest(key, ctx.classifications)
    ctx.problems.add(
      doc,
      path,
      `unknown classification '${key}'`,
      guess === undefined ? 'declare it in a Classifications document' : `did you mean '${guess}'?`,
      true,
    )
  } else if (!key.includes('.')) {
    ctx.problems.add(
      doc,
      path,
      `'${key}' is neither a classification nor a table.column field`,
      "name a declared classification, a field as 'table.column', or '*' for every other field",
      true,
    )
  }
}
