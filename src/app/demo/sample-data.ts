// The demo's sample database: the tables examples/policies/classifications.yaml classifies
// (public.customers, public.orders, billing.payment_methods, public.sessions,
// support.tickets) and a few dozen rows of plainly synthetic data: example.com addresses,
// 555-01xx phone numbers, social security numbers starting 000 (never issued), card test
// numbers, documentation IP ranges (RFC 5737). Deterministic: the same rows every time.

/** Creates the schemas and tables; every statement may run again. */
export const SAMPLE_SCHEMA = `
create schema if not exists billing;
create schema if not exists support;
create table if not exists public.customers (
  id text primary key,
  full_name text not null,
  email text not null,
  phone text,
  street text,
  city text,
  postcode text,
  date_of_birth date,
  ssn text,
  created_at timestamptz not null
);
create table if not exists public.orders (
  id text primary key,
  customer_id text not null references public.customers (id),
  status text not null,
  total numeric(10, 2) not null,
  shipping_address text,
  shipping_postcode text,
  created_at timestamptz not null
);
create table if not exists billing.payment_methods (
  id text primary key,
  customer_id text not null references public.customers (id),
  card_number text not null,
  expires text not null,
  created_at timestamptz not null
);
create table if not exists public.sessions (
  id text primary key,
  customer_id text not null references public.customers (id),
  ip_address inet not null,
  user_agent text,
  started_at timestamptz not null
);
create table if not exists support.tickets (
  id text primary key,
  customer_id text not null references public.customers (id),
  subject text not null,
  body text not null,
  status text not null,
  created_at timestamptz not null
);
`

/** A table of the sample and its rows, in insertion order (parents first). */
export interface SampleTable {
  readonly table: string
  readonly columns: readonly string[]
  readonly rows: readonly (readonly (string | number | null)[])[]
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eva', 'Finn', 'Gus', 'Hana', 'Ivo', 'Jo', 'Kai', 'Lou']
const LAST = ['Example', 'Sample']
const CITIES = ['Sampleton', 'Testburg', 'Demoville']
const CARDS = ['4111111111111111', '4242424242424242', '5555555555554444', '378282246310005']
const STATUSES = ['paid', 'shipped', 'delivered', 'refunded']
const TOPICS: readonly [string, string][] = [
  ['Cannot log in', 'Synthetic ticket: the password reset mail never arrives.'],
  ['Wrong invoice address', 'Synthetic ticket: please change the billing address on my last invoice.'],
  ['Parcel missing', 'Synthetic ticket: my order says delivered but nothing came.'],
  ['Delete my account', 'Synthetic ticket: please erase my account and my data.'],
]

const CUSTOMERS = 24
const pad = (n: number, width = 4) => String(n).padStart(width, '0')
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 9, 30)).toISOString()
const customerId = (i: number) => `cus_${pad(i + 1)}`
const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T

function customers(): SampleTable {
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => {
    const first = at(FIRST, i)
    const last = at(LAST, Math.floor(i / FIRST.length))
    return [
      customerId(i),
      `${first} ${last}`,
      `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      `+1 555 01${pad(i, 2)}`,
      `${i + 1} Example Street`,
      at(CITIES, i),
      `0${pad(1000 + i * 37, 4)}`,
      `19${60 + ((i * 7) % 40)}-${pad(1 + (i % 12), 2)}-${pad(1 + ((i * 5) % 28), 2)}`,
      `000-00-${pad(i + 1)}`,
      day(i),
    ]
  })
  return {
    table: 'public.customers',
    columns: [
      'id',
      'full_name',
      'email',
      'phone',
      'street',
      'city',
      'postcode',
      'date_of_birth',
      'ssn',
      'created_at',
    ],
    rows,
  }
}

function orders(): SampleTable {
  const rows = Array.from({ length: CUSTOMERS * 2 }, (_, i) => {
    const customer = i % CUSTOMERS
    return [
      `ord_${pad(i + 1)}`,
      customerId(customer),
      at(STATUSES, i),
      Number((19.9 + ((i * 13.37) % 180)).toFixed(2)),
      `${customer + 1} Example Street, ${at(CITIES, customer)}`,
      `0${pad(1000 + customer * 37, 4)}`,
      day(CUSTOMERS + i),
    ]
  })
  return {
    table: 'public.orders',
    columns: ['id', 'customer_id', 'status', 'total', 'shipping_address', 'shipping_postcode', 'created_at'],
    rows,
  }
}

function paymentMethods(): SampleTable {
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => [
    `pm_${pad(i + 1)}`,
    customerId(i),
    at(CARDS, i),
    `${pad(1 + (i % 12), 2)}/${28 + (i % 4)}`,
    day(i + 1),
  ])
  return {
    table: 'billing.payment_methods',
    columns: ['id', 'customer_id', 'card_number', 'expires', 'created_at'],
    rows,
  }
}

function sessions(): SampleTable {
  const nets = ['192.0.2', '198.51.100', '203.0.113']
  const rows = Array.from({ length: 36 }, (_, i) => [
    `ses_${pad(i + 1)}`,
    customerId(i % CUSTOMERS),
    `${at(nets, i)}.${10 + i}`,
    i % 2 === 0 ? 'Mozilla/5.0 (synthetic)' : 'acme-app/2.1 (synthetic)',
    day(40 + i),
  ])
  return {
    table: 'public.sessions',
    columns: ['id', 'customer_id', 'ip_address', 'user_agent', 'started_at'],
    rows,
  }
}

function tickets(): SampleTable {
  const rows = Array.from({ length: 12 }, (_, i) => {
    const [subject, body] = at(TOPICS, i)
    return [
      `tkt_${pad(i + 1)}`,
      customerId((i * 5) % CUSTOMERS),
      subject,
      body,
      i % 3 === 0 ? 'open' : 'closed',
      day(60 + i),
    ]
  })
  return {
    table: 'support.tickets',
    columns: ['id', 'customer_id', 'subject', 'body', 'status', 'created_at'],
    rows,
  }
}

/** Every table's rows, parents before the tables that refer to them. */
export function sampleTables(): readonly SampleTable[] {
  return [customers(), orders(), paymentMethods(), sessions(), tickets()]
}
