// The masker: a mask (field → FieldTransform, as a decision's obligations or a
// masking profile give it) compiled once into one function per column, with the
// keyed state of each transform built once and shared by all its columns. Rows are
// objects or arrays with a column list.
//
// Fail safe: null and undefined come out null and '' as ''; any other value a
// transform cannot handle (wrong type, too short for FPE, not an email…) comes out as
// the fail-safe redaction and is reported by column and code, never by value. No
// transform but `keep` ever hands the raw value back.
import type { FieldTransform, TransformName } from '../../policy/index.ts'
import { AnonymizeError } from '../transforms/anonymize-error.ts'
import {
  compileFieldTransform,
  DEFAULT_REDACTION,
  type TransformContext,
  type ValueTransform,
} from '../transforms/compile-field-transform.ts'
import { resolveColumn } from './column-resolution.ts'

export interface MaskFailure {
  readonly column: string
  readonly transform: TransformName
  /** The AnonymizeError code, e.g. `transform_input_invalid`, or `transform_failed`. */
  readonly code: string
}

export interface MaskerOptions extends TransformContext {
  /** The table the rows come from, so `table.column` keys of the mask apply to bare column names. */
  readonly table?: string
  /** The classification of a field (`table.column` when a table is given, else the column). */
  readonly classOf?: (field: string) => string | undefined
  /** What a value that failed its transform becomes; `[redacted]` unless given. */
  readonly failSafe?: string
  readonly onFailure?: (failure: MaskFailure) => void
}

export type ColumnMasker = (value: unknown) => unknown

const MAX_CACHED_COLUMNS = 4096

export class Masker {
  readonly #mask: Readonly<Record<string, FieldTransform>>
  readonly #options: MaskerOptions
  readonly #compiled = new Map<string, ValueTransform>()
  readonly #columns = new Map<string, ColumnMasker>()
  readonly #failures = new Map<string, number>()

  /** Compiles every transform of the mask now: a bad one throws `mask_transform_invalid` here. */
  constructor(mask: Readonly<Record<string, FieldTransform>>, options: MaskerOptions) {
    this.#mask = mask
    this.#options = options
    for (const [key, t] of Object.entries(mask)) {
      try {
        this.#compiled.set(key, compileFieldTransform(t, options))
      } catch (err) {
        if (!(err instanceof AnonymizeError)) throw err
        throw new AnonymizeError(
          err.code,
          `mask field '${key}': ${err.message}`,
          err.details.map((d) => ({ ...d, path: `${key}.${d.path ?? ''}` })),
        )
      }
    }
  }

  /** The transform a column gets: its own entry, its table.column's, its classification's, `*`, else keep. */
  transformFor(column: string): FieldTransform {
    return resolveColumn(this.#mask, column, this.#options).transform
  }

  /** The masking function of a column, compiled once. */
  column(name: string): ColumnMasker {
    const cached = this.#columns.get(name)
    if (cached !== undefined) return cached
    const { key, transform } = resolveColumn(this.#mask, name, this.#options)
    const fn = key === undefined ? undefined : this.#compiled.get(key)
    const made = fn === undefined ? keepNulls : this.#guard(name, transform.transform, fn)
    // Rows from outside can name any number of columns: the cache stays bounded.
    if (this.#columns.size < MAX_CACHED_COLUMNS) this.#columns.set(name, made)
    return made
  }

  /** A new object with every property masked by its column's function, in the same order. */
  maskObject(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(row)) {
      const value = this.column(key)(row[key])
      // JSON input can carry an own `__proto__` key: keep it a plain property.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true })
      else out[key] = value
    }
    return out
  }

  /** A function masking array rows whose values are in `columns` order; extra values are redacted. */
  rows(columns: readonly string[]): (row: readonly unknown[]) => unknown[] {
    const fns = columns.map((c) => this.column(c))
    const extra = this.#guard('(unnamed column)', 'redact', () => {
      throw new AnonymizeError('transform_input_invalid', 'a value without a column')
    })
    return (row) => {
      const out = new Array<unknown>(row.length)
      for (let i = 0; i < row.length; i++) out[i] = (fns[i] ?? extra)(row[i])
      return out
    }
  }

  /** Values that failed their transform and were redacted, per column. */
  get failures(): ReadonlyMap<string, number> {
    return this.#failures
  }

  #guard(column: string, transform: TransformName, fn: ValueTransform): ColumnMasker {
    const failSafe = this.#options.failSafe ?? DEFAULT_REDACTION
    const onFailure = this.#options.onFailure
    return (value) => {
      if (value === null || value === undefined) return null
      if (value === '') return ''
      try {
        return fn(value)
      } catch (err) {
        const code = err instanceof AnonymizeError ? err.code : 'transform_failed'
        this.#failures.set(column, (this.#failures.get(column) ?? 0) + 1)
        onFailure?.({ column, transform, code })
        return failSafe
      }
    }
  }
}

function keepNulls(value: unknown): unknown {
  return value === undefined ? null : value
}
