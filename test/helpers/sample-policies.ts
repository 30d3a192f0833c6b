// A small policy set shared by the HTTP, CLI and reload tests.
export const SAMPLE_POLICY = `kind: Groups
groups:
  dba: { users: [alice] }
---
kind: Policy
name: sample
rules:
  - name: no-ddl
    effect: deny
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "ddl"
    message: DDL on production is not allowed
  - name: writes-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "write"
    approval:
      steps: [ { any_of: [group:dba], quorum: 2 } ]
  - name: dba-reads
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "read" && member_of("dba")
    obligations: { row_limit: 100 }
`

/** As a client asks about it: the actor is whoever authenticated (alice, in group eng). */
export const READ_ACTION = {
  action: 'db.query',
  resource: 'pg://prod/public.users',
  context: { kind: 'read', time: '2026-03-02T10:00:00Z' },
}

/** READ_ACTION as the engine sees it, with its actor. */
export const READ_INPUT = { actor: { id: 'alice', groups: ['eng'] }, ...READ_ACTION }
