// A wake-up that waits a little: calls made within `ms` of the first become one call of
// `fn`, `ms` later. Background workers use it so that the readers of a change go first and a
// burst of changes is one pass. The timer never keeps the process alive; `cancel` drops a
// pending call (on stop).

export interface CoalescedCall {
  (): void
  cancel(): void
}

export function coalescedCall(fn: () => void, ms: number): CoalescedCall {
  let timer: NodeJS.Timeout | undefined
  const call = (): void => {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      fn()
    }, ms)
    timer.unref()
  }
  return Object.assign(call, {
    cancel: (): void => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  })
}
