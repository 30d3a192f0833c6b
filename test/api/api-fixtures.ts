// The policy and actions the API tests ask about: production writes need two of the dba
// group (carol, dave, frank) and give a one-hour window grant, reads are allowed, DDL is
// denied.
export const API_POLICY = `kind: Groups
groups:
  dba: { users: [carol, dave, frank] }
---
kind: Policy
name: api
rules:
  - name: no-ddl
    effect: deny
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "ddl"
    message: DDL on production is not allowed
  - name: writes-need-two
    effect: require_approval
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "write"
    approval:
      steps: [ { name: dba, any_of: [group:dba], quorum: 2 } ]
      grant: { mode: window, max: 1h }
  - name: reads
    effect: allow
    match: { verbs: db.query, resources: "pg://prod/**" }
    when: context.kind == "read"
`

export const WRITE = {
  action: 'db.query',
  resource: 'pg://prod/public.users',
  purpose: 'support',
  context: { kind: 'write', statement: 'update users set plan = $1 where id = $2' },
  reason: 'ticket 4711',
}

export const READ = { action: 'db.query', resource: 'pg://prod/public.users', context: { kind: 'read' } }

export const DDL = { action: 'db.query', resource: 'pg://prod/public.users', context: { kind: 'ddl' } }
