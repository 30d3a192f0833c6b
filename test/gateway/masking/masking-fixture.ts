// A masked gateway for the masking tests: a real PostgreSQL with customers, orders and views like
// the example policies describe, the example `support` masking profile and classifications, a
// StatementMasking reading the catalog over its own connection, and the wire gateway in front
// with a small gate that masks the user `masked` and lets everyone else through untouched.
import pg from 'pg'
import { type AnonymizeKeys, Masker } from '../../../src/anonymize/index.ts'
import { initClassifier, type StatementGate } from '../../../src/gateway/index.ts'
import { type Mask, StatementMasking } from '../../../src/gateway/masking/index.ts'
import { compilePolicySet, readPolicyFiles } from '../../../src/policy/index.ts'
import { formatErrorDetail } from '../../../src/shared/index.ts'
import { NOW, testKeys } from '../../anonymize/transforms/fixtures.ts'
import { startTestPostgres } from '../../store/postgres-harness.ts'
import { type GatewayFixture, startGatewayFixture } from '../wire/gateway-fixture.ts'

export const SCHEMA = `
CREATE TABLE customers (
  id text PRIMARY KEY, full_name text NOT NULL, email text, phone text, ssn text,
  date_of_birth date, postcode text, country text NOT NULL
);
CREATE TABLE orders (
  id int PRIMARY KEY, customer_id text REFERENCES customers, total numeric(10, 2) NOT NULL,
  shipping_postcode text, status text NOT NULL
);
CREATE TABLE scratch (x text);
CREATE TABLE notes (id int PRIMARY KEY, note text NOT NULL);
INSERT INTO notes VALUES (1, 'call back');
CREATE VIEW customer_contacts AS SELECT id, full_name, email, phone FROM customers;
CREATE VIEW customer_orders AS
  SELECT c.full_name, c.email, o.total FROM customers c JOIN orders o ON o.customer_id = c.id;
CREATE FUNCTION first_ssn() RETURNS text LANGUAGE sql AS $$ SELECT ssn FROM customers LIMIT 1 $$;
INSERT INTO customers VALUES
  ('cus_1', 'Ada Lovelace', 'ada@example.com', '+44 20 7946 0958', '123-45-6789', '1985-03-02', 'SW1A 1AA', 'GB'),
  ('cus_2', 'Grace Hopper', 'grace@navy.example', '+1 202 555 0143', '987-65-4321', '1960-12-09', '20500', 'US'),
  ('cus_3', 'Anonymous Person', NULL, NULL, NULL, NULL, NULL, 'FR');
INSERT INTO orders VALUES
  (1, 'cus_1', 120.50, 'SW1A 1AA', 'shipped'),
  (2, 'cus_1', 35.00, 'SW1A 1AA', 'open'),
  (3, 'cus_2', 99.99, '20500', 'shipped');
`

export interface MaskingFixture {
  readonly gateway: GatewayFixture
  /** jitgate's own connection to the upstream, also the tests' admin connection. */
  readonly admin: pg.Client
  readonly masking: StatementMasking
  readonly keys: AnonymizeKeys
  readonly mask: Mask
  readonly classOf: (field: string) => string | undefined
  /** What the support profile makes of a value of a classification (`pii.email`). */
  expected(classification: string, value: string): unknown
  close(): Promise<void>
}

export const MASKED_USER = 'masked'

export async function startMaskingFixture(): Promise<MaskingFixture> {
  await initClassifier()
  const { mask, classOf } = await supportProfile()
  const postgres = await startTestPostgres()
  const upstreamUrl = await postgres.emptyDatabase()
  const admin = new pg.Client({ connectionString: upstreamUrl })
  await admin.connect()
  await admin.query(SCHEMA)
  const keys = testKeys()
  const masking = new StatementMasking({
    catalog: () => async (sql, params) =>
      (await admin.query(sql, params === undefined ? [] : [...params])).rows,
    transforms: { keys, now: NOW },
  })
  const gateway = await startGatewayFixture({ upstreamUrl, gate: maskingGate(masking, mask, classOf) })
  const masker = new Masker(mask, { keys, now: NOW })
  return {
    gateway,
    admin,
    masking,
    keys,
    mask,
    classOf,
    expected: (classification, value) => masker.column(classification)(value),
    async close() {
      await gateway.close()
      await admin.end()
      await postgres.stop()
    },
  }
}

/** The example policies' `support` profile, as a decision's obligations carry it. */
async function supportProfile(): Promise<{ mask: Mask; classOf: (field: string) => string | undefined }> {
  const compiled = compilePolicySet(await readPolicyFiles('examples/policies'))
  if (!compiled.ok) throw new Error(compiled.errors.map(formatErrorDetail).join('\n'))
  const profile = compiled.set.profiles.get('support')
  if (profile === undefined) throw new Error('examples/policies has no support profile')
  const { fieldClasses } = compiled.set
  return { mask: profile.fields, classOf: (field) => fieldClasses.get(field) }
}

/** Masks `masked`; Bind carries no rows, so only Parse (refusals) and Execute (rows) are planned. */
function maskingGate(masking: StatementMasking, mask: Mask, classOf: (field: string) => string | undefined) {
  const gate: StatementGate = {
    async decide(session, statement) {
      if (session.user !== MASKED_USER) return { action: 'forward' }
      if (statement.kind === 'extended' && statement.phase === 'bind') return { action: 'forward' }
      if (statement.sql === undefined) return { action: 'reject', message: 'statement prepared in SQL' }
      const plan = await masking.plan({ upstream: session.upstream, sql: statement.sql, mask, classOf })
      if (plan.kind === 'refuse')
        return {
          action: 'reject',
          message: plan.message,
          ...(plan.detail === undefined ? {} : { detail: plan.detail }),
          ...(plan.hint === undefined ? {} : { hint: plan.hint }),
        }
      return plan.rows === undefined ? { action: 'forward' } : { action: 'forward', rows: plan.rows }
    },
  }
  return gate
}
