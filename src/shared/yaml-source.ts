// Reads YAML text into documents that remember where each value came from, so every later
// error can say file:line:col: policy files and the configuration file.
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Scalar,
} from 'yaml'
import type { ErrorDetail } from './jitgate-error.ts'

export type Path = readonly (string | number)[]

export interface Position {
  readonly line: number
  readonly column: number
}

/** One YAML document of a policy file, with its source positions. */
export interface SourceDocument {
  readonly file: string
  /** 1-based index of the document in its file. */
  readonly index: number
  readonly value: unknown
  /** The whole file's text. */
  readonly text: string
  /** Where the value at `path` starts (or the nearest existing parent). */
  locate(path: Path): Position
  /** Where the key of the entry at `path` starts, for unknown-field errors. */
  locateKey(path: Path): Position
  /** The scalar node at `path`, for mapping offsets inside a string (CEL errors). */
  scalar(path: Path): { readonly node: Scalar; readonly offset: number } | undefined
  /** Line/column of an absolute offset in the file. */
  positionOf(offset: number): Position
}

export interface SourceFile {
  readonly file: string
  readonly text: string
}

const MAX_ALIASES = 100

function nodeAt(doc: Document, path: Path): { node: unknown; depth: number } {
  let node: unknown = doc.contents
  let depth = 0
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key)
      if (pair === undefined) break
      depth++
      if (depth === path.length) return { node: pair, depth }
      node = pair.value
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key]
      if (item === undefined) break
      depth++
      node = item
    } else {
      break
    }
  }
  return { node, depth }
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range
    if (Array.isArray(range)) return range[0]
  }
  return undefined
}

/** Parses one file. YAML syntax errors come back as details; documents with errors are dropped. */
export function parseSourceFile(source: SourceFile): { documents: SourceDocument[]; errors: ErrorDetail[] } {
  const lineCounter = new LineCounter()
  // logLevel 'error': the parser must not print warnings about policy text to the process;
  // every problem it finds comes back as an error detail.
  const docs = parseAllDocuments(source.text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    logLevel: 'error',
  })
  const errors: ErrorDetail[] = []
  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (!Array.isArray(docs)) {
    // An empty stream, or only comments: nothing to load.
    return { documents: [], errors }
  }
  const documents: SourceDocument[] = []
  docs.forEach((doc, i) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = positionOf(err.pos[0])
        errors.push({
          file: source.file,
          line: pos.line,
          column: pos.column,
          message: `YAML syntax: ${err.message.split('\n')[0] ?? err.message}`,
          hint: 'check indentation, quoting and that each key appears once',
        })
      }
      return
    }
    // An empty document (a trailing `---`, or only comments) holds nothing to load;
    // the parser gives it an empty null scalar rather than no contents.
    const contents = doc.contents
    if (
      contents === null ||
      (isScalar(contents) && contents.value === null && contents.range?.[0] === contents.range?.[1])
    )
      return
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES })
    } catch (err) {
      const pos = positionOf(rangeStart(doc.contents) ?? 0)
      errors.push({
        file: source.file,
        line: pos.line,
        column: pos.column,
        message: `YAML: ${(err as Error).message}`,
      })
      return
    }
    const startOf = (path: Path, key: boolean): Position => {
      const { node } = nodeAt(doc, path)
      if (isPair(node)) return positionOf(rangeStart(key ? node.key : (node.value ?? node.key)) ?? 0)
      return positionOf(rangeStart(node) ?? rangeStart(doc.contents) ?? 0)
    }
    documents.push({
      file: source.file,
      index: i + 1,
      value,
      text: source.text,
      locate: (path) => startOf(path, false),
      locateKey: (path) => startOf(path, true),
      scalar: (path) => {
        const { node, depth } = nodeAt(doc, path)
        if (depth !== path.length) return undefined
        const target = isPair(node) ? node.value : node
        if (!isScalar(target)) return undefined
        return { node: target, offset: rangeStart(target) ?? 0 }
      },
      positionOf,
    })
  })
  return { documents, errors }
}
