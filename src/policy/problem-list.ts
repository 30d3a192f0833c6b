// Collects load problems with their file positions, so a policy set reports every
// mistake at once rather than the first one.
import type { ErrorDetail } from '../shared/index.ts'
import type { Path, Position, SourceDocument } from '../shared/yaml-source.ts'
import { positionInScalar } from './cel-compiler.ts'

export class ProblemList {
  readonly details: ErrorDetail[] = []

  /** A problem with the value at `path` (or with its key, for unknown fields). */
  add(doc: SourceDocument, path: Path, message: string, hint?: string, atKey = false): void {
    this.#at(doc, path, atKey ? doc.locateKey(path) : doc.locate(path), message, hint)
  }

  /** A problem at `offset` inside the string at `path` (a CEL expression). */
  addInString(doc: SourceDocument, path: Path, offset: number, message: string, hint?: string): void {
    this.#at(doc, path, positionInScalar(doc, path, offset), message, hint)
  }

  #at(doc: SourceDocument, path: Path, { line, column }: Position, message: string, hint?: string): void {
    this.push({
      file: doc.file,
      line,
      column,
      path: pointer(path),
      message,
      ...(hint === undefined ? {} : { hint }),
    })
  }

  push(detail: ErrorDetail): void {
    this.details.push(detail)
  }

  get empty(): boolean {
    return this.details.length === 0
  }

  /** Sorted by file, line and column, as a person reads them. */
  sorted(): ErrorDetail[] {
    return [...this.details].sort(
      (a, b) =>
        (a.file ?? '').localeCompare(b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0),
    )
  }
}

function pointer(path: Path): string {
  return path.length === 0 ? '' : `/${path.join('/')}`
}
