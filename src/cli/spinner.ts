// A one-line spinner on stderr for commands that wait (`jitgate request wait`): redrawn
// ten times a second with a label the caller computes (elapsed time, current state), and
// nothing at all when stderr is not a terminal, so pipes and logs get only the result.
import { styleText } from 'node:util'

export interface Spinner {
  /** Clears the line; the spinner draws nothing more. */
  stop(): void
}

/** What the spinner needs of a stream (process.stderr is one). */
export interface SpinnerStream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
// NO_COLOR users may be on terminals that show braille badly too: plain ASCII for them.
const PLAIN_FRAMES = ['|', '/', '-', '\\']
const EVERY_MS = 100

/** Starts drawing `label()` after a spinning frame on `stream`, if it is a terminal. */
export function startSpinner(
  stream: SpinnerStream,
  label: () => string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Spinner {
  if (stream.isTTY !== true) return { stop: () => undefined }
  const plain = env.NO_COLOR !== undefined
  const frames = plain ? PLAIN_FRAMES : FRAMES
  let tick = 0
  const draw = () => {
    const frame = frames[tick++ % frames.length] ?? ''
    // Cut to the width: a wrapped line would not be cleared by the next \r.
    const line = `${frame} ${label()}`.slice(0, Math.max(10, (stream.columns || 80) - 1))
    stream.write(`\r\x1b[2K${plain ? line : styleText('cyan', line.slice(0, 1)) + line.slice(1)}`)
  }
  draw()
  const timer = setInterval(draw, EVERY_MS)
  // The spinner never keeps the process alive on its own.
  timer.unref()
  let stopped = false
  return {
    stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      stream.write('\r\x1b[2K')
    },
  }
}

/** `42s`, `3m05s`, `1h02m`: elapsed time for a label. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}
