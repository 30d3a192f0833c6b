// The events an approval request accepts. Who sent them is authenticated by the caller;
// the state machine decides only whether that person may do this now.

/** Who approves or rejects: an actor id and the identity-provider groups of their login. */
export interface Approver {
  readonly id: string
  readonly groups?: readonly string[]
}

export type RequestEvent =
  /** `stepUpVerified`: the caller checked the approver's TOTP code (see step-up.ts) first. */
  | { readonly type: 'approve'; readonly approver: Approver; readonly stepUpVerified: boolean }
  | { readonly type: 'reject'; readonly approver: Approver; readonly reason: string }
  | { readonly type: 'cancel'; readonly by: string }
  | { readonly type: 'expire' }
  | { readonly type: 'escalate' }
  | { readonly type: 'comment'; readonly by: string; readonly text: string }
  | { readonly type: 'start_execution' }
  | { readonly type: 'finish_execution'; readonly outcome: 'ok' | 'failed'; readonly detail?: string }
  | { readonly type: 'auto_approve' }

export type RequestEventOf<T extends RequestEvent['type']> = Extract<RequestEvent, { readonly type: T }>

export type RequestEventType = RequestEvent['type']

export const REQUEST_EVENT_TYPES: readonly RequestEventType[] = [
  'approve',
  'reject',
  'cancel',
  'expire',
  'escalate',
  'comment',
  'start_execution',
  'finish_execution',
  'auto_approve',
]
