// The field transforms of anonymization, their keys and the masker, for
// src/anonymize/index.ts to re-export: every entry point (gateway results, DSAR
// exports, API payloads, the CLI) masks values through these.
export { AesBlock } from '../cipher/aes-block.ts'
export { AesSiv } from '../cipher/aes-siv.ts'
export { FF1_MAX_LENGTH, FF1_MIN_DOMAIN, Ff1 } from '../cipher/ff1.ts'
export { HmacSha256 } from '../cipher/hmac-sha256.ts'
export { AnonymizeKeys } from '../keys/anonymize-keys.ts'
export {
  decodeKey,
  KEY_ENV,
  type KeyringConfig,
  type KeySources,
  loadMasterKeyring,
  PREVIOUS_KEYS_ENV,
} from '../keys/key-loader.ts'
export {
  createMasterKeyring,
  fingerprintId,
  KEY_ID_PATTERN,
  type KeyUse,
  MasterKey,
  type MasterKeyring,
  MIN_KEY_BYTES,
} from '../keys/master-key.ts'
export { type ColumnContext, resolveColumn } from '../masker/column-resolution.ts'
export { CsvReader, type CsvRecord, formatCsvRow } from '../masker/csv-records.ts'
export { type ColumnMasker, Masker, type MaskerOptions, type MaskFailure } from '../masker/masker.ts'
export { AnonymizeError, type AnonymizeErrorCode } from './anonymize-error.ts'
export {
  compileFieldTransform,
  DEFAULT_PURPOSE,
  DEFAULT_REDACTION,
  type TransformContext,
  type ValueTransform,
} from './compile-field-transform.ts'
export { checkDetokenizeAccess, DETOKENIZE_VERB, type DetokenizeAccess } from './detokenize-access.ts'
export { ALNUM, ALNUM_CI, DIGITS, FpeAlphabet } from './fpe-alphabet.ts'
export { FPE_FORMATS, FpeCipher, type FpeFormat, luhnCheckDigit, revealFpe } from './fpe-formats.ts'
export { calendarDate, GENERALIZE_TARGETS, type GeneralizeTo, generalizer } from './generalize.ts'
export { IPV6_DEFAULT_PREFIX, ipPrefix } from './ip-prefix.ts'
export { numericNoise } from './numeric-noise.ts'
export { maskCardLast4, maskEmailDomain, maskKeeping } from './partial-mask.ts'
export { PSEUDONYM_PREFIX, pseudonymizer } from './pseudonymizer.ts'
export { detokenize, TOKEN_PREFIX, tokenizer } from './tokenizer.ts'
export { decimalsOf, numberOf, valueText } from './value-text.ts'
