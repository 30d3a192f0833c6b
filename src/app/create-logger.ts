// The process logger: JSON lines on stderr (stdout is for command output), with
// anything that looks like a credential redacted.
import { type Logger, pino } from 'pino'
import type { LogLevel } from '../config/index.ts'

export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      base: { service: 'jitgate' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.password',
          '*.token',
          '*.secret',
          '*.apiKey',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  )
}
