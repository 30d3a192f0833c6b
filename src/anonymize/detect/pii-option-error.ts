// The error for detector options jitgate cannot use: an unknown entity type, a score
// outside 0–1, a window that is not a small whole number, an unknown phone region.
import { JitgateError, suggest } from '../../shared/index.ts'

export class PiiOptionError extends JitgateError {
  constructor(path: string, message: string, hint: string) {
    super('pii_option_invalid', message, { status: 400, details: [{ path, message, hint }] })
  }

  static unknownType(name: string, index: number, known: readonly string[]): PiiOptionError {
    const guess = suggest(name, known)
    return new PiiOptionError(
      `types/${index}`,
      `unknown entity type '${name}'`,
      guess === undefined ? `use one of ${known.join(', ')}` : `did you mean '${guess}'?`,
    )
  }
}
