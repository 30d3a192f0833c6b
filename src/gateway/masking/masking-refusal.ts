// Why a statement of a masked actor is refused, in words a person can act on: which column,
// where the statement uses it, why that could reveal the value, and how to get unmasked access.
// Messages name columns, clauses, functions and relations, never a value or a literal of the
// statement (which may itself be personal data).
import { JitgateError } from '../../shared/index.ts'
import { type SourceColumn, sourceLabel } from './lineage.ts'

/** How a masked value would leak through the use that is refused. */
export type LeakPath = 'filter' | 'copy' | 'write' | 'compute' | 'compare' | 'returning'

export const UNMASK_HINT =
  'To see raw values, ask for unmasked access: SET jitgate.unmask = on asks for approval.'

const WHY: Readonly<Record<LeakPath, string>> = {
  filter:
    "Masked values may only be selected. Used to filter, join, group or sort, they would show in which rows come back and in which order: a probe such as WHERE ssn LIKE '1%' reveals a value character by character.",
  copy: 'The copy would hold the raw value, where masking no longer applies.',
  write:
    'Writing a masked column would reveal through constraint errors or conflicts whether a value exists.',
  compute:
    'An expression over a masked value can fail on the value (a cast, arithmetic) or change the number of rows, and its error or result would reveal the value.',
  compare: 'Removing duplicates or comparing rows shows whether masked values are equal.',
  returning: 'Masking applies to the results of reads: a data change may return unmasked columns only.',
}

export class MaskingRefusal extends JitgateError {
  readonly hint: string | undefined

  constructor(message: string, detail: string, hint?: string) {
    super('masking_refused', message, {
      status: 403,
      details: [{ message: detail, ...(hint === undefined ? {} : { hint }) }],
    })
    this.hint = hint
  }

  get detail(): string {
    return this.details[0]?.message ?? ''
  }

  /** The same refusal, said to happen inside a view's definition. */
  inView(view: string): MaskingRefusal {
    return new MaskingRefusal(`${this.message} (in the definition of view ${view})`, this.detail, this.hint)
  }
}

/** A masked column used where its value could leak. */
export function refuseUse(source: SourceColumn, clause: string, path: LeakPath): MaskingRefusal {
  const label = sourceLabel(source)
  return new MaskingRefusal(
    `column ${label} is masked for you and cannot be used in ${clause}`,
    WHY[path],
    `Select ${label} itself (it comes back masked) and use unmasked columns for the rest. ${UNMASK_HINT}`,
  )
}

/** A statement kind that masked access does not run. */
export function refuseStatement(what: string, why: string): MaskingRefusal {
  return new MaskingRefusal(`${what} is not run for masked access`, why, UNMASK_HINT)
}

/** Syntax the masking cannot follow: refused rather than run unmasked. */
export function refuseUnsupported(what: string): MaskingRefusal {
  return new MaskingRefusal(
    `jitgate cannot apply masking to ${what}`,
    'Statements that masking cannot follow are refused, never run unmasked.',
    `Rewrite the statement without it. ${UNMASK_HINT}`,
  )
}

export function refuseFunction(name: string, why: string): MaskingRefusal {
  return new MaskingRefusal(`function ${name} is not allowed for masked access`, why, UNMASK_HINT)
}

export function refuseRelation(name: string, why: string): MaskingRefusal {
  return new MaskingRefusal(`${name} cannot be read with masked access`, why, UNMASK_HINT)
}

export function refuseUnresolved(name: string): MaskingRefusal {
  return new MaskingRefusal(
    `jitgate cannot tell which column ${name} refers to`,
    'Masking needs to know the table behind every column a statement uses.',
    'Check the name, or qualify it with its table (t.column).',
  )
}

/** A relation the catalog snapshot does not hold: the catalog may be refreshed and the plan retried. */
export class UnknownRelationError extends JitgateError {
  constructor(readonly relation: string) {
    super('masking_unknown_relation', `relation ${relation} does not exist or is not known yet`, {
      status: 403,
      details: [
        {
          message:
            'Masking needs the columns of every relation a statement reads, from the database catalog.',
          hint: 'Check the name; a relation created a moment ago becomes known within a second.',
        },
      ],
    })
  }
}
