// GET /docs: the OpenAPI document as one self-contained HTML page, rendered on the server
// from the same document /openapi.json serves. No script, no CDN, nothing downloaded, so
// it works offline and a strict Content-Security-Policy holds.
import type { FastifyPluginAsync } from 'fastify'

interface Operation {
  readonly summary?: string
  readonly description?: string
  readonly tags?: readonly string[]
  readonly parameters?: readonly { name: string; in: string; required?: boolean; description?: string }[]
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> }
  readonly responses?: Record<string, { description?: string }>
}

interface Schema {
  readonly properties?: Record<string, { description?: string }>
  readonly required?: readonly string[]
}

interface Document {
  readonly info?: { title?: string; version?: string; description?: string }
  readonly paths?: Record<string, Record<string, Operation>>
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

export function docsPage(): FastifyPluginAsync {
  return async (app) => {
    app.get('/docs', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(renderDocs(app.swagger() as Document)),
    )
  }
}

export function renderDocs(doc: Document): string {
  const byTag = new Map<string, string[]>()
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item[method]
      if (op === undefined) continue
      const tag = op.tags?.[0] ?? 'other'
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op)])
    }
  const sections = [...byTag].map(([tag, ops]) => `<section><h2>${esc(tag)}</h2>${ops.join('')}</section>`)
  const title = `${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>
<h1>${esc(title)}</h1><p>${esc(doc.info?.description ?? '')}</p>
<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>${sections.join('')}</body></html>`
}

function operation(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? []).map(
    (p) =>
      `<li><code>${esc(p.name)}</code> <em>${esc(p.in)}${p.required === true ? ', required' : ''}</em> ${esc(p.description ?? '')}</li>`,
  )
  const body = op.requestBody?.content?.['application/json']?.schema
  const fields = Object.entries(body?.properties ?? {}).map(
    ([name, field]) =>
      `<li><code>${esc(name)}</code>${body?.required?.includes(name) === true ? ' <em>required</em>' : ''} ${esc(field.description ?? '')}</li>`,
  )
  const statuses = Object.entries(op.responses ?? {}).map(([status]) => `<code>${esc(status)}</code>`)
  return `<article><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> ${esc(op.summary ?? '')}</h3>
${op.description === undefined ? '' : `<p>${esc(op.description)}</p>`}
${params.length === 0 ? '' : `<h4>Parameters</h4><ul>${params.join('')}</ul>`}
${fields.length === 0 ? '' : `<h4>Body (JSON)</h4><ul>${fields.join('')}</ul>`}
<p class="r">Responses: ${statuses.join(' ')}</p></article>`
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
article{border-top:1px solid #ddd;padding:.5rem 0}h3{font-size:1rem;margin:.5rem 0}h4{margin:.5rem 0 0;font-size:.9rem}
code{background:#f4f4f4;padding:0 .2rem}.m{display:inline-block;min-width:4rem;font-family:monospace}
.get{color:#06c}.post{color:#080}.delete{color:#b00}.put,.patch{color:#a60}.r{color:#555;font-size:.9rem}`
