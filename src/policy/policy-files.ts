// Reads a policy directory (or one file) from disk: every *.yaml / *.yml file
// below it, except policy tests (*.test.yaml), in a stable order.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { JitgateError } from '../shared/index.ts'
import type { SourceFile } from '../shared/yaml-source.ts'

const YAML = /\.ya?ml$/
const TEST = /\.test\.ya?ml$/

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true })
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await walk(path, out)
    else if (entry.isFile() && YAML.test(entry.name)) out.push(path)
  }
}

/** Every YAML file under `path` (itself, if a file), sorted. */
export async function listYamlFiles(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(path)
  } catch {
    throw new JitgateError('policy_path_missing', `policy path '${path}' does not exist`, {
      status: 400,
      details: [
        {
          path,
          message: 'no such file or directory',
          hint: 'pass the directory that holds your policy YAML files',
        },
      ],
    })
  }
  if (info.isFile()) return [path]
  const out: string[] = []
  await walk(path, out)
  return out.sort()
}

async function readAll(paths: readonly string[]): Promise<SourceFile[]> {
  return Promise.all(paths.map(async (file) => ({ file, text: await readFile(file, 'utf8') })))
}

/** The policy files of a set (tests excluded). */
export async function readPolicyFiles(path: string): Promise<SourceFile[]> {
  return readAll((await listYamlFiles(path)).filter((f) => !TEST.test(f)))
}

/** The policy test files (`*.test.yaml`) of a set. */
export async function readPolicyTestFiles(path: string): Promise<SourceFile[]> {
  return readAll((await listYamlFiles(path)).filter((f) => TEST.test(f)))
}
