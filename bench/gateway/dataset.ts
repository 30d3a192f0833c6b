// The bench's data, made once on the upstream database: pgbench's own tables (`pgbench -i`)
// and a `customers` table of synthetic people with email, phone and ssn for the masked
// workload, plus the pgbench script that reads one customer at random.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { type Endpoint, pgbench } from './pgbench.ts'

export const CUSTOMERS = 100_000

// Every value distinct and shaped like the real thing, so that a masker has real work.
const SEED = `
CREATE TABLE customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  phone text NOT NULL,
  ssn text NOT NULL,
  city text NOT NULL
);
INSERT INTO customers
SELECT i,
       'Customer ' || i,
       'customer.' || i || '@example.com',
       '+1 555 ' || lpad((i % 10000000)::text, 7, '0'),
       substr(s, 1, 3) || '-' || substr(s, 4, 2) || '-' || substr(s, 6, 4),
       (ARRAY['Lisbon', 'Ghent', 'Tartu', 'Bologna', 'Lyon'])[1 + i % 5]
FROM (SELECT i, lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0') AS s
      FROM generate_series(1, ${CUSTOMERS}) AS i) AS numbered;
`

const SCRIPT = `\\set id random(1, ${CUSTOMERS})
SELECT id, name, email, phone, ssn, city FROM customers WHERE id = :id;
`

/** Initialises pgbench at `scale` and seeds the customers; returns the masked workload's script. */
export async function prepareDataset(
  upstreamUrl: string,
  endpoint: Endpoint,
  scale: number,
  dir: string,
): Promise<string> {
  await pgbench(['-i', '-s', String(scale), '-q'], endpoint)
  const client = new pg.Client({ connectionString: upstreamUrl })
  await client.connect()
  try {
    await client.query(SEED)
    // Not in SEED: a query of several statements runs as one transaction, and VACUUM refuses that.
    await client.query('VACUUM ANALYZE customers')
  } finally {
    await client.end()
  }
  const script = join(dir, 'masked-select.sql')
  await writeFile(script, SCRIPT)
  return script
}
