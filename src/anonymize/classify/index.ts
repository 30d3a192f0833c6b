// Column classification: what the rest of jitgate may use from classify/.

export {
  type ClassifyOptions,
  type ColumnClassification,
  type ColumnEvidence,
  type ColumnSample,
  classifyColumns,
} from './classify-columns.ts'
export { classOf, PII_CLASSES, type PiiClass } from './pii-classes.ts'
