import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import { startServer } from './src/app/start-server.ts'
import { loadConfig } from './src/config/index.ts'
const dir = mkdtempSync('/work/main/.tmp-appr-')
mkdirSync(join(dir, 'p'))
writeFileSync(join(dir, 'p', 'b.yaml'), `kind: Groups
groups:
  approvers: { users: [ann] }
---
kind: Policy
name: bench
rules:
  - name: x
    effect: require_approval
    match: { verbs: data.export, resources: "svc://**" }
    approval:
      steps: [ { any_of: [group:approvers] } ]
      grant: { mode: single_use }
`)
const config = loadConfig({ flags: { policies: join(dir, 'p'), 'data-dir': dir, watch: false, port: '0' }, env: {}, cwd: dir, file: { path: join(dir, 'j.yaml'), text: 'server: { requestLimit: { max: 100000, window: 1m } }' } })
const server = await startServer(config, pino({ level: 'silent' }))
const node = server.node
const wrap = (obj: any, name: string, acc: number[]) => { const f = obj[name].bind(obj); obj[name] = async (...a: unknown[]) => { const s = performance.now(); try { return await f(...a) } finally { acc.push(performance.now() - s) } } }
const T: Record<string, number[]> = { approve: [], get: [], who: [], grantFor: [], execFor: [], route: [], auth: [] }
wrap(node.approvals, 'approve', T.approve!); wrap(node.approvals, 'get', T.get!); wrap(node.approvals, 'whoCanApprove', T.who!)
wrap(node.grants, 'forRequest', T.grantFor!); wrap(node.executions, 'forRequest', T.execFor!); wrap(node.authenticator, 'authenticate', T.auth!)
const key = async (id: string, role: 'requester' | 'approver') => (await node.apiKeys.create({ subject: id, name: 'b', roles: [role], groups: [] }, { type: 'system', id: 'b' })).token
const rob = await key('rob', 'requester'); const ann = await key('ann', 'approver')
for (let i = 0; i < 150; i++) {
  const res = await fetch(`${server.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${rob}`, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'data.export', resource: `svc://x/${i}` }) })
  const id = ((await res.json()) as any).request.id
  for (const v of Object.values(T)) v.length = 0
  const s = performance.now()
  const r = await fetch(`${server.url}/v1/requests/${id}/approve`, { method: 'POST', headers: { authorization: `Bearer ${ann}` } })
  await r.json()
  T.route!.push(performance.now() - s)
  if (i === 149) for (const [k, v] of Object.entries(T)) console.log(k, v.map((x) => x.toFixed(2)).join(' '))
  if (i === 100) { for (const [k, v] of Object.entries(T)) console.log(k, v.map((x) => x.toFixed(2)).join(' ')) }
}
await server.close()
