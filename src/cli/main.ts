// The `jitgate` command: one program, a file per command group.
import { Command, CommanderError } from 'commander'
import { JITGATE_VERSION } from '../app/version.ts'
import { PolicyLoadError } from '../policy/index.ts'
import { JitgateError } from '../shared/index.ts'
import { anonymizeCommand } from './anonymize-command.ts'
import { approveCommand, rejectCommand } from './approve-command.ts'
import { auditCommand } from './audit-command.ts'
import { configCommand } from './config-command.ts'
import { grantCommand } from './grant-command.ts'
import { keysCommand } from './keys-command.ts'
import { piiCommand } from './pii-command.ts'
import { policyCommand } from './policy-command.ts'
import { requestCommand } from './request-command.ts'
import { serveCommand } from './serve-command.ts'
import { sqlCommand } from './sql-command.ts'
import { createTerminal, EXIT, printErrors } from './terminal.ts'

export async function main(argv: readonly string[]): Promise<number> {
  const term = createTerminal()
  let exitCode: number = EXIT.ok
  const setExit = (code: number): void => {
    exitCode = Math.max(exitCode, code)
  }
  const program = new Command('jitgate')
    .description('jitgate: just-in-time decisions, approvals and audit for actions on personal data')
    .version(JITGATE_VERSION)
    .addCommand(policyCommand(term, setExit))
    .addCommand(serveCommand(term))
    .addCommand(configCommand(term))
    .addCommand(requestCommand(term, setExit))
    .addCommand(approveCommand(term, setExit))
    .addCommand(rejectCommand(term, setExit))
    .addCommand(grantCommand(term, setExit))
    .addCommand(keysCommand(term, setExit))
    .addCommand(auditCommand(term, setExit))
    .addCommand(piiCommand(term, setExit))
    .addCommand(anonymizeCommand(term, setExit))
    .addCommand(sqlCommand(term, setExit))
  // Commands added with addCommand do not inherit settings: apply them to every level.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)')
    for (const sub of cmd.commands) configure(sub)
  }
  configure(program)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage
    if (err instanceof PolicyLoadError) {
      printErrors(term, err.errors)
      term.err(`${err.message}; nothing was loaded`)
      return EXIT.failed
    }
    if (err instanceof JitgateError) {
      term.err(`${term.style('red', 'error')} ${err.message}`)
      printErrors(term, err.details)
      return EXIT.usage
    }
    throw err
  }
}
