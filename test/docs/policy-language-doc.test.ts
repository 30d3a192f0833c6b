// Keeps docs/policy-language.md in step with the engine. Every ```yaml block of the
// page is compiled with compilePolicySet, together with the page's preamble block
// (the groups, classifications and masking profiles the examples use), and must load.
// An HTML comment on the line before a block's fence changes what is checked:
//
//   <!-- doc-test: preamble -->             the shared declarations (exactly one block);
//                                           it must compile on its own
//   <!-- doc-test: error "SUBSTRING" -->    compilation must fail, with an error whose
//                                           `file:line:col: message` contains SUBSTRING; if a
//                                           ```text block follows (blank lines between), its
//                                           lines (except `$ ` command lines) must be exactly
//                                           what `jitgate policy validate policies` prints
//   <!-- doc-test: policy-test "NAME" -->   a PolicyTest file: it is run against the block
//                                           that declares the Policy NAME, and must pass
//   <!-- doc-test: skip -->                 a fragment; not compiled (keep these few)
//
// Blocks are compiled as policies/policy.yaml, the preamble as policies/declarations.yaml,
// so error positions are those of the block itself.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseAllDocuments } from 'yaml'
import {
  type CompileResult,
  compilePolicySet,
  runPolicyTests,
  type SourceFile,
} from '../../src/policy/index.ts'
import { formatErrorDetail } from '../../src/shared/index.ts'

const DOC_PATH = new URL('../../docs/policy-language.md', import.meta.url)
const PREAMBLE_FILE = 'policies/declarations.yaml'
const BLOCK_FILE = 'policies/policy.yaml'
const TEST_FILE = 'policies/policy.test.yaml'
/** The directory the CLI output shown in the page was produced for. */
const CLI_DIR = 'policies'

type Check =
  | { readonly kind: 'compile' }
  | { readonly kind: 'preamble' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'error'; readonly expected: string }
  | { readonly kind: 'policy-test'; readonly policy: string }

interface Block {
  /** 1-based line of the opening fence. */
  readonly line: number
  readonly lang: string
  readonly text: string
  readonly check: Check
  /** The block right after this one, when only blank lines separate them. */
  next?: Block
}

const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->\s*$/

function parseCheck(spec: string, line: number): Check {
  if (spec === 'preamble' || spec === 'skip') return { kind: spec }
  const error = /^error "(.+)"$/.exec(spec)
  if (error?.[1] !== undefined) return { kind: 'error', expected: error[1] }
  const test = /^policy-test "(.+)"$/.exec(spec)
  if (test?.[1] !== undefined) return { kind: 'policy-test', policy: test[1] }
  throw new Error(`line ${line}: unknown doc-test marker '${spec}'`)
}

