// Ids are RFC 9562 version 7: the time in their first 48 bits, version 7, variant 10, and the
// rest random, never repeated, across the pool's refills.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uuidV7 } from './uuid-v7.ts'

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidV7', () => {
  it('is a version 7 UUID holding the time it was made', () => {
    const before = Date.now()
    const id = uuidV7()
    const after = Date.now()
    assert.match(id, SHAPE)
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)
    assert.ok(ms >= before && ms <= after, `${ms} is not between ${before} and ${after}`)
  })

  it('never repeats, and its random digits are spread, across several pool refills', () => {
    const ids = Array.from({ length: 5000 }, () => uuidV7())
    assert.equal(new Set(ids).size, ids.length)
    for (const id of ids) assert.match(id, SHAPE)
    // Each of the 15 last digits takes every hex value over 5,000 ids, and the variant digit its four.
    const last = new Set(ids.map((id) => id.slice(-1)))
    const variants = new Set(ids.map((id) => id[19]))
    assert.equal(last.size, 16)
    assert.deepEqual([...variants].sort(), ['8', '9', 'a', 'b'])
  })

  it('is ordered by time: an id made a millisecond later sorts after', async () => {
    const first = uuidV7()
    await new Promise((resolve) => setTimeout(resolve, 2))
    assert.ok(uuidV7() > first)
  })
})
