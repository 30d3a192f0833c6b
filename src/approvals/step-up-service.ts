// Step-up for approvers over the store: TOTP enrolment (an otpauth URI for the app),
// its confirmation with a first code, and the check an approval makes, which stores the
// accepted time step in the approval's own transaction so no code counts twice.
import type { ApprovalStore, ServiceClock, TotpRepository } from './approval-ports.ts'
import { ApprovalServiceError } from './approval-service-errors.ts'
import { enrollTotp, verifyTotp } from './step-up.ts'

/** Bytes of a new TOTP secret: RFC 4226 recommends 160 bits. */
const SECRET_BYTES = 20

export interface StepUpServiceDeps {
  readonly store: ApprovalStore
  readonly clock: ServiceClock
  /** A secure random source (crypto.randomBytes in production). */
  readonly randomBytes: (size: number) => Uint8Array
}

function notEnrolled(): ApprovalServiceError {
  return new ApprovalServiceError(
    'step_up_not_enrolled',
    'step-up needs a confirmed TOTP enrolment: enrol, then confirm with a first code',
    [{ path: 'stepUpCode', message: 'no confirmed TOTP enrolment for this approver' }],
  )
}

/**
 * Checks `code` for `userId` and records its time step, inside the caller's transaction.
 * Throws step_up_not_enrolled, step_up_failed or step_up_replayed.
 */
export async function consumeTotpCode(totp: TotpRepository, userId: string, code: string, now: Date) {
  const record = await totp.load(userId, { lock: true })
  if (record?.confirmedAt === undefined) throw notEnrolled()
  const { counter } = verifyTotp({
    secret: record.secret,
    code,
    now,
    ...(record.lastCounter === undefined ? {} : { lastUsedCounter: record.lastCounter }),
  })
  await totp.save({ ...record, lastCounter: counter })
}

export class StepUpService {
  constructor(private readonly deps: StepUpServiceDeps) {}

  /** Starts (or restarts) `userId`'s enrolment; the URI goes into a QR code. Unconfirmed until `confirm`. */
  async enroll(userId: string): Promise<{ readonly uri: string; readonly secret: string }> {
    const enrolment = enrollTotp(userId, this.deps.randomBytes(SECRET_BYTES))
    const createdAt = this.deps.clock.now().toISOString()
    await this.deps.store.transact(async (tx) => {
      await tx.totp.save({ userId, secret: enrolment.secret, createdAt })
      await tx.audit([
        { actor: { type: 'user', id: userId }, type: 'totp.enrolled', subject: { type: 'user', id: userId } },
      ])
    })
    return enrolment
  }

  /** Confirms the enrolment with a first code from the app (which is then spent). */
  async confirm(userId: string, code: string): Promise<void> {
    await this.deps.store.transact(async (tx) => {
      const now = this.deps.clock.now()
      const record = await tx.totp.load(userId, { lock: true })
      if (record === undefined) throw notEnrolled()
      const last = record.lastCounter
      const { counter } = verifyTotp({
        secret: record.secret,
        code,
        now,
        ...(last === undefined ? {} : { lastUsedCounter: last }),
      })
      await tx.totp.save({
        ...record,
        lastCounter: counter,
        confirmedAt: record.confirmedAt ?? now.toISOString(),
      })
      await tx.audit([
        {
          actor: { type: 'user', id: userId },
          type: 'totp.confirmed',
          subject: { type: 'user', id: userId },
        },
      ])
    })
  }
}