/** The fenced blocks of a Markdown text, with the check each one's marker asks for. */
function parseBlocks(markdown: string): Block[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: Block[] = []
  let previous: { block: Block; end: number } | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const marker = MARKER.exec(line)
    if (marker !== null && !/^```yaml\s*$/.test(lines[i + 1] ?? '')) {
      throw new Error(`line ${i + 1}: a doc-test marker must be on the line right before a \`\`\`yaml fence`)
    }
    const fence = /^```(\S*)\s*$/.exec(line)
    if (fence === null) continue
    const start = i
    let end = i + 1
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end++
    if (end >= lines.length) throw new Error(`line ${start + 1}: the fence is never closed`)
    const spec = MARKER.exec(lines[start - 1] ?? '')?.[1]
    const block: Block = {
      line: start + 1,
      lang: fence[1] ?? '',
      text: `${lines.slice(start + 1, end).join('\n')}\n`,
      check: spec === undefined ? { kind: 'compile' } : parseCheck(spec, start),
    }
    if (previous !== undefined && lines.slice(previous.end + 1, start).every((l) => l.trim() === ''))
      previous.block.next = block
    blocks.push(block)
    previous = { block, end }
    i = end
  }
  return blocks
}

const blocks = parseBlocks(readFileSync(DOC_PATH, 'utf8'))
const yamlBlocks = blocks.filter((b) => b.lang === 'yaml')
const preambles = yamlBlocks.filter((b) => b.check.kind === 'preamble')
const preamble: SourceFile = { file: PREAMBLE_FILE, text: preambles[0]?.text ?? '' }

function compileWithPreamble(block: Block): CompileResult {
  return compilePolicySet([preamble, { file: BLOCK_FILE, text: block.text }])
}

function describeErrors(result: CompileResult): string {
  return result.ok ? '(it compiled)' : result.errors.map(formatErrorDetail).join('\n')
}

/** The names of the Policy documents a block declares. */
function policyNames(block: Block): string[] {
  return [...parseAllDocuments(block.text)]
    .map((doc) => doc.toJS() as unknown)
    .flatMap((value) => {
      if (value === null || typeof value !== 'object') return []
      const { kind, name } = value as { kind?: unknown; name?: unknown }
      return kind === 'Policy' && typeof name === 'string' ? [name] : []
    })
}

describe('docs/policy-language.md', () => {
  it('has YAML examples, and exactly one preamble that compiles on its own', () => {
    assert.ok(yamlBlocks.length >= 10, `expected the page's YAML examples, found ${yamlBlocks.length} blocks`)
    assert.equal(preambles.length, 1, 'mark exactly one block with <!-- doc-test: preamble -->')
    const result = compilePolicySet([preamble])
    assert.ok(result.ok, `the preamble does not compile:\n${describeErrors(result)}`)
  })

  for (const block of yamlBlocks) {
    const check = block.check
    const title = `yaml block at line ${block.line}`
    switch (check.kind) {
      case 'preamble':
        break
      case 'skip':
        // A fragment, marked so on purpose: nothing to compile.
        break
      case 'compile':
        it(`${title} compiles`, () => {
          const result = compileWithPreamble(block)
          assert.ok(result.ok, `it does not compile:\n${describeErrors(result)}`)
        })
        break
      case 'error':
        it(`${title} is refused with "${check.expected}"`, () => {
          const result = compileWithPreamble(block)
          assert.ok(!result.ok, 'it compiled, but the page shows it failing')
          const details = result.errors.map(formatErrorDetail)
          assert.ok(
            details.some((d) => d.includes(check.expected)),
            `no error contains "${check.expected}"; the errors are:\n${details.join('\n')}`,
          )
          const shown = block.next
          if (shown?.lang !== 'text') return
          const printed = [
            ...details.flatMap((d) => `error ${d}`.split('\n')),
            `${details.length} error${details.length === 1 ? '' : 's'} in ${CLI_DIR}; nothing was loaded`,
          ]
          const expected = shown.text
            .trimEnd()
            .split('\n')
            .filter((l) => !l.startsWith('$ '))
          assert.deepEqual(
            expected,
            printed,
            `the output shown at line ${shown.line} is not what the CLI prints`,
          )
        })
        break
      case 'policy-test':
        it(`${title} holds passing tests of policy '${check.policy}'`, () => {
          const targets = yamlBlocks.filter(
            (b) => b.check.kind === 'compile' && policyNames(b).includes(check.policy),
          )
          assert.equal(
            targets.length,
            1,
            `expected one block declaring Policy '${check.policy}', found ${targets.length}`,
          )
          const target = targets[0] as Block
          const compiled = compileWithPreamble(target)
          assert.ok(
            compiled.ok,
            `the policy at line ${target.line} does not compile:\n${describeErrors(compiled)}`,
          )
          const run = runPolicyTests(compiled.set, [{ file: TEST_FILE, text: block.text }])
          assert.deepEqual(run.errors.map(formatErrorDetail), [], 'the test block has errors')
          assert.ok(run.results.length > 0, 'the test block has no cases')
          const failed = run.results
            .filter((r) => !r.passed)
            .map((r) => `${r.suite} › ${r.name}: ${r.failures.join('; ')}`)
          assert.deepEqual(failed, [], 'some cases fail')
        })
        break
    }
  }
})
