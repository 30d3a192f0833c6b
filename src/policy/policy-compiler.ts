// Compiles policy files into a PolicySet, or into the full list of problems.
// A set with any problem is refused as a whole: half a policy is never loaded.
import { createHash } from 'node:crypto'
import type { TSchema } from '@sinclair/typebox'
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler'
import { type ErrorDetail, suggest } from '../shared/index.ts'
import { schemaProblems } from '../shared/schema-problems.ts'
import { parseSourceFile, type SourceDocument, type SourceFile } from '../shared/yaml-source.ts'
import { createCelEnvironment, EvaluationScope } from './cel-environment.ts'
import type { CompiledRule, MaskingProfile, PolicyGroup } from './compiled-policy.ts'
import type { FieldTransform } from './decision-types.ts'
import { checkMaskKey } from './mask-compiler.ts'
import {
  type ClassificationsDoc,
  DOCUMENT_KINDS,
  type DocumentKind,
  type GroupsDoc,
  type MaskingProfileDoc,
  type PolicyDoc,
} from './policy-schema.ts'
import { PolicySet } from './policy-set.ts'
import { ProblemList } from './problem-list.ts'
import { compileRule, type RuleContext } from './rule-compiler.ts'
import { RuleIndex } from './rule-index.ts'
import { compileTransform } from './transform-compiler.ts'

export type CompileResult = { ok: true; set: PolicySet } | { ok: false; errors: ErrorDetail[] }

const CHECKS = Object.fromEntries(
  Object.entries(DOCUMENT_KINDS).map(([k, s]) => [k, TypeCompiler.Compile(s as TSchema)]),
) as Record<DocumentKind, TypeCheck<TSchema>>

interface Typed<T> {
  readonly doc: SourceDocument
  readonly value: T
}

/** The version of a set: a hash of every file's name and content, in name order. */
export function policyVersion(files: readonly SourceFile[]): string {
  // Names count relative to the set's common folder: the same files give the same
  // version wherever they are loaded from (another node, another working directory).
  const root = commonFolder(files.map((f) => f.file))
  const named = files.map((f) => ({ name: f.file.slice(root.length), text: f.text }))
  const hash = createHash('sha256')
  for (const f of named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${f.name}\0${f.text}\0`)
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`
}

/** The longest folder prefix (ending in `/`) shared by every path. */
function commonFolder(paths: readonly string[]): string {
  const first = paths[0]
  if (first === undefined) return ''
  let prefix = first.slice(0, first.lastIndexOf('/') + 1)
  for (const p of paths)
    while (!p.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1)
  return prefix
}

function sortByKind(documents: readonly SourceDocument[], problems: ProblemList) {
  const byKind = {
    Policy: [] as Typed<PolicyDoc>[],
    Groups: [] as Typed<GroupsDoc>[],
    Classifications: [] as Typed<ClassificationsDoc>[],
    MaskingProfile: [] as Typed<MaskingProfileDoc>[],
  }
  for (const doc of documents) {
    const value = doc.value as { kind?: unknown } | null
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.add(
        doc,
        [],
        `document ${doc.index} is not a mapping`,
        `start it with kind: ${Object.keys(DOCUMENT_KINDS).join(' | ')}`,
      )
      continue
    }
    const kind = value.kind
    if (typeof kind !== 'string' || !(kind in DOCUMENT_KINDS)) {
      const guess = typeof kind === 'string' ? suggest(kind, Object.keys(DOCUMENT_KINDS)) : undefined
      problems.add(
        doc,
        kind === undefined ? [] : ['kind'],
        kind === undefined ? `document ${doc.index} has no kind` : `unknown kind ${JSON.stringify(kind)}`,
        guess === undefined
          ? `kind is one of ${Object.keys(DOCUMENT_KINDS).join(', ')}`
          : `did you mean '${guess}'?`,
      )
      continue
    }
    const found = schemaProblems(CHECKS[kind as DocumentKind], value)
    for (const p of found) problems.add(doc, p.path, p.message, p.hint, p.atKey)
    if (found.length === 0) (byKind[kind as DocumentKind] as Typed<unknown>[]).push({ doc, value })
  }
  return byKind
}

/** Reports a name defined twice, pointing at both places. */
function unique(
  problems: ProblemList,
  what: string,
  seen: Map<string, { doc: SourceDocument; path: (string | number)[] }>,
  name: string,
  doc: SourceDocument,
  path: (string | number)[],
): boolean {
  const first = seen.get(name)
  if (first === undefined) {
    seen.set(name, { doc, path })
    return true
  }
  const at = first.doc.locate(first.path)
  problems.add(
    doc,
    path,
    `duplicate ${what} '${name}'`,
    `it is already defined at ${first.doc.file}:${at.line}:${at.column}; names must be unique across the policy set`,
  )
  return false
}

