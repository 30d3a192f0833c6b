// Runs policy test cases against a compiled set. Pure: the caller reads files and
// prints; this compares decisions with expectations and explains failures.
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { ErrorDetail } from '../shared/index.ts'
import { schemaProblems } from '../shared/schema-problems.ts'
import { parseSourceFile, type SourceDocument, type SourceFile } from '../shared/yaml-source.ts'
import type { Decision, PolicyInput } from './decision-types.ts'
import type { PolicySet } from './policy-set.ts'
import { type PolicyTestCaseDoc, type PolicyTestDoc, PolicyTestDocument } from './policy-test-schema.ts'
import { ProblemList } from './problem-list.ts'

const check = TypeCompiler.Compile(PolicyTestDocument)

export interface TestCaseResult {
  readonly suite: string
  readonly name: string
  readonly file: string
  readonly line: number
  readonly passed: boolean
  /** What differed, one line each; empty when passed. */
  readonly failures: readonly string[]
  readonly decision: Decision
}

export interface TestRun {
  readonly results: readonly TestCaseResult[]
  /** Problems in the test files themselves. */
  readonly errors: readonly ErrorDetail[]
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v)

/** Deep merge: case values override defaults; lists are replaced, not concatenated. */
export function mergeInput(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over === undefined ? base : over
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = mergeInput(base[k], v)
  return out
}

/** Where `expected` is not contained in `actual`, as `path: expected X, got Y` lines. */
export function containmentDiff(expected: unknown, actual: unknown, path: string): string[] {
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`]
    return Object.entries(expected).flatMap(([k, v]) =>
      containmentDiff(v, actual[k], path === '' ? k : `${path}.${k}`),
    )
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
    return expected.flatMap((v, i) => containmentDiff(v, actual[i], `${path}[${i}]`))
  }
  return Object.is(expected, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`]
}

function runCase(
  set: PolicySet,
  doc: SourceDocument,
  suite: PolicyTestDoc,
  c: PolicyTestCaseDoc,
  index: number,
): TestCaseResult {
  const input = mergeInput(suite.defaults ?? {}, c.input) as PolicyInput
  const decision = set.evaluate(input, { explain: true })
  const failures: string[] = []
  if (decision.effect !== c.expect.effect)
    failures.push(`effect: expected ${c.expect.effect}, got ${decision.effect} (${decision.reason.message})`)
  if (c.expect.reason !== undefined && decision.reason.code !== c.expect.reason)
    failures.push(`reason: expected ${c.expect.reason}, got ${decision.reason.code}`)
  if (c.expect.rules !== undefined) {
    const got = decision.rules.map((r) => r.name).sort()
    const want = [...c.expect.rules].sort()
    if (JSON.stringify(got) !== JSON.stringify(want))
      failures.push(`rules: expected [${want.join(', ')}], got [${got.join(', ')}]`)
  }
  if (c.expect.obligations !== undefined)
    failures.push(...containmentDiff(c.expect.obligations, decision.obligations, 'obligations'))
  return {
    suite: suite.name,
    name: c.name,
    file: doc.file,
    line: doc.locate(['cases', index]).line,
    passed: failures.length === 0,
    failures,
    decision,
  }
}

export function runPolicyTests(set: PolicySet, files: readonly SourceFile[]): TestRun {
  const problems = new ProblemList()
  const results: TestCaseResult[] = []
  for (const file of files) {
    const parsed = parseSourceFile(file)
    for (const e of parsed.errors) problems.push(e)
    for (const doc of parsed.documents) {
      const found = schemaProblems(check, doc.value)
      for (const p of found) problems.add(doc, p.path, p.message, p.hint, p.atKey)
      if (found.length > 0) continue
      const suite = doc.value as PolicyTestDoc
      for (const [i, c] of suite.cases.entries()) results.push(runCase(set, doc, suite, c, i))
    }
  }
  return { results, errors: problems.sorted() }
}
