// The three ways someone with write access to the database breaks the audit log, as SQL run
// behind jitgate's back (the same on SQLite and PostgreSQL), and what `jitgate audit verify`
// must then say: the seq of the first broken event.
import { jitgate, type Run, tamper } from '../audit/audit-cli-harness.ts'

export interface Tampering {
  readonly what: string
  apply(url: string, seq: number): Promise<void>
  /** What verify prints on stderr when event `seq` was tampered with. */
  message(seq: number): RegExp
}

export const TAMPERING: readonly Tampering[] = [
  {
    what: 'a row is changed',
    apply: (url, seq) =>
      tamper(url, [
        `update audit_events set details = replace(details, 'approved', 'rejected') where seq = ${seq}`,
      ]),
    message: (seq) => new RegExp(`^broken at event ${seq}: event ${seq} \\(id [0-9a-f-]+\\) was changed`),
  },
  {
    what: 'a row is deleted',
    apply: (url, seq) => tamper(url, [`delete from audit_events where seq = ${seq}`]),
    message: (seq) =>
      new RegExp(
        `^broken at event ${seq}: event ${seq} was removed: event ${seq + 1} \\(id [0-9a-f-]+\\) follows event ${seq - 1}\\n$`,
      ),
  },
  {
    what: 'two rows are swapped',
    apply: (url, seq) =>
      tamper(url, [
        `update audit_events set seq = 1000000 where seq = ${seq}`,
        `update audit_events set seq = ${seq} where seq = ${seq + 1}`,
        `update audit_events set seq = ${seq + 1} where seq = 1000000`,
      ]),
    message: (seq) => new RegExp(`^broken at event ${seq}: `),
  },
]

/** `jitgate audit verify --database <url>`, as a real process. */
export function verifyRun(url: string): Promise<Run> {
  return jitgate(['audit', 'verify', '--database', url])
}
