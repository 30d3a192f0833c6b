// Whether a value that may come with or without a promise came with one: the hot paths answer
// without a promise when they can, and their callers go on at once in that case.
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}
