// PII detection in free text: what the rest of jitgate may use from detect/.
// Offsets in findings are UTF-16 code units (JavaScript string indices).

export { type ColumnHint, columnTokens, parseColumnHint } from './column-hint.ts'
export type { ContextWindow } from './context-score.ts'
export {
  CONTEXT_BOOST,
  createPiiDetector,
  DEFAULT_MIN_SCORE,
  detectPii,
  HINT_BOOST,
  type PiiDetector,
  type PiiDetectorOptions,
} from './detect-pii.ts'
export { DEFAULT_PHONE_REGIONS } from './detectors/phone-detector.ts'
export {
  ENTITY_TYPES,
  type EntityType,
  isEntityType,
  JITGATE_ONLY_TYPES,
  type PiiFinding,
} from './entity-types.ts'
export { PiiOptionError } from './pii-option-error.ts'
export { resolveOverlaps } from './resolve-overlaps.ts'
