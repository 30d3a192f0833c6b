// Issue 5's scenario over HTTP on one node with its SQLite store.
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { keyFor, startTestServer } from '../helpers/test-server.ts'
import { executorsYaml, runScenario, startAccounts } from './scenario.ts'

const POLICIES = join(import.meta.dirname, '../../examples/policies')

describe('a request that needs two approvals, on SQLite', () => {
  it('waits, is approved by a peer and a lead, runs once, and the waiting client learns of it', async (t) => {
    const accounts = await startAccounts()
    t.after(() => accounts.close())
    const server = await startTestServer(t, POLICIES, {}, executorsYaml(accounts.url))
    const tokens = {
      sasha: await keyFor(server, { id: 'sasha', roles: ['requester'], groups: ['customer-support'] }),
      tom: await keyFor(server, { id: 'tom', roles: ['approver'], groups: ['customer-support'] }),
      lena: await keyFor(server, { id: 'lena', roles: ['approver'] }),
    }
    await runScenario({ a: server.url, b: server.url, tokens }, accounts)
  })
})
