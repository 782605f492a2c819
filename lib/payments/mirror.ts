/**
 * Our mirror of a MoeDelo bill (the payment fields of an `invoices` row and its `invoice_payments`)
 * compared with what MoeDelo says now: which fields to update, which receipts are new, whether the
 * bill just became fully paid. Pure; the store applies the result in one transaction.
 *
 * Spec moedelo.md §4.5: `Status` 6 is not proof of a bank receipt (it can be set by hand), so the
 * receipts come from `Payments[]` and the amount from `PaidSum`; a bill that is «Оплачен» with less
 * than its sum in payment documents counts as paid, and the gap is one receipt "marked by hand".
 */
import { createHash } from 'node:crypto'
import { formatMoney, parseMoney, ZERO, type Kopecks } from '@/lib/domain/money'
import { paymentMessages } from '@/lib/domain/messages'
import type { Bill, BillPayment, BillStatus, BillSummary } from '@/lib/moedelo'

/** MoeDelo bill `Status` codes (spec §4.5, §10). */
export const BILL_STATUS_CODES: Record<BillStatus, number> = { unpaid: 4, partially_paid: 5, paid: 6 }
const PAID = BILL_STATUS_CODES.paid

/** `invoice_payments.payment_id` of the receipt that stands for "marked paid by hand, no document". */
export const MARKED_BY_HAND = 0

/** The fields of an invoice the poller keeps in line with MoeDelo. */
export interface MirroredInvoice {
  id: string
  dealId: number
  billId: number
  number: string | null
  docDate: string | null
  deadline: string | null
  /** Decimal text; null until the bill is known. */
  sum: string | null
  paidSum: string
  billStatus: number | null
  billModifiedAt: string | null
}

export interface RecordedReceipt {
  paymentId: number
  sum: string
}

export interface NewReceipt {
  paymentId: number
  number: string | null
  date: string | null
  sum: string
  /** The timeline entry for it, fixed now (the remaining balance is the one at this receipt). */
  comment: string
}

export interface BillComparison {
  /** Anything to write (fields or receipts). */
  changed: boolean
  update: Pick<MirroredInvoice, 'number' | 'docDate' | 'deadline' | 'sum' | 'paidSum' | 'billStatus' | 'billModifiedAt'>
  receipts: NewReceipt[]
  /** Not fully paid in our mirror, fully paid now: the deal's stage move is due. */
  becamePaid: boolean
  /** The invoice's paid amount changed: the deal's «Оплачено» field is due. */
  paidAmountChanged: boolean
}

const money = (text: string | null | undefined): Kopecks => (text ? parseMoney(text) : ZERO)

/** Fully paid: «Оплачен» in MoeDelo (even by hand), or payments covering a positive sum. */
export function isFullyPaid(status: number | null, paid: Kopecks, sum: Kopecks): boolean {
  return status === PAID || (sum > 0n && paid >= sum)
}

/** What the deal should show as paid for this invoice: the sum when paid by hand, else the receipts. */
export function paidAmount(invoice: Pick<MirroredInvoice, 'billStatus' | 'paidSum' | 'sum'>): Kopecks {
  const paid = money(invoice.paidSum)
  const sum = money(invoice.sum)
  return invoice.billStatus === PAID && paid < sum ? sum : paid
}

/** A payment without an id (not seen in practice) still needs a stable key: a negative one from its content. */
export function receiptIdOf(p: BillPayment): number {
  if (p.id !== null && p.id > 0) return p.id
  const digest = createHash('sha256').update(`${p.number ?? ''}|${p.date ?? ''}|${formatMoney(p.amount)}`).digest()
  return -(digest.readUIntBE(0, 6) || 1)
}

/** Does a list entry differ from the mirror in anything the poller cares about (then the full bill is read)? */
export function summaryDiffers(invoice: MirroredInvoice, s: BillSummary): boolean {
  return (
    invoice.billModifiedAt === null ||
    invoice.sum === null ||
    (s.status ? BILL_STATUS_CODES[s.status] : null) !== invoice.billStatus ||
    money(invoice.sum) !== s.total ||
    money(invoice.paidSum) !== s.paid ||
    invoice.number !== s.number ||
    invoice.deadline !== s.deadline
  )
}

export function compareWithBill(invoice: MirroredInvoice, recorded: readonly RecordedReceipt[], bill: Bill): BillComparison {
  const status = bill.status ? BILL_STATUS_CODES[bill.status] : null
  const update: BillComparison['update'] = {
    number: bill.number,
    docDate: bill.docDate,
    deadline: bill.deadline,
    sum: formatMoney(bill.total),
    paidSum: formatMoney(bill.paid),
    billStatus: status,
    billModifiedAt: bill.modifiedAt ?? invoice.billModifiedAt,
  }
  const known = new Set(recorded.map((r) => r.paymentId))
  const fresh = bill.payments
    .map((p) => ({ ...p, paymentId: receiptIdOf(p) }))
    .filter((p) => !known.has(p.paymentId))
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.paymentId - b.paymentId)

  // What was paid after each new receipt, counted back from MoeDelo's PaidSum (so a receipt that
  // was later unlinked in MoeDelo does not skew the balance).
  const receipts: NewReceipt[] = []
  let paidAfter = bill.paid
  const balances: Kopecks[] = []
  for (let i = fresh.length - 1; i >= 0; i -= 1) {
    balances[i] = paidAfter
    paidAfter = (paidAfter - fresh[i]!.amount) as Kopecks
  }
  fresh.forEach((p, i) => {
    const remaining = bill.total > balances[i]! ? ((bill.total - balances[i]!) as Kopecks) : ZERO
    receipts.push({
      paymentId: p.paymentId,
      number: p.number,
      date: p.date,
      sum: formatMoney(p.amount),
      comment: paymentMessages.receipt({
        invoiceNumber: bill.number,
        invoiceDate: bill.docDate,
        paymentNumber: p.number,
        paymentDate: p.date,
        amount: formatMoney(p.amount),
        remaining: formatMoney(remaining),
      }),
    })
  })

  const documented = bill.payments.reduce((s, p) => s + p.amount, 0n)
  if (status === PAID && documented < bill.total && !known.has(MARKED_BY_HAND)) {
    const unconfirmed = formatMoney((bill.total - documented) as Kopecks)
    receipts.push({
      paymentId: MARKED_BY_HAND,
      number: null,
      date: bill.modifiedAt ? bill.modifiedAt.slice(0, 10) : null,
      sum: unconfirmed,
      comment: paymentMessages.markedPaidByHand(bill.number, bill.docDate, unconfirmed),
    })
  }

  const before = { billStatus: invoice.billStatus, paidSum: invoice.paidSum, sum: invoice.sum }
  const wasPaid = isFullyPaid(invoice.billStatus, money(invoice.paidSum), money(invoice.sum))
  const fieldsChanged = (Object.keys(update) as (keyof typeof update)[]).some((k) => update[k] !== invoice[k])
  return {
    changed: fieldsChanged || receipts.length > 0,
    update,
    receipts,
    becamePaid: !wasPaid && isFullyPaid(status, bill.paid, bill.total),
    paidAmountChanged: paidAmount(before) !== paidAmount(update),
  }
}
