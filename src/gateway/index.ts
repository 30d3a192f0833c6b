// The PostgreSQL gateway: statement classification (classify/), the wire protocol (wire/) and
// the policy gate that decides each statement (policy-gate/), and masking of results (masking/).
export * from './classify/index.ts'
export * from './masking/index.ts'
export * from './policy-gate/index.ts'
export * from './wire/index.ts'
