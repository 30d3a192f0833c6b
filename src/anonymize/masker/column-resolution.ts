// Which entry of a mask applies to a column, the way the policy engine reads masks
// (see mergeMasks): the column's own entry, its `table.column` entry, the entry of
// its classification, the default `*`, else `keep` (a mask without a default keeps
// what it does not name).
import type { FieldTransform } from '../../policy/index.ts'

const KEEP: FieldTransform = { transform: 'keep', params: {} }

export interface ColumnContext {
  readonly table?: string
  readonly classOf?: (field: string) => string | undefined
}

/** The transform for a column and the mask key it came from (undefined for the implicit keep). */
export function resolveColumn(
  mask: Readonly<Record<string, FieldTransform>>,
  column: string,
  ctx: ColumnContext,
): { key: string | undefined; transform: FieldTransform } {
  const field = ctx.table === undefined ? column : `${ctx.table}.${column}`
  const cls = ctx.classOf?.(field) ?? (field === column ? undefined : ctx.classOf?.(column))
  for (const key of [column, field, cls, '*']) {
    if (key === undefined || !Object.hasOwn(mask, key)) continue
    const transform = mask[key]
    if (transform !== undefined) return { key, transform }
  }
  return { key: undefined, transform: KEEP }
}
