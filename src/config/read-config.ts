// Finds and reads the configuration file: `--config`, else JITGATE_CONFIG, else
// ./jitgate.yaml when there is one; none at all is fine (embedded defaults).
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, type JitgateConfig, loadConfig } from './load-config.ts'

export interface ReadConfigOptions {
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
}

const DEFAULT_FILE = 'jitgate.yaml'

export async function readConfig(options: ReadConfigOptions): Promise<JitgateConfig> {
  const cwd = options.cwd ?? process.cwd()
  const flag = options.flags.config
  const named =
    typeof flag === 'string'
      ? { path: flag, from: '--config' }
      : options.env.JITGATE_CONFIG
        ? { path: options.env.JITGATE_CONFIG, from: 'JITGATE_CONFIG' }
        : undefined
  const path = named?.path ?? DEFAULT_FILE
  let text: string | undefined
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (named === undefined && code === 'ENOENT') text = undefined
    else
      throw new ConfigError([
        {
          path: named?.from ?? path,
          message: `cannot read the configuration file '${path}': ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
          hint: 'check the path, or leave it out to run on the embedded defaults',
        },
      ])
  }
  return loadConfig({
    flags: options.flags,
    env: options.env,
    cwd,
    ...(text === undefined ? {} : { file: { path, text } }),
  })
}
