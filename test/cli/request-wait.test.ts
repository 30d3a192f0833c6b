// The pure parts of `jitgate request wait`: when it keeps waiting, the exit code of each
// final state, and the small formatting helpers the spinner and the client use.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { RequestView } from '../../src/approvals/index.ts'
import { segment, withQuery } from '../../src/cli/api-client.ts'
import { exitCodeOf, stillOpen } from '../../src/cli/request-wait.ts'
import { formatElapsed, startSpinner } from '../../src/cli/spinner.ts'

type Execution = NonNullable<RequestView['execution']>['state']

function view(state: RequestView['state'], execution?: Execution): Pick<RequestView, 'state' | 'execution'> {
  return { state, ...(execution === undefined ? {} : { execution: { state: execution } }) }
}

describe('request wait', () => {
  const cases: [RequestView['state'], Execution | undefined, boolean, number][] = [
    ['pending', undefined, true, 3],
    ['approved', undefined, false, 0],
    ['approved', 'queued', true, 3],
    ['approved', 'running', true, 3],
    ['approved', 'done', false, 0],
    ['executing', 'running', true, 3],
    ['executed', 'done', false, 0],
    ['failed', 'failed', false, 1],
    ['rejected', undefined, false, 1],
    ['expired', undefined, false, 1],
    ['canceled', undefined, false, 1],
  ]
  for (const [state, execution, open, code] of cases)
    it(`${state}${execution === undefined ? '' : ` with an execution ${execution}`}: ${open ? 'waits' : `ends with ${code}`}`, () => {
      assert.equal(stillOpen(view(state, execution)), open)
      assert.equal(exitCodeOf(view(state, execution)), code)
    })
})

describe('spinner', () => {
  function stream(isTTY: boolean) {
    const written: string[] = []
    const fake = { isTTY, columns: 30, write: (text: string) => written.push(text) }
    return { fake, written }
  }

  it('draws the label on a terminal, cut to its width, and clears the line when stopped', () => {
    const { fake, written } = stream(true)
    const spinner = startSpinner(fake, () => '12s  pending, needs 2 more approval(s)', { NO_COLOR: '1' })
    spinner.stop()
    spinner.stop()
    assert.deepEqual(written, ['\r\x1b[2K| 12s  pending, needs 2 more ', '\r\x1b[2K'])
  })

  it('writes nothing when the stream is not a terminal', () => {
    const { fake, written } = stream(false)
    startSpinner(fake, () => 'x', {}).stop()
    assert.deepEqual(written, [])
  })
})

describe('helpers', () => {
  it('formats elapsed time for the spinner', () => {
    assert.deepEqual([0, 999, 42_000, 65_000, 3_600_000, 3_725_000].map(formatElapsed), [
      '0s',
      '0s',
      '42s',
      '1m05s',
      '1h00m',
      '1h02m',
    ])
  })

  it('builds query strings from the defined parameters only, and escapes ids', () => {
    assert.equal(withQuery('/v1/requests', {}), '/v1/requests')
    assert.equal(
      withQuery('/v1/requests', { state: 'pending', requester: undefined, limit: 5, cursor: 'a b&c' }),
      '/v1/requests?state=pending&limit=5&cursor=a+b%26c',
    )
    assert.equal(segment('../keys?x#y'), '..%2Fkeys%3Fx%23y')
  })
})
