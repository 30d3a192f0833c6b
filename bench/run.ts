// `npm run bench -- NAME [args]`: runs bench/NAME.bench.ts, which exports
// `run(args)`. Benchmarks are loaded on demand so one's setup never slows another.

const BENCHMARKS = ['policy', 'audit', 'approval', 'pii', 'mask', 'gateway'] as const

interface BenchModule {
  run(args: string[]): Promise<void>
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || !(BENCHMARKS as readonly string[]).includes(name)) {
    const what = name === undefined ? 'no benchmark given' : `unknown benchmark '${name}'`
    console.error(
      `${what}; known benchmarks: ${BENCHMARKS.join(', ')}\nusage: npm run bench -- <name> [args]`,
    )
    return 2
  }
  const module = (await import(`./${name}.bench.ts`)) as BenchModule
  await module.run(args)
  return 0
}

process.exitCode = await main(process.argv.slice(2))
