/**
 * Daily reminders about overdue invoices. Once a day, at `PAYMENT_REMINDER_TIME` in the portal's time
 * zone, every unpaid or partly paid invoice past its deadline is sent to the deal's responsible
 * manager (`ASSIGNED_BY_ID`) as a Bitrix24 notification: invoice number, sum due, days overdue, a
 * link to the deal. A manager with many such invoices gets one digest instead.
 *
 * Once per invoice per day, whatever runs: a run claims the portal (one at a time), skips a day that is
 * already done (`last_overdue_date`), and every notification carries a TAG for the invoice and the day,
 * so a repeated send after a crash replaces the earlier one instead of adding a second.
 */
import { and, eq, isNotNull, lt } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { invoices } from '@/db/schema'
import { bitrix24For, type BatchCommand, type Bitrix24Client } from '@/lib/bitrix24/client'
import { Bitrix24BatchError, classifyRestError } from '@/lib/bitrix24/errors'
import { config } from '@/lib/config'
import { releaseClaim, takeClaim } from '@/lib/counterparties/store'
import { formatMoney, parseMoney, sumMoney, type Kopecks } from '@/lib/domain/money'
import { paymentMessages, type OverdueLine } from '@/lib/domain/messages'
import { writeJournal } from '@/lib/jobs'
import { getActivePortal } from '@/lib/portals/repository'
import { PAYMENTS_TOPIC } from './deliver'
import { paidAmount } from './mirror'
import { loadPollState, savePollState } from './store'
import { daysBetween, localDate, localTime, safeTimeZone } from './time'

const LEASE_KEY = 'payments:overdue'
const RUN_LEASE_MS = 15 * 60_000
/** Invoices listed by name in a digest; the rest are counted. */
const DIGEST_LINES = 20

export interface OverdueOptions {
  now?: Date
  bitrix24?: Bitrix24Client
  /** `HH:MM`, default `PAYMENT_REMINDER_TIME`. */
  reminderTime?: string
  /** Default `PAYMENT_REMINDER_DIGEST_FROM`. */
  digestFrom?: number
}

export interface OverdueSummary {
  status: 'done' | 'not-yet' | 'already-done' | 'busy' | 'skipped'
  /** The portal-local date of the run. */
  date: string
  invoices: number
  managers: number
  /** Notifications sent: one per invoice, or one digest per manager with many. */
  notifications: number
  digests: number
}

interface DealRow {
  ID: string | number
  TITLE?: string
  ASSIGNED_BY_ID?: string | number | null
}

/** Days past the deadline on the portal-local date `today` (0 on the deadline day itself). */
export function overdueDays(deadline: string, today: string): number {
  return daysBetween(deadline, today)
}

