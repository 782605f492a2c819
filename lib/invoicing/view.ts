/** What the deal tab shows: the deal's invoices with their receipts, and the preview before sending. */
import type { Database } from '@/db'
import { IN_FLIGHT_STATES, type InvoiceState, type InvoiceTrigger } from '@/db/schema'
import { bitrix24For } from '@/lib/bitrix24/client'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import type { Lang } from '@/lib/i18n/ui'
import { billDraftFromDeal } from '@/lib/invoices'
import type { Portal } from '@/lib/portals/repository'
import { readDealForInvoice } from './deal-reader'
import { paymentsForDeal, type InvoicePaymentStatus } from '@/lib/payments/read'
import { previewOfDealDraft, repeatOfBill, todayIn, type InvoicePreview } from './draft'
import { problemTexts, type StoredProblem } from './issue'
import { invoicesOfDeal, latestIssuedInvoice } from './store'
import { onlineUrlOf } from './write-back'

export interface ReceiptView {
  number: string | null
  date: string | null
  sum: string
  /** Marked paid by hand in MoeDelo, with no payment document. */
  manual: boolean
}

export interface InvoiceView {
  id: string
  state: InvoiceState
  trigger: InvoiceTrigger
  number: string | null
  docDate: string | null
  deadline: string | null
  sum: string | null
  /** Decimal texts: received so far, and still to pay. */
  paidSum: string
  due: string | null
  /** From MoeDelo's payments (lib/payments); null while the bill is not made. */
  payment: InvoicePaymentStatus | null
  /** Marked paid by hand in MoeDelo, without a payment document. */
  markedPaidByHand: boolean
  /** The buyer's page in MoeDelo. */
  url: string | null
  pdf: 'attached' | 'unavailable' | null
  /** Why the invoice was not made (each in the viewer's language where we have it). */
  problems: string[]
  /** A plain-language status line (waiting for MoeDelo, refused…). */
  message: string | null
  /** Days past the deadline of an unpaid or partly paid invoice; null when not overdue. */
  overdueDays: number | null
  receipts: ReceiptView[]
  createdAt: string
}

export interface DealInvoices {
  invoices: InvoiceView[]
  /** A request is being worked on: poll until it is done. */
  inFlight: boolean
  /** There is an issued invoice to repeat. */
  canRepeat: boolean
}

export async function dealInvoices(db: Database, portal: Pick<Portal, 'memberId'>, dealId: number, lang: Lang = 'ru', now = new Date()): Promise<DealInvoices> {
  const rows = await invoicesOfDeal(db, portal.memberId, dealId)
  const payments = new Map((await paymentsForDeal(db, portal.memberId, dealId, now)).map((p) => [p.invoiceId, p]))
  const invoices = rows.map((r): InvoiceView => {
    const pay = payments.get(r.id)
    return {
      id: r.id,
      state: r.state,
      trigger: r.trigger,
      number: r.number,
      docDate: r.docDate,
      deadline: r.deadline,
      sum: r.sum,
      paidSum: pay?.paid ?? r.paidSum,
      due: pay?.due ?? null,
      payment: pay?.status ?? null,
      markedPaidByHand: pay?.markedPaidByHand ?? false,
      url: onlineUrlOf(r.onlinePath),
      pdf: r.pdf,
      problems: r.problems ? problemTexts(r.problems as StoredProblem[], lang) : [],
      message: r.errorMessage,
      overdueDays: pay?.overdueDays ?? null,
      receipts: (pay?.receipts ?? []).map((p) => ({ number: p.number, date: p.date, sum: p.sum, manual: p.byHand })),
      createdAt: r.createdAt.toISOString(),
    }
  })
  return {
    invoices,
    // A created bill is still on its way into the deal (PDF, fields) until written back.
    inFlight: rows.some((r) => IN_FLIGHT_STATES.includes(r.state) || (r.state === 'created' && !r.dealWrittenAt)),
    canRepeat: rows.some((r) => r.state === 'created'),
  }
}

export type PreviewResult = { ok: true; preview: InvoicePreview } | { ok: false; problems: string[] }

/** What «Выставить счёт» / «Повторить счёт» would send, checked, without sending anything. */
export async function previewInvoice(db: Database, portal: Portal, dealId: number, kind: 'new' | 'repeat', lang: Lang = 'ru'): Promise<PreviewResult> {
  const today = todayIn(portal.timeZone)
  if (kind === 'repeat') {
    const source = await latestIssuedInvoice(db, portal.memberId, dealId)
    if (!source?.billId) return { ok: false, problems: [invoiceMessages.nothingToRepeat] }
    const moedelo = await moedeloClientFor(db, portal.memberId)
    if (!moedelo) return { ok: false, problems: [invoiceMessages.notConnected] }
    const bill = await moedelo.getBill(source.billId)
    if (!bill) return { ok: false, problems: [invoiceMessages.sourceBillGone(source.number ?? '')] }
    return { ok: true, preview: repeatOfBill(bill, today).preview }
  }
  const deal = await readDealForInvoice(db, await bitrix24For(db, portal.memberId), portal.memberId, dealId)
  if (!deal) return { ok: false, problems: [invoiceMessages.dealGone] }
  const drafted = billDraftFromDeal(deal.snapshot, { today, paymentTermDays: portal.settings.paymentTermDays })
  if (!drafted.ok) return { ok: false, problems: problemTexts(drafted.problems, lang) }
  return { ok: true, preview: previewOfDealDraft(drafted.draft) }
}
