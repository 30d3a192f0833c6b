// `jitgate config check|schema`: whether a configuration loads (every problem at
// file:line:col, as `jitgate serve` would refuse it) and what it resolves to, secrets
// hidden; and the JSON Schema of the file, for editors.
import { Command } from 'commander'
import { ConfigDocument, readConfig } from '../config/index.ts'
import { redactDatabaseUrl } from '../store/index.ts'
import type { Terminal } from './terminal.ts'

export function configCommand(term: Terminal): Command {
  const config = new Command('config').description('check the configuration, or print its schema')
  config
    .command('check')
    .description('load the configuration as `jitgate serve` would and say what it resolves to')
    .option(
      '-c, --config <file>',
      'configuration file (env JITGATE_CONFIG; default ./jitgate.yaml if present)',
    )
    .option('--json', 'print the resolved settings as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const resolved = await readConfig({ flags: { config: opts.config }, env: process.env })
      const shown = {
        file: resolved.file ?? null,
        dataDir: resolved.dataDir,
        store: redactDatabaseUrl(resolved.store.url),
        server: `${resolved.server.host}:${resolved.server.port}`,
        policies: resolved.policies.dir,
        executors: Object.keys(resolved.executors.http?.endpoints ?? {}),
        oidc: resolved.auth.oidc !== undefined,
        notify: Object.keys(resolved.notify).filter((key) => ['webhooks', 'slack', 'email'].includes(key)),
      }
      if (opts.json) return term.json(shown)
      term.out(`ok: ${shown.file ?? 'no file, embedded defaults'}`)
      for (const [key, value] of Object.entries(shown).slice(1))
        term.out(`  ${key.padEnd(10)} ${Array.isArray(value) ? value.join(', ') || '—' : String(value)}`)
    })
  config
    .command('schema')
    .description('print the JSON Schema of jitgate.yaml (for editors)')
    .action(() => {
      term.json({
        $schema: 'http://json-schema.org/draft-07/schema#',
        title: 'jitgate.yaml',
        ...ConfigDocument,
      })
    })
  return config
}
