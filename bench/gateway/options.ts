// The gateway bench's options, from its arguments or else the environment:
//   --seconds N  (BENCH_GATEWAY_SECONDS, default 10) pgbench seconds per configuration,
//                split evenly over the rounds;
//   --rounds N   (BENCH_GATEWAY_ROUNDS, default 2) runs per configuration, alternating order;
//   --scale N    (BENCH_GATEWAY_SCALE, default 10) pgbench -i scale factor.
// A quick run: `npm run bench -- gateway --seconds 2`.

export interface GatewayBenchOptions {
  /** pgbench -T of each run: seconds / rounds. */
  readonly secondsPerRun: number
  readonly rounds: number
  readonly scale: number
}

interface Option {
  readonly flag: string
  readonly env: string
  readonly fallback: number
  readonly min: number
}

const SECONDS: Option = { flag: '--seconds', env: 'BENCH_GATEWAY_SECONDS', fallback: 10, min: 1 }
const ROUNDS: Option = { flag: '--rounds', env: 'BENCH_GATEWAY_ROUNDS', fallback: 2, min: 1 }
const SCALE: Option = { flag: '--scale', env: 'BENCH_GATEWAY_SCALE', fallback: 10, min: 1 }
const KNOWN = [SECONDS, ROUNDS, SCALE].map((option) => option.flag)

/** Throws naming the option at fault and what it takes. */
export function parseOptions(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): GatewayBenchOptions {
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? ''
    if (!KNOWN.includes(flag))
      throw new Error(
        `unknown argument '${flag}'; the gateway bench takes ${KNOWN.join(', ')}, each with a number`,
      )
  }
  const seconds = integer(SECONDS, args, env)
  const rounds = integer(ROUNDS, args, env)
  if (seconds % rounds !== 0)
    throw new Error(
      `${SECONDS.flag} ${seconds} does not split evenly over ${rounds} rounds: give a multiple of ${ROUNDS.flag}`,
    )
  return { secondsPerRun: seconds / rounds, rounds, scale: integer(SCALE, args, env) }
}

function integer(option: Option, args: readonly string[], env: Readonly<Record<string, string | undefined>>) {
  const at = args.indexOf(option.flag)
  const text = at >= 0 ? args[at + 1] : env[option.env]
  if (text === undefined || text === '') {
    if (at >= 0) throw new Error(`${option.flag} needs a number after it`)
    return option.fallback
  }
  const value = Number(text)
  if (!Number.isInteger(value) || value < option.min) {
    const source = at >= 0 ? option.flag : option.env
    throw new Error(`${source} must be an integer of at least ${option.min}, not '${text}'`)
  }
  return value
}
