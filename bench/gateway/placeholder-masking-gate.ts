// A STAND-IN for the masking gate, so that the masked workload can run before masking lands:
// it forwards every statement and, in any result set with columns named email, phone or ssn,
// replaces their non-null values with a fixed text. It decides nothing and hashes nothing, so
// it costs less than real masking will: its figures are a floor, and the bench labels them
// PLACEHOLDER. The text is valid in text format and in the binary format of text types; a
// binary value of another type becomes NULL rather than bytes its reader would misread.
//
// TODO(issue 7, masking): replace with the real masking gate (policy decision + masker as a
// RowTransformFactory) in bench/gateway.bench.ts, where the masked gate is passed in, and
// delete this file.
import type { RowDescription, RowTransform, StatementGate } from '../../src/gateway/index.ts'

export const PLACEHOLDER_MASKED_COLUMNS: readonly string[] = ['email', 'phone', 'ssn']

const REDACTED = '[redacted]'
// text, varchar, bpchar, name: their binary format is the text itself.
const TEXT_TYPES = new Set([25, 1043, 1042, 19])

/** Forwards everything; redacts the columns named in `columns` wherever a result has them. */
export function placeholderMaskingGate(
  columns: readonly string[] = PLACEHOLDER_MASKED_COLUMNS,
): StatementGate {
  const names = new Set(columns)
  const rows = (description: RowDescription): RowTransform | undefined => {
    const masked = description.flatMap((column, index) =>
      names.has(column.name)
        ? [{ index, value: column.format === 1 && !TEXT_TYPES.has(column.typeOid) ? null : REDACTED }]
        : [],
    )
    if (masked.length === 0) return undefined
    return {
      transform(values) {
        const out: (Buffer | string | null)[] = [...values]
        for (const { index, value } of masked) if (out[index] !== null) out[index] = value
        return out
      },
    }
  }
  const decision = Object.freeze({ action: 'forward' as const, rows })
  return Object.freeze({ decide: () => decision })
}
