// The incremental CSV reader: quoting, line breaks inside quotes, CRLF, chunks cut
// anywhere, and the line numbers of records and errors; and CSV writing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AnonymizeError, CsvReader, formatCsvRow } from '../../../src/anonymize/transforms/index.ts'

function read(text: string, cuts: readonly number[] = []): { line: number; fields: readonly string[] }[] {
  const reader = new CsvReader('in.csv')
  const out = []
  let from = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...reader.push(text.slice(from, cut)))
    from = cut
  }
  out.push(...reader.push(text.slice(from)), ...reader.end())
  return out
}

describe('CsvReader', () => {
  it('reads quoted fields, doubled quotes, commas and line breaks inside quotes', () => {
    assert.deepEqual(read('a,b,c\r\n1,"x, y","say ""hi"""\n"multi\nline",,last\n\n3,4,5'), [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', '', 'last'] },
      { line: 6, fields: ['3', '4', '5'] },
    ])
  })

  it('gives the same records however the input is cut into chunks', () => {
    const text = 'id,name\r\n1,"Ada, Countess"\r\n2,"line\r\nbreak"\r\n3,"q""uote"\r\n'
    const whole = read(text)
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 6 }), (cuts) =>
        assert.deepEqual(read(text, cuts), whole),
      ),
    )
  })

  const errors: [string, string, number, string][] = [
    ['an unclosed quote', 'a,b\n1,"open\n2,3\n', 2, 'a quoted field is not closed'],
    ['text after a closing quote', 'a,b\n"x"y,2\n', 2, 'text after a closing quote'],
    ['a quote inside an unquoted field', 'a,b\nx"y,2\n', 2, 'a quote inside an unquoted field'],
  ]
  for (const [name, text, line, message] of errors) {
    it(`refuses ${name}, naming the line`, () => {
      assert.throws(
        () => read(text),
        (err: unknown) =>
          err instanceof AnonymizeError &&
          err.code === 'anonymize_input_invalid' &&
          err.message === `in.csv:${line}: ${message}` &&
          err.details[0]?.line === line,
      )
    })
  }
})

describe('formatCsvRow', () => {
  it('quotes only what must be quoted, and writes null as an empty field', () => {
    assert.equal(
      formatCsvRow(['a', 'b,c', 'say "hi"', 'two\nlines', ' pad', null, 42, undefined]),
      'a,"b,c","say ""hi""","two\nlines"," pad",,42,',
    )
  })

  it('round-trips through the reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const width = (rows[0] as string[]).length
          const same = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x'))
          const nonBlank = same.filter((r) => !(r.length === 1 && r[0] === ''))
          const text = nonBlank.map((r) => `${formatCsvRow(r)}\n`).join('')
          assert.deepEqual(
            read(text).map((r) => r.fields),
            nonBlank,
          )
        },
      ),
    )
  })
})
