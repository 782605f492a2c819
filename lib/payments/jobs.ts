/**
 * The payment jobs of a portal, each a chain that queues its own next run (at most one queued run per
 * portal, so several workers and restarts never double it):
 * - `payments.poll` every `PAYMENT_POLL_INTERVAL_SECONDS`;
 * - `payments.overdue` daily at `PAYMENT_REMINDER_TIME` in the portal's time zone.
 * `schedulePaymentJobs` starts both; call it when MoeDelo is connected and at worker start.
 */
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { getDatabase } from '@/db'
import type { Database } from '@/db/client'
import { paymentPollState, portals } from '@/db/schema'
import { config } from '@/lib/config'
import { isRetryable } from '@/lib/errors'
import { paymentMessages } from '@/lib/domain/messages'
import { defineJob, enqueue } from '@/lib/jobs'
import { MoeDeloError } from '@/lib/moedelo'
import { PAYMENTS_TOPIC } from './deliver'
import { runOverdueReminders } from './overdue'
import { conditionOver, warnOnce } from './notices'
import { runPaymentPoll, type PaymentPollSummary } from './poller'
import { nextDailyRun, safeTimeZone } from './time'

const memberIdSchema = z.string().min(1).max(100)

export const paymentPollPayload = z.object({
  memberId: memberIdSchema,
  /** Seconds until the next run; 0 = this run only. Default `PAYMENT_POLL_INTERVAL_SECONDS`. */
  intervalSeconds: z.number().int().min(0).max(86_400).optional(),
})
export type PaymentPollPayload = z.infer<typeof paymentPollPayload>

export const overdueReminderPayload = z.object({ memberId: memberIdSchema })
export type OverdueReminderPayload = z.infer<typeof overdueReminderPayload>

const BUSY_RETRY_SECONDS = 60

const pollKey = (memberId: string) => `payments-poll:${memberId}`
const overdueKey = (memberId: string) => `payments-overdue:${memberId}`

/**
 * Runs `work`, then queues the next run unless the portal is gone. An external failure is retried
 * (and, while the service is down, parked and replayed) by the job layer, and the run that finally
 * succeeds queues the next one; any other failure would end the chain, so the next run is queued first.
 */
async function chained<T>(work: () => Promise<T>, stopped: (result: T) => boolean, next: () => Promise<unknown>): Promise<void> {
  let result: T
  try {
    result = await work()
  } catch (error) {
    if (!isRetryable(error)) await next()
    throw error
  }
  if (!stopped(result)) await next()
}

export const paymentPollJob = defineJob<PaymentPollPayload>({
  name: 'payments.poll',
  payload: paymentPollPayload,
  service: 'moedelo',
  topic: PAYMENTS_TOPIC,
  dedupKey: (p) => p.memberId,
  handler: async (payload) => {
    const { db } = await getDatabase()
    const interval = payload.intervalSeconds ?? config().PAYMENT_POLL_INTERVAL_SECONDS
    await chained(
      () => pollOrWarn(db, payload.memberId),
      // A portal that is gone or has disconnected MoeDelo stops here; connecting again restarts the chain.
      (summary) => summary?.status === 'skipped',
      () =>
        interval > 0
          ? enqueue(paymentPollJob, payload, { singletonKey: pollKey(payload.memberId), startAfterSeconds: interval })
          : Promise.resolve(null),
    )
  },
})

const POLL_REFUSED = 'poll-refused'

/**
 * One poll; when MoeDelo refuses the key or the tariff, the journal says so once (not every minute)
 * and the chain goes on, so payments flow again as soon as the connection is fixed.
 */
async function pollOrWarn(db: Database, memberId: string): Promise<PaymentPollSummary | undefined> {
  try {
    const summary = await runPaymentPoll(db, memberId)
    if (summary.status === 'done') await conditionOver(db, memberId, POLL_REFUSED)
    return summary
  } catch (error) {
    if (!(error instanceof MoeDeloError && (error.kind === 'unauthorized' || error.kind === 'forbidden'))) throw error
    await warnOnce(db, memberId, POLL_REFUSED, paymentMessages.journalPollRefused(error.userMessage))
    return undefined
  }
}

export const overdueReminderJob = defineJob<OverdueReminderPayload>({
  name: 'payments.overdue',
  payload: overdueReminderPayload,
  service: 'bitrix24',
  topic: PAYMENTS_TOPIC,
  dedupKey: (p) => p.memberId,
  handler: async (payload) => {
    const { db } = await getDatabase()
    let busy = false
    await chained(
      async () => {
        const summary = await runOverdueReminders(db, payload.memberId)
        busy = summary.status === 'busy'
        return summary
      },
      (summary) => summary.status === 'skipped',
      // Another worker is on today's run: look again in a minute rather than at once.
      () => scheduleOverdueReminders(db, payload.memberId, busy ? { atLeastSeconds: BUSY_RETRY_SECONDS } : {}),
    )
  },
})

export const paymentJobs = [paymentPollJob, overdueReminderJob]

/** Queues the next poll of a portal (a second call while one is queued does nothing). */
export async function schedulePaymentPoll(memberId: string, options: { startAfterSeconds?: number } = {}): Promise<string | null> {
  return enqueue(
    paymentPollJob,
    { memberId, intervalSeconds: config().PAYMENT_POLL_INTERVAL_SECONDS },
    { singletonKey: pollKey(memberId), ...(options.startAfterSeconds ? { startAfterSeconds: options.startAfterSeconds } : {}) },
  )
}

/** Seconds until the portal's next reminder run: today's time if still ahead or today was missed, else tomorrow's. */
export async function secondsUntilOverdueRun(db: Database, memberId: string, now: Date = new Date()): Promise<number> {
  const [portal] = await db.select({ timeZone: portals.timeZone }).from(portals).where(eq(portals.memberId, memberId))
  const [state] = await db.select({ last: paymentPollState.lastOverdueDate }).from(paymentPollState).where(eq(paymentPollState.memberId, memberId))
  const at = nextDailyRun(now, safeTimeZone(portal?.timeZone), config().PAYMENT_REMINDER_TIME, state?.last ?? null)
  return Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000))
}

/** Queues the portal's next reminder run (a second call while one is queued does nothing). */
export async function scheduleOverdueReminders(db: Database, memberId: string, options: { atLeastSeconds?: number } = {}): Promise<string | null> {
  const startAfterSeconds = Math.max(options.atLeastSeconds ?? 0, await secondsUntilOverdueRun(db, memberId))
  return enqueue(overdueReminderJob, { memberId }, { singletonKey: overdueKey(memberId), ...(startAfterSeconds > 0 ? { startAfterSeconds } : {}) })
}

/** Both chains of a portal: the poll starts now, the reminders at their next local time. */
export async function schedulePaymentJobs(db: Database, memberId: string): Promise<void> {
  await schedulePaymentPoll(memberId)
  await scheduleOverdueReminders(db, memberId)
}