export function compilePolicySet(files: readonly SourceFile[]): CompileResult {
  const problems = new ProblemList()
  const documents: SourceDocument[] = []
  for (const file of files) {
    const parsed = parseSourceFile(file)
    documents.push(...parsed.documents)
    for (const e of parsed.errors) problems.push(e)
  }
  const docs = sortByKind(documents, problems)

  const groups = new Map<string, PolicyGroup>()
  const groupSeen = new Map<string, { doc: SourceDocument; path: (string | number)[] }>()
  for (const { doc, value } of docs.Groups) {
    for (const [name, g] of Object.entries(value.groups)) {
      if (unique(problems, 'group', groupSeen, name, doc, ['groups', name]))
        groups.set(name, { name, users: new Set(g.users ?? []), idpGroups: new Set(g.idp_groups ?? []) })
    }
  }

  const classifications = new Set<string>()
  const fieldClasses = new Map<string, string>()
  const classSeen = new Map<string, { doc: SourceDocument; path: (string | number)[] }>()
  for (const { doc, value } of docs.Classifications) {
    for (const name of Object.keys(value.classifications))
      if (unique(problems, 'classification', classSeen, name, doc, ['classifications', name]))
        classifications.add(name)
  }
  for (const { doc, value } of docs.Classifications) {
    for (const [field, cls] of Object.entries(value.fields ?? {})) {
      if (!classifications.has(cls)) {
        const guess = suggest(cls, classifications)
        problems.add(
          doc,
          ['fields', field],
          `unknown classification '${cls}'`,
          guess === undefined ? 'declare it under classifications' : `did you mean '${guess}'?`,
        )
      } else if (fieldClasses.has(field) && fieldClasses.get(field) !== cls) {
        problems.add(
          doc,
          ['fields', field],
          `field '${field}' is classified twice ('${fieldClasses.get(field)}' and '${cls}')`,
          'give each field one classification',
        )
      } else {
        fieldClasses.set(field, cls)
      }
    }
  }

  const scope = new EvaluationScope()
  const ctx: RuleContext = {
    cel: createCelEnvironment(scope),
    groups: new Set(groups.keys()),
    profiles: new Map(),
    classifications,
    problems,
  }
  const profiles = new Map<string, MaskingProfile>()
  const profileSeen = new Map<string, { doc: SourceDocument; path: (string | number)[] }>()
  for (const { doc, value } of docs.MaskingProfile) {
    if (!unique(problems, 'masking profile', profileSeen, value.name, doc, ['name'])) continue
    const fields: Record<string, FieldTransform> = {}
    const entries: [string, MaskingProfileDoc['fields'][string], (string | number)[]][] = Object.entries(
      value.fields,
    ).map(([k, v]) => [k, v, ['fields', k]])
    if (value.default !== undefined) entries.push(['*', value.default, ['default']])
    for (const [key, spec, path] of entries) {
      if (key !== '*') checkMaskKey(key, doc, path, ctx)
      const result = compileTransform(spec)
      if (result.ok) fields[key] = result.transform
      else problems.add(doc, path, result.message, result.hint)
    }
    profiles.set(value.name, { name: value.name, fields })
  }

  const rules: CompiledRule[] = []
  const ruleCtx: RuleContext = { ...ctx, profiles }
  const ruleSeen = new Map<string, { doc: SourceDocument; path: (string | number)[] }>()
  const policySeen = new Map<string, { doc: SourceDocument; path: (string | number)[] }>()
  for (const { doc, value } of docs.Policy) {
    unique(problems, 'policy', policySeen, value.name, doc, ['name'])
    value.rules.forEach((rule, i) => {
      unique(problems, 'rule name', ruleSeen, rule.name, doc, ['rules', i, 'name'])
      rules.push(compileRule(rule, doc, ['rules', i], rules.length, ruleCtx))
    })
  }
  if (!problems.empty) return { ok: false, errors: problems.sorted() }
  return {
    ok: true,
    set: new PolicySet({
      version: policyVersion(files),
      rules,
      groups,
      profiles,
      fieldClasses,
      classifications,
      files: files.map((f) => f.file),
      index: new RuleIndex(rules),
      scope,
    }),
  }
}
