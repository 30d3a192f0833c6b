// Turns TypeBox validation errors into messages an author of a policy or configuration file
// can act on: one message per field, naming the field, what was expected and, for typos,
// what was probably meant.
import type { TSchema } from '@sinclair/typebox'
import type { TypeCheck } from '@sinclair/typebox/compiler'
import { Value, type ValueError, ValueErrorType } from '@sinclair/typebox/value'
import { suggest } from './suggest.ts'

export interface FieldProblem {
  /** Path segments of the field at fault. */
  readonly path: (string | number)[]
  /** True when the problem is the key itself (unknown field): point at the key. */
  readonly atKey: boolean
  readonly message: string
  readonly hint?: string
}

function segments(pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

function literals(schema: TSchema): string[] {
  const options = (schema as { anyOf?: TSchema[] }).anyOf ?? []
  return options.flatMap((o) => {
    const c = (o as { const?: unknown }).const
    if (typeof c === 'string') return [c]
    return (o as { anyOf?: TSchema[] }).anyOf === undefined ? [] : literals(o)
  })
}

function describe(error: ValueError, schemaHint: string): { message: string; hint?: string } {
  const field = error.path === '' ? 'the document' : `'${error.path.slice(1).replaceAll('/', '.')}'`
  const schema = error.schema as Record<string, unknown>
  switch (error.type) {
    case ValueErrorType.Union: {
      const options = literals(error.schema)
      if (
        options.length > 0 &&
        (typeof error.value === 'string' || options.every((o) => typeof o === 'string'))
      ) {
        const guess = typeof error.value === 'string' ? suggest(error.value, options) : undefined
        return {
          message: `${field} must be one of ${options.join(', ')}; got ${JSON.stringify(error.value)}`,
          ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
        }
      }
      return {
        message: `${field} does not have any of the allowed forms`,
        hint: schemaHint,
      }
    }
    case ValueErrorType.String:
      return { message: `${field} must be a string; got ${JSON.stringify(error.value)}` }
    case ValueErrorType.StringPattern: {
      const description = typeof schema.description === 'string' ? ` (${schema.description})` : ''
      return { message: `${field} has an invalid value ${JSON.stringify(error.value)}${description}` }
    }
    case ValueErrorType.Integer:
    case ValueErrorType.Number:
      return { message: `${field} must be a whole number; got ${JSON.stringify(error.value)}` }
    case ValueErrorType.Boolean:
      return { message: `${field} must be true or false; got ${JSON.stringify(error.value)}` }
    case ValueErrorType.Array:
      return { message: `${field} must be a list` }
    case ValueErrorType.Object:
      return { message: `${field} must be a mapping of keys to values` }
    case ValueErrorType.Literal:
      return {
        message: `${field} must be ${JSON.stringify(schema.const)}; got ${JSON.stringify(error.value)}`,
      }
    default:
      return { message: `${field}: ${error.message.toLowerCase()}` }
  }
}

/**
 * Keys of records (`groups`, `classifications`) that do not match the record's key
 * pattern. TypeBox checks only the entries whose key matches and lets the others
 * through unchecked, values included, so they are caught here.
 */
function recordKeyProblems(
  schema: unknown,
  value: unknown,
  path: (string | number)[],
  out: FieldProblem[],
): void {
  if (
    schema === null ||
    typeof schema !== 'object' ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value)
  )
    return
  const { properties, patternProperties } = schema as {
    properties?: Record<string, unknown>
    patternProperties?: Record<string, unknown>
  }
  for (const [key, child] of Object.entries(value)) {
    const nested = properties?.[key]
    if (nested !== undefined && Object.hasOwn(properties ?? {}, key))
      recordKeyProblems(nested, child, [...path, key], out)
  }
  const [pattern, valueSchema] = Object.entries(patternProperties ?? {})[0] ?? []
  if (pattern === undefined) return
  const regex = new RegExp(pattern)
  for (const [key, child] of Object.entries(value)) {
    if (regex.test(key)) {
      recordKeyProblems(valueSchema, child, [...path, key], out)
      continue
    }
    const where = path.length === 0 ? '' : ` in '${path.join('.')}'`
    out.push({
      path: [...path, key],
      atKey: true,
      message: `invalid name '${key}'${where}`,
      hint: `names must match ${pattern}`,
    })
  }
}

/**
 * A union error on a mapping or a list, where the union has exactly one form of that
 * shape (a transform written out as an object, one rate limit or a list of them):
 * the errors of that form, which name the field at fault, instead of "none of the
 * forms matched".
 */
function* withinUnions(error: ValueError): Generator<ValueError> {
  if (error.type === ValueErrorType.Union && error.value !== null && typeof error.value === 'object') {
    const shape = Array.isArray(error.value) ? 'array' : 'object'
    const forms = ((error.schema as { anyOf?: TSchema[] }).anyOf ?? []).filter((f) => f.type === shape)
    if (forms.length === 1 && forms[0] !== undefined) {
      for (const inner of Value.Errors(forms[0], error.value))
        yield* withinUnions({ ...inner, path: error.path + inner.path })
      return
    }
  }
  yield error
}

/** All problems of `value` against `check`, one per field, most useful first. */
/** `schemaHint` is where to read the allowed forms, for a value that matches none of them. */
export function schemaProblems(
  check: TypeCheck<TSchema>,
  value: unknown,
  schemaHint = 'see `jitgate policy schema`',
): FieldProblem[] {
  const problems: FieldProblem[] = []
  recordKeyProblems(check.Schema(), value, [], problems)
  const seen = new Set<string>()
  for (const error of [...check.Errors(value)].flatMap((e) => [...withinUnions(e)])) {
    if (seen.has(error.path)) continue
    seen.add(error.path)
    const path = segments(error.path)
    if (error.type === ValueErrorType.ObjectAdditionalProperties) {
      const parentPath = error.path.slice(0, error.path.lastIndexOf('/'))
      const parent = (error.schema as { properties?: Record<string, unknown> }).properties ?? {}
      const key = String(path[path.length - 1])
      const guess = suggest(key, Object.keys(parent))
      problems.push({
        path,
        atKey: true,
        message: `unknown field '${key}'${parentPath === '' ? '' : ` in '${parentPath.slice(1).replaceAll('/', '.')}'`}`,
        hint:
          guess === undefined
            ? `allowed fields: ${Object.keys(parent).join(', ')}`
            : `did you mean '${guess}'?`,
      })
      continue
    }
    if (error.type === ValueErrorType.ObjectRequiredProperty) {
      const key = String(path[path.length - 1])
      problems.push({ path: path.slice(0, -1), atKey: false, message: `missing required field '${key}'` })
      continue
    }
    const problem: FieldProblem = { path, atKey: false, ...describe(error, schemaHint) }
    // YAML reads an unquoted leading `!` as a tag and leaves an empty string behind.
    const last = path[path.length - 1]
    if (error.value === '' && (last === 'when' || last === 'auto_approve' || last === 'subject')) {
      problems.push({
        ...problem,
        hint: `quote an expression that starts with '!': ${last}: '!has(context.x)'`,
      })
    } else {
      problems.push(problem)
    }
  }
  return problems
}
