// The rows and the profile of the mask benchmark: ten columns, every value distinct
// across every batch (a counter is mixed into each), and a mixed profile of three
// pseudonyms, two partial masks, two redactions, a token, a generalization and a keep.
import type { FieldTransform } from '../../src/policy/index.ts'

export const COLUMNS = [
  'customer_id',
  'email',
  'account_no',
  'full_name',
  'phone',
  'ssn',
  'notes',
  'card',
  'birth_date',
  'status',
] as const

export const PROFILE: Readonly<Record<string, FieldTransform>> = {
  'customers.customer_id': { transform: 'pseudonym', params: { purpose: 'analytics' } },
  'customers.email': { transform: 'pseudonym', params: { purpose: 'analytics' } },
  'customers.account_no': { transform: 'pseudonym', params: { purpose: 'billing' } },
  'customers.full_name': { transform: 'partial', params: { keep_first: 1 } },
  'customers.phone': { transform: 'partial', params: { keep_last: 4 } },
  'customers.ssn': { transform: 'redact', params: {} },
  'customers.notes': { transform: 'redact', params: { with: '[removed]' } },
  'customers.card': { transform: 'token', params: { purpose: 'support' } },
  'customers.birth_date': { transform: 'generalize', params: { to: 'year' } },
  'customers.status': { transform: 'keep', params: {} },
}

export type Row = Record<(typeof COLUMNS)[number], string | number>

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Radia', 'Ken']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Backus', 'Perlman']

/** Row `i` of the whole run: distinct from every other row in every column but `status`. */
export function makeRow(i: number): Row {
  const pick = <T>(list: readonly T[]): T => list[i % list.length] as T
  return {
    customer_id: 1_000_000 + i,
    email: `${pick(FIRST).toLowerCase()}.${i}@example.com`,
    account_no: `AC-${String(i).padStart(9, '0')}`,
    full_name: `${pick(FIRST)} ${pick(LAST)} ${i}`,
    phone: `+44 20 ${7000 + (Math.floor(i / 10_000) % 1000)} ${String(i % 10_000).padStart(4, '0')}`,
    ssn: `${String(100 + (Math.floor(i / 10_000) % 900)).padStart(3, '0')}-${String(i % 10_000).padStart(4, '0')}`,
    notes: `called on ${i} about order ${i * 7}`,
    card: `4${String(i).padStart(15, '0')}`,
    birth_date: `${1940 + (Math.floor(i / 336) % 60)}-${pad2(1 + (Math.floor(i / 28) % 12))}-${pad2(1 + (i % 28))}`,
    status: `${pick(['active', 'closed', 'suspended'])}#${i}`,
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

export function makeBatches(count: number, size: number): Row[][] {
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: size }, (_, i) => makeRow(b * size + i)),
  )
}
