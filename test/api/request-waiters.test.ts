// The fan-out of request changes on a fake notifier typed against the real port: one
// subscription for any number of waiters, wake-ups by id, nothing lost between a read and
// the wait, everyone woken after a lost connection, and everything let go on stop.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { REQUEST_CHANNEL, type RequestNotifier, RequestWaiters } from '../../src/approvals/index.ts'

class FakeNotifier implements RequestNotifier {
  readonly handlers: { channel: string; handler: (payload: string | null) => void }[] = []
  unsubscribed = 0

  async subscribe(channel: string, handler: (payload: string | null) => void) {
    const entry = { channel, handler }
    this.handlers.push(entry)
    return async () => {
      this.handlers.splice(this.handlers.indexOf(entry), 1)
      this.unsubscribed++
    }
  }

  send(payload: string | null): void {
    for (const { handler } of this.handlers) handler(payload)
  }
}

async function started(): Promise<{ notifier: FakeNotifier; waiters: RequestWaiters }> {
  const notifier = new FakeNotifier()
  const waiters = new RequestWaiters()
  await waiters.start(notifier)
  await waiters.start(notifier)
  return { notifier, waiters }
}

/** 'pending' when `promise` has not settled by the next turn of the event loop. */
async function settled<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))])
}

describe('RequestWaiters', () => {
  it('subscribes to the request channel once, whatever the number of waiters', async () => {
    const { notifier, waiters } = await started()
    const watches = ['a', 'a', 'b'].map((id) => waiters.watch(id))
    const stop = waiters.listen(() => undefined)
    assert.deepEqual(
      notifier.handlers.map((h) => h.channel),
      [REQUEST_CHANNEL],
    )
    assert.deepEqual(waiters.size, { watches: 3, listeners: 1 })
    for (const watch of watches) watch.end()
    stop()
    assert.deepEqual(waiters.size, { watches: 0, listeners: 0 })
  })

  it('wakes the watches of the changed id only, and hears every id', async () => {
    const { notifier, waiters } = await started()
    const a = waiters.watch('a')
    const b = waiters.watch('b')
    const heard: (string | null)[] = []
    waiters.listen((id) => heard.push(id))
    const waitingA = a.next()
    const waitingB = b.next()
    notifier.send('a')
    assert.equal(await settled(waitingA), true)
    assert.equal(await settled(waitingB), 'pending')
    notifier.send(null)
    assert.equal(await settled(waitingB), true, 'after a lost connection everyone looks again')
    assert.deepEqual(heard, ['a', null])
  })

  it('remembers a change that came before the wait', async () => {
    const { notifier, waiters } = await started()
    const watch = waiters.watch('a')
    notifier.send('a')
    notifier.send('a')
    assert.equal(await settled(watch.next()), true)
    assert.equal(await settled(watch.next()), 'pending', 'two changes before one look: one wake-up')
  })

  it('answers false once ended, and ends every watch on stop', async () => {
    const { notifier, waiters } = await started()
    const ended = waiters.watch('a')
    ended.end()
    ended.end()
    assert.equal(await ended.next(), false)
    const waiting = waiters.watch('b').next()
    await waiters.stop()
    assert.equal(await waiting, false)
    assert.deepEqual(waiters.size, { watches: 0, listeners: 0 })
    assert.equal(notifier.unsubscribed, 1)
    assert.equal(notifier.handlers.length, 0)
  })
})
