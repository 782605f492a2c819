/**
 * What the deal tab shows about payments: each MoeDelo invoice of the deal with its receipts, the
 * amount paid and still due, its status and how many days it is overdue (in the portal's time zone).
 */
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { invoicePayments, invoices, portals } from '@/db/schema'
import { formatMoney, parseMoney, ZERO, type Kopecks } from '@/lib/domain/money'
import { isFullyPaid, MARKED_BY_HAND, paidAmount } from './mirror'
import { daysBetween, localDate, safeTimeZone } from './time'

export type InvoicePaymentStatus = 'unpaid' | 'partially_paid' | 'paid' | 'cancelled'

export interface InvoiceReceipt {
  /** MoeDelo payment document id; 0 for «marked paid by hand». */
  paymentId: number
  number: string | null
  /** `YYYY-MM-DD`. */
  date: string | null
  /** Decimal text, `'1234.56'`. */
  sum: string
  /** The bill was marked paid by hand in MoeDelo: no payment document behind this amount. */
  byHand: boolean
}

export interface DealInvoicePayments {
  invoiceId: string
  billId: number
  number: string | null
  /** `YYYY-MM-DD`. */
  docDate: string | null
  deadline: string | null
  /** Decimal texts. */
  sum: string | null
  paid: string
  due: string
  status: InvoicePaymentStatus
  markedPaidByHand: boolean
  /** Days past the deadline today in the portal's time zone; null when not overdue (paid, cancelled, not yet due). */
  overdueDays: number | null
  cancelledAt: Date | null
  /** Oldest first. */
  receipts: InvoiceReceipt[]
}

/** The deal's invoices that reached MoeDelo (created or cancelled since), newest first. */
export async function paymentsForDeal(db: Database, memberId: string, dealId: number, now: Date = new Date()): Promise<DealInvoicePayments[]> {
  const [portal] = await db.select({ timeZone: portals.timeZone }).from(portals).where(eq(portals.memberId, memberId))
  const today = localDate(now, safeTimeZone(portal?.timeZone))
  const rows = await db
    .select()
    .from(invoices)
    .where(
      and(eq(invoices.memberId, memberId), eq(invoices.dealId, dealId), inArray(invoices.state, ['created', 'cancelled']), isNotNull(invoices.billId)),
    )
    .orderBy(desc(invoices.createdAt))
  if (rows.length === 0) return []
  const receipts = await db
    .select()
    .from(invoicePayments)
    .where(and(eq(invoicePayments.memberId, memberId), inArray(invoicePayments.invoiceId, rows.map((r) => r.id))))
    .orderBy(asc(invoicePayments.date), asc(invoicePayments.paymentId))

  return rows.map((row) => {
    const sum: Kopecks = row.sum ? parseMoney(row.sum) : ZERO
    const paid = paidAmount(row)
    const due = sum > paid ? ((sum - paid) as Kopecks) : ZERO
    const cancelled = row.state === 'cancelled'
    const fullyPaid = isFullyPaid(row.billStatus, parseMoney(row.paidSum), sum)
    const status: InvoicePaymentStatus = cancelled ? 'cancelled' : fullyPaid ? 'paid' : paid > 0n ? 'partially_paid' : 'unpaid'
    const lateBy = row.deadline ? daysBetween(row.deadline, today) : 0
    const own = receipts.filter((r) => r.invoiceId === row.id)
    return {
      invoiceId: row.id,
      billId: row.billId!,
      number: row.number,
      docDate: row.docDate,
      deadline: row.deadline,
      sum: row.sum,
      paid: formatMoney(paid),
      due: formatMoney(due),
      status,
      markedPaidByHand: own.some((r) => r.paymentId === MARKED_BY_HAND),
      overdueDays: !cancelled && !fullyPaid && due > 0n && lateBy > 0 ? lateBy : null,
      cancelledAt: row.cancelledAt,
      receipts: own.map((r) => ({ paymentId: r.paymentId, number: r.number, date: r.date, sum: r.sum, byHand: r.paymentId === MARKED_BY_HAND })),
    }
  })
}