export async function runOverdueReminders(db: Database, memberId: string, options: OverdueOptions = {}): Promise<OverdueSummary> {
  const cfg = config()
  const now = options.now ?? new Date()
  const portal = await getActivePortal(db, memberId)
  const timeZone = safeTimeZone(portal?.timeZone)
  const today = localDate(now, timeZone)
  const summary: OverdueSummary = { status: 'done', date: today, invoices: 0, managers: 0, notifications: 0, digests: 0 }
  if (!portal) return { ...summary, status: 'skipped' }
  if (localTime(now, timeZone) < (options.reminderTime ?? cfg.PAYMENT_REMINDER_TIME)) return { ...summary, status: 'not-yet' }
  if ((await loadPollState(db, memberId)).lastOverdueDate === today) return { ...summary, status: 'already-done' }

  const lease = await takeClaim(db, memberId, LEASE_KEY, RUN_LEASE_MS)
  if (!lease) return { ...summary, status: 'busy' }
  try {
    // Checked again under the claim: another worker may have finished the day a moment ago.
    if ((await loadPollState(db, memberId)).lastOverdueDate === today) return { ...summary, status: 'already-done' }
    const overdue = (
      await db
        .select({
          id: invoices.id,
          dealId: invoices.dealId,
          number: invoices.number,
          docDate: invoices.docDate,
          deadline: invoices.deadline,
          sum: invoices.sum,
          paidSum: invoices.paidSum,
          billStatus: invoices.billStatus,
        })
        .from(invoices)
        .where(and(eq(invoices.memberId, memberId), eq(invoices.state, 'created'), isNotNull(invoices.deadline), lt(invoices.deadline, today)))
    )
      .map((inv) => ({ ...inv, due: (parseMoney(inv.sum ?? '0') - paidAmount(inv)) as Kopecks }))
      .filter((inv) => inv.due > 0n)

    if (overdue.length > 0) {
      const client = options.bitrix24 ?? (await bitrix24For(db, memberId))
      const deals = await readDeals(client, [...new Set(overdue.map((inv) => inv.dealId))])
      const byManager = new Map<number, OverdueLine[]>()
      const tags = new Map<OverdueLine, string>()
      for (const inv of overdue) {
        const deal = deals.get(inv.dealId)
        const managerId = Number(deal?.ASSIGNED_BY_ID ?? 0)
        if (!deal || !managerId) continue
        const line: OverdueLine = {
          dealId: inv.dealId,
          dealTitle: String(deal.TITLE ?? ''),
          invoiceNumber: inv.number,
          invoiceDate: inv.docDate,
          due: formatMoney(inv.due),
          daysOverdue: overdueDays(inv.deadline!, today),
        }
        tags.set(line, `moedelo-overdue|${inv.id}|${today}`)
        byManager.set(managerId, [...(byManager.get(managerId) ?? []), line])
      }
      const digestFrom = options.digestFrom ?? cfg.PAYMENT_REMINDER_DIGEST_FROM
      const commands: Record<string, BatchCommand> = {}
      for (const [managerId, lines] of byManager) {
        lines.sort((a, b) => b.daysOverdue - a.daysOverdue || a.dealId - b.dealId)
        summary.invoices += lines.length
        if (lines.length >= digestFrom) {
          const total = formatMoney(sumMoney(lines.map((l) => parseMoney(l.due))))
          commands[`m${managerId}`] = notify(managerId, paymentMessages.overdueDigest(lines, total, DIGEST_LINES), `moedelo-overdue-digest|${managerId}|${today}`)
          summary.digests += 1
        } else {
          lines.forEach((line, i) => {
            commands[`m${managerId}_${i}`] = notify(managerId, paymentMessages.overdue(line), tags.get(line)!)
          })
        }
      }
      summary.managers = byManager.size
      if (Object.keys(commands).length > 0) {
        // A recipient who left the portal must not stop the others: per-command failures are only logged.
        const result = await client.batch(commands)
        summary.notifications = Object.keys(result.results).length
      }
      if (summary.invoices > 0) {
        await writeJournal(db, {
          memberId,
          level: 'info',
          topic: PAYMENTS_TOPIC,
          message: paymentMessages.journalOverdue(summary.invoices, summary.managers),
          details: { date: today, notifications: summary.notifications, digests: summary.digests },
        })
      }
    }
    await savePollState(db, memberId, { lastOverdueDate: today })
    return summary
  } finally {
    await releaseClaim(db, memberId, LEASE_KEY, lease)
  }
}

function notify(userId: number, message: string, tag: string): BatchCommand {
  return ['im.notify.system.add', { USER_ID: userId, MESSAGE: message, TAG: tag }]
}

/** The deals' titles and responsible managers, 50 per batch request; deleted deals are left out. */
async function readDeals(client: Bitrix24Client, dealIds: number[]): Promise<Map<number, DealRow>> {
  const result = await client.batch(Object.fromEntries(dealIds.map((id) => [`d${id}`, ['crm.deal.get', { id }] as const])))
  const failed = Object.values(result.errors).filter((e) => classifyRestError(e.code, undefined, e.description) !== 'not-found')
  // Anything but "deal not found" is worth another try: the job layer retries the whole run.
  if (failed.length > 0) throw new Bitrix24BatchError(failed, result.results)
  const deals = new Map<number, DealRow>()
  for (const id of dealIds) {
    const row = result.results[`d${id}`] as DealRow | undefined
    if (row) deals.set(id, row)
  }
  return deals
}
