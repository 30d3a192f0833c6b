// Anonymization: the PII detectors and column classification, and the field transforms
// (redact, partial, pseudonym, token, FPE, generalize, noise) with their keys, applied by
// the masker per a policy's masking profile. Every entry point that lets data out uses it.
export * from './classify/index.ts'
export * from './detect/index.ts'
export * from './transforms/index.ts'
