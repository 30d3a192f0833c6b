// The policy engine: YAML policies with CEL conditions, compiled once into an
// indexed set whose `evaluate` decides allow / deny / require_approval /
// require_consent with obligations. Other features import only from here.

export type { SourceFile } from '../shared/yaml-source.ts'
export { POLICY_FUNCTIONS } from './cel-environment.ts'
export type { MaskingProfile, PolicyGroup } from './compiled-policy.ts'
export { DEFAULT_DECISION_LIMIT, type DecisionRouteDeps, decisionRoutes } from './decision-routes.ts'
export type * from './decision-types.ts'
export { EFFECTS } from './decision-types.ts'
export {
  type ActionBody,
  ActionBodySchema,
  DecisionSchema,
  type PolicyInputBody,
  PolicyInputSchema,
  PolicyStatusSchema,
} from './input-schema.ts'
export { mergeMasks } from './obligation-merge.ts'
export { type CompileResult, compilePolicySet, policyVersion } from './policy-compiler.ts'
export { listYamlFiles, readPolicyFiles, readPolicyTestFiles } from './policy-files.ts'
export {
  PolicyLoadError,
  PolicyRegistry,
  type PolicyStatus,
  type RegistryLogger,
  type ReloadOutcome,
  type ReloadResult,
} from './policy-registry.ts'
export { DOCUMENT_KINDS } from './policy-schema.ts'
export { type EvaluateOptions, PolicySet } from './policy-set.ts'
export {
  containmentDiff,
  mergeInput,
  runPolicyTests,
  type TestCaseResult,
  type TestRun,
} from './policy-test-runner.ts'
export { PolicyTestDocument } from './policy-test-schema.ts'
