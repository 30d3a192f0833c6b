// Writing to the terminal: colour only on a TTY (and never with NO_COLOR), JSON
// for scripts, and errors as file:line:col lines an editor can jump to.
import { styleText } from 'node:util'
import { type ErrorDetail, formatErrorDetail } from '../shared/index.ts'

type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold'

export interface Terminal {
  out(text: string): void
  err(text: string): void
  style(style: Style, text: string): string
  json(value: unknown): void
}

export function createTerminal(
  stream: NodeJS.WriteStream = process.stdout,
  errStream: NodeJS.WriteStream = process.stderr,
): Terminal {
  const colour = stream.isTTY === true && process.env.NO_COLOR === undefined
  return {
    out: (text) => stream.write(`${text}\n`),
    err: (text) => errStream.write(`${text}\n`),
    style: (style, text) => (colour ? styleText(style, text) : text),
    json: (value) =>
      stream.write(
        `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      ),
  }
}

export function printErrors(term: Terminal, errors: readonly ErrorDetail[], toStderr = true): void {
  const write = toStderr ? term.err : term.out
  for (const e of errors) write(`${term.style('red', 'error')} ${formatErrorDetail(e)}`)
}

/** Exit codes: what each means is part of the CLI's contract. */
export const EXIT = {
  ok: 0,
  /** The check ran and found problems: policy errors, failed tests. */
  failed: 1,
  /** The command was used wrongly: missing file, bad flag. */
  usage: 2,
} as const
