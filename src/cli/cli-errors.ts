// The two kinds of error the API commands tell apart. A misuse (a bad flag, a 400, 401 or
// 404, no server) is thrown as a JitgateError for main.ts to print with exit 2. A refusal,
// the server saying no with a 403 (denied by policy, self-approval, not eligible, missing
// permission) or a 409 (the request is no longer in a state that allows it), is an answer,
// not a misuse: printed the same way, with exit 1.
import { JitgateError } from '../shared/index.ts'
import { EXIT, printErrors, type Terminal } from './terminal.ts'

export function isRefusal(error: unknown): error is JitgateError {
  return error instanceof JitgateError && (error.status === 403 || error.status === 409)
}

/**
 * Wraps command actions so that a refusal is printed on stderr and sets exit 1; anything
 * else is rethrown for main.ts. `const refusable = refusals(term, setExit)`, then
 * `.action(refusable(async (id, opts) => …))`.
 */
export function refusals(term: Terminal, setExit: (code: number) => void) {
  return <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await action(...args)
      } catch (error) {
        if (!isRefusal(error)) throw error
        term.err(`${term.style('red', 'refused')} ${error.message}`)
        printErrors(term, error.details)
        setExit(EXIT.failed)
      }
    }
}

/** A flag that cannot work, naming it and how to fix it (exit 2 through main.ts). */
export function usageError(message: string, flag: string, hint: string): JitgateError {
  return new JitgateError('cli_usage', message, { status: 400, details: [{ path: flag, message, hint }] })
}
