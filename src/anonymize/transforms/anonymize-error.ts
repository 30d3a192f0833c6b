// The one error class of the anonymization library, with a stable code per refusal.
// Messages name the key source, the field or the rule at fault and never carry the
// value being anonymized, a key, or a token's plaintext.
import { type ErrorDetail, JitgateError } from '../../shared/index.ts'

/** HTTP status per code: 500 a server misconfiguration, 4xx a refused request or value. */
const STATUS = {
  /** No master key was configured where one was looked for. */
  anonymize_key_missing: 500,
  /** A key is not hex or base64, or a key file is not in a known shape. */
  anonymize_key_malformed: 500,
  /** A key decodes to fewer than 32 bytes. */
  anonymize_key_short: 500,
  /** A key with every byte the same: a placeholder, not a secret. */
  anonymize_key_weak: 500,
  /** A token or an FPE value names a key id the keyring does not hold. */
  anonymize_key_unknown: 400,
  /** Not a token of this keyring and purpose, or altered. */
  token_invalid: 400,
  /** Detokenizing without a grant that allows it now. */
  detokenize_denied: 403,
  /** The value gives FF1 fewer than 1,000,000 possible inputs (SP 800-38G Rev. 1). */
  fpe_domain_too_small: 422,
  /** The value does not fit the FPE format (no digits, too long, unknown country code). */
  fpe_value_invalid: 422,
  /** A value of a type or shape the transform cannot handle. */
  transform_input_invalid: 422,
  /** A transform's parameters are not ones the library knows. */
  mask_transform_invalid: 400,
  /** A line of CLI input that is not a row. */
  anonymize_input_invalid: 400,
} as const

export type AnonymizeErrorCode = keyof typeof STATUS

export class AnonymizeError extends JitgateError {
  declare readonly code: AnonymizeErrorCode

  constructor(code: AnonymizeErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(code, message, { status: STATUS[code], details })
  }
}

/** The error a transform throws for a value it cannot handle; the masker turns it into a redaction. */
export function wrongInput(transform: string, expected: string): AnonymizeError {
  return new AnonymizeError('transform_input_invalid', `${transform} expects ${expected}`, [
    { message: `not ${expected}`, hint: 'the value was redacted instead' },
  ])
}
