// CSV (RFC 4180) read incrementally, chunk by chunk, so a large export is never held
// in memory: quoted fields may hold commas, quotes ("") and line breaks; CRLF and LF
// both end a record; blank lines are skipped. Each record carries the line it starts
// on, for error messages. And the writing side: one row as one CSV line.
import { AnonymizeError } from '../transforms/anonymize-error.ts'

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number
  readonly fields: readonly string[]
}

type State = 'start' | 'plain' | 'quoted' | 'quote_in_quoted'

export class CsvReader {
  readonly #source: string
  #state: State = 'start'
  #field = ''
  #fields: string[] = []
  #line = 1
  #recordLine = 1
  #afterCr = false

  /** `source` names the input in errors (a file name, or `stdin`). */
  constructor(source: string) {
    this.#source = source
  }

  /** The records completed by this chunk. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = []
    for (const ch of chunk) {
      if (this.#afterCr && ch === '\n') {
        this.#afterCr = false
        continue
      }
      this.#afterCr = false
      this.#step(ch, out)
    }
    return out
  }

  /** The last record, when the input does not end with a line break. */
  end(): CsvRecord[] {
    if (this.#state === 'quoted')
      throw this.#error(this.#recordLine, 'a quoted field is not closed', 'close it with "')
    const out: CsvRecord[] = []
    if (this.#state !== 'start' || this.#fields.length > 0) this.#endRecord(out)
    return out
  }

  #step(ch: string, out: CsvRecord[]): void {
    switch (this.#state) {
      case 'quoted':
        if (ch === '"') this.#state = 'quote_in_quoted'
        else {
          if (ch === '\n') this.#line++
          this.#field += ch
        }
        return
      case 'quote_in_quoted':
        if (ch === '"') {
          this.#field += '"'
          this.#state = 'quoted'
          return
        }
        if (ch !== ',' && ch !== '\n' && ch !== '\r')
          throw this.#error(
            this.#line,
            'text after a closing quote',
            'quote the whole field, and double quotes inside it',
          )
        break
      case 'start':
        if (ch === '"') {
          this.#state = 'quoted'
          return
        }
        break
      case 'plain':
        if (ch === '"')
          throw this.#error(
            this.#line,
            'a quote inside an unquoted field',
            'quote the field and double the quote',
          )
        break
    }
    if (ch === ',') {
      this.#fields.push(this.#field)
      this.#field = ''
      this.#state = 'start'
    } else if (ch === '\n' || ch === '\r') {
      this.#afterCr = ch === '\r'
      this.#endRecord(out)
      this.#line++
      this.#recordLine = this.#line
    } else {
      this.#field += ch
      this.#state = 'plain'
    }
  }

  #endRecord(out: CsvRecord[]): void {
    this.#fields.push(this.#field)
    const blank = this.#fields.length === 1 && this.#fields[0] === '' && this.#state === 'start'
    if (!blank) out.push({ line: this.#recordLine, fields: this.#fields })
    this.#fields = []
    this.#field = ''
    this.#state = 'start'
  }

  #error(line: number, message: string, hint: string): AnonymizeError {
    return new AnonymizeError('anonymize_input_invalid', `${this.#source}:${line}: ${message}`, [
      { file: this.#source, line, message, hint },
    ])
  }
}

/** One CSV line (no line break): null and undefined as empty fields, text quoted when it must be. */
export function formatCsvRow(values: readonly unknown[]): string {
  return values
    .map((v) => {
      const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)
      return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
    })
    .join(',')
}
