// Whether a CEL expression's value can depend on the time of the action: it names `now`, or
// reads `context.time`, or reads `context` in any way this walk cannot prove leaves the time out
// (a computed key, the whole map passed on). Callers that decide the same action again and again
// (the gateway, a statement after another) may keep a decision only when no expression of the
// policy set reads the time. Over-approximates: a false `true` costs a memo, never a wrong
// decision. Pure.

interface Node {
  readonly op: string
  readonly args: unknown
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'op' in value
}

/** True when the expression (cel-js AST) may read the time. */
export function readsTime(ast: unknown): boolean {
  if (Array.isArray(ast)) return ast.some(readsTime)
  if (!isNode(ast)) return false
  if (ast.op === 'id') return ast.args === 'now' || ast.args === 'context'
  if (ast.op === '.' || ast.op === '[]') {
    const [object, key] = ast.args as [unknown, unknown]
    if (isNode(object) && object.op === 'id' && object.args === 'context') {
      const field = ast.op === '.' ? key : isNode(key) && key.op === 'value' ? key.args : undefined
      return typeof field !== 'string' || field === 'time'
    }
    return readsTime(object) || (ast.op === '[]' && readsTime(key))
  }
  return readsTime(ast.args)
}
