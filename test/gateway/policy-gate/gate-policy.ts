// The policy and upstream schema the gate's end-to-end tests share: engineers (bob, carol) read
// masked with a row limit and a timeout, need a manager's approval for writes (single use) and
// for unmasked reads (a window, with a reason); schema changes and the secrets table are denied.
export const POLICY = `kind: Groups
groups:
  engineers: { users: [bob, carol] }
  managers: { users: [mia] }
---
kind: Classifications
classifications:
  pii.email: { description: Email addresses }
  pii.ssn: { description: Social security numbers }
fields:
  customers.email: pii.email
  customers.ssn: pii.ssn
---
kind: MaskingProfile
name: support
fields:
  pii.email: { transform: partial, keep: email_domain }
  pii.ssn: { transform: redact, with: "[redacted]" }
default: keep
---
kind: Policy
name: gateway-test
rules:
  - name: no-schema-changes
    effect: deny
    match: { verbs: db.query, resources: "pg://app/**" }
    when: context.statement.kind in ["ddl", "dcl"]
    message: Schema changes go through migrations.
  - name: secrets-are-off-limits
    effect: deny
    match: { verbs: db.query, resources: "pg://app/public.secrets" }
    message: Nobody reads the secrets table through the gateway.
  - name: writes-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://app/**" }
    when: member_of("engineers") && context.statement.writes
    message: Writes need a manager's approval.
    approval:
      steps: [ { name: manager, any_of: [group:managers] } ]
      grant: { mode: single_use }
      timeout: 1h
    obligations: { row_limit: 500 }
  - name: unmasked-reads-need-approval
    effect: require_approval
    match: { verbs: db.query, resources: "pg://app/**" }
    when: |
      member_of("engineers") && context.unmask && context.statement.kind == "read" &&
      !context.statement.writes && !has_grant()
    message: Raw values need a manager's approval.
    approval:
      steps: [ { name: manager, any_of: [group:managers] } ]
      grant: { mode: window, max: 1h, default: 30m }
      reason_required: true
      timeout: 1h
  - name: unmasked-reads-on-a-grant
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: |
      member_of("engineers") && context.unmask && context.statement.kind == "read" &&
      !context.statement.writes && has_grant()
    obligations: { row_limit: 100 }
  - name: masked-reads
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: member_of("engineers") && !context.unmask && context.statement.kind == "read" && !context.statement.writes
    obligations:
      mask: { profile: support }
      row_limit: 3
      statement_timeout: 1s
  - name: session-statements
    effect: allow
    match: { verbs: db.query, resources: "pg://app/**" }
    when: member_of("engineers") && context.statement.kind in ["transaction", "utility"] && !context.statement.writes
`

export const SCHEMA = `
CREATE TABLE customers (id int PRIMARY KEY, full_name text, email text, ssn text);
INSERT INTO customers VALUES (1, 'Ann Example', 'ann@example.com', '123-45-6789'), (2, 'Bob Sample', 'bob@example.org', NULL);
CREATE TABLE events (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);
INSERT INTO events SELECT i, 0 FROM generate_series(1, 10) AS i;
CREATE TABLE secrets (id int, value text);
CREATE VIEW slow AS SELECT 1 AS slept FROM pg_sleep(5);
`
