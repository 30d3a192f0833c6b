// Dynamic masking of gateway results for masked actors (README.md says what is refused and why):
// the policy gate asks `StatementMasking.plan` about each client message whose decision carries
// a mask, and gets a refusal or a forward with row transforms.
export type { CatalogQuery } from './catalog-snapshot.ts'
export type { Mask } from './mask-rules.ts'
export {
  type MaskPlan,
  type PlanInput,
  StatementMasking,
  type StatementMaskingDeps,
} from './statement-masking.ts'
