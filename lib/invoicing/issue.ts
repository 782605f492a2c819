/**
 * One invoice request, start to finish (the `invoice.issue` job): read the deal → check it → the buyer
 * in MoeDelo → the bill, made exactly once per internal invoice id → number, link and PDF into the deal.
 *
 * Exactly once: the create step runs under a claim; the first attempt records when it started and the
 * bill's date and expected sum before sending. A retry after a crash between "MoeDelo made the bill" and
 * "we recorded it" looks the bill up first — same counterparty, same document date, same sum, not yet
 * recorded for another invoice — and adopts it instead of creating another. MoeDelo numbers bills
 * itself, so the number is not known in advance (moedelo.md §11 suggests number + counterparty when it is).
 */
import type { Database } from '@/db'
import type { Portal } from '@/lib/portals/repository'
import { bitrix24For, type Bitrix24Client } from '@/lib/bitrix24/client'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { AppError, isRetryable, serviceOf } from '@/lib/errors'
import { formatMoney } from '@/lib/domain/kopecks'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import { invoiceProblemMessage } from '@/lib/domain/messages'
import { billDraftFromDeal, type InvoiceProblem } from '@/lib/invoices'
import { isMoeDeloError, type Bill, type BillDraft, type MoeDeloClient } from '@/lib/moedelo'
import { getActivePortal } from '@/lib/portals/repository'
import { releaseClaim, takeClaim, takeOnce } from '@/lib/counterparties/store'
import { writeJournal, type JournalLevel } from '@/lib/jobs'
import { moneyTextRu } from '@/lib/domain/messages'
import { readDealForInvoice, type DealMeta } from './deal-reader'
import { billFromDealDraft, repeatOfBill, todayIn } from './draft'
import { kontragentFor } from './kontragent'
import { getInvoice, markCreateStarted, recordedBillIds, updateInvoice, type InvoiceRow } from './store'
import { CatalogSyncError, ensureStockGoods, forgetStockGoods } from '@/lib/catalog'
import { writeInvoiceToDeal } from './write-back'

/** A stored reason: a check problem (rendered in the viewer's language) or a ready sentence. */
export type StoredProblem = InvoiceProblem | { code: 'text'; text: string }

export type IssueOutcome =
  | { kind: 'issued'; invoice: InvoiceRow }
  | { kind: 'rejected'; problems: StoredProblem[] }
  | { kind: 'failed'; message: string }
  | { kind: 'skipped'; reason: 'gone' | 'inactive' | 'finished' }

export interface IssueOptions {
  now?: Date
}

const FINISHED = new Set(['rejected', 'failed', 'cancelled'])
/** A run that has not finished within this time belongs to a worker that died. */
const RUN_CLAIM_STALE_MS = 120_000

/** Another run (the request's own, or its queued job) is working on this very invoice: try again shortly. */
class InvoiceBusyError extends AppError {
  constructor(id: string) {
    super(`invoice ${id} is being worked on by another run`, { userMessage: invoiceMessages.inFlight, retryable: true })
  }
}

/** What the bill will be, or why it cannot be made. */
type Prepared =
  | { ok: true; bill: BillDraft; expectedSum: string }
  | { ok: false; problems: StoredProblem[] }
  | { ok: false; failure: string }

const BILL_STATUS_CODE = { unpaid: 4, partially_paid: 5, paid: 6 } as const

export const problemTexts = (problems: readonly StoredProblem[], lang: 'ru' | 'en' = 'ru'): string[] =>
  problems.map((p) => (p.code === 'text' ? p.text : invoiceProblemMessage(p, lang)))

async function prepareNew(db: Database, portal: Portal, invoice: InvoiceRow, clients: { bitrix: Bitrix24Client; moedelo: MoeDeloClient }, today: string, deal: { snapshot: Parameters<typeof billDraftFromDeal>[0] }): Promise<Prepared> {
  const drafted = billDraftFromDeal(deal.snapshot, { today: invoice.docDate ?? today, paymentTermDays: portal.settings.paymentTermDays })
  if (!drafted.ok) return { ok: false, problems: drafted.problems }
  const buyer = drafted.draft.kontragent
  const kontragent = await kontragentFor(db, invoice.memberId, clients.moedelo, buyer)
  if (!kontragent.ok) return { ok: false, problems: [{ code: 'text', text: invoiceMessages.counterpartyNotLinked(buyer.title, kontragent.reason) }] }
  const productIds = drafted.draft.items.filter((i) => i.type === 1 && i.productId > 0).map((i) => i.productId)
  let goods: Map<number, number>
  try {
    goods = await ensureStockGoods(db, invoice.memberId, clients, productIds)
  } catch (error) {
    if (error instanceof CatalogSyncError) return { ok: false, problems: [{ code: 'text', text: error.userMessage }] }
    throw error
  }
  return { ok: true, bill: billFromDealDraft(drafted.draft, kontragent.kontragentId, goods), expectedSum: drafted.draft.totals.sum }
}

async function prepareRepeat(db: Database, invoice: InvoiceRow, moedelo: MoeDeloClient, today: string): Promise<Prepared> {
  const source = invoice.repeatOf ? await getInvoice(db, invoice.memberId, invoice.repeatOf) : undefined
  if (!source?.billId) return { ok: false, failure: invoiceMessages.nothingToRepeat }
  const bill = await moedelo.getBill(source.billId)
  if (!bill) return { ok: false, failure: invoiceMessages.sourceBillGone(source.number ?? String(source.billId)) }
  const copy = repeatOfBill(bill, invoice.docDate ?? today)
  return { ok: true, bill: copy.bill, expectedSum: copy.preview.totals.sum }
}

/** A bill an earlier attempt of this invoice made but did not record (see the module comment). */
async function findUnrecordedBill(db: Database, moedelo: MoeDeloClient, invoice: InvoiceRow, bill: BillDraft, expectedSum: string): Promise<Bill | undefined> {
  const page = await moedelo.findBills({ kontragentId: bill.kontragentId, docAfterDate: bill.docDate, docBeforeDate: bill.docDate, pageSize: 100 })
  const candidates = page.items.filter((b) => formatMoney(b.total) === expectedSum).sort((a, b) => a.id - b.id)
  const taken = await recordedBillIds(db, invoice.memberId, candidates.map((b) => b.id))
  const found = candidates.find((b) => !taken.has(b.id))
  return found ? ((await moedelo.getBill(found.id)) ?? undefined) : undefined
}

async function createOnce(db: Database, moedelo: MoeDeloClient, invoice: InvoiceRow, prepared: { bill: BillDraft; expectedSum: string }): Promise<InvoiceRow> {
  const fresh = (await getInvoice(db, invoice.memberId, invoice.id)) ?? invoice
  if (fresh.billId) return fresh
  const triedBefore = fresh.createStartedAt !== null
  await markCreateStarted(db, invoice.memberId, invoice.id, prepared.bill.kontragentId)
  await updateInvoice(db, invoice.memberId, invoice.id, { docDate: prepared.bill.docDate ?? null, sum: prepared.expectedSum })
  const bill = (triedBefore ? await findUnrecordedBill(db, moedelo, fresh, prepared.bill, prepared.expectedSum) : undefined) ?? (await moedelo.createBill(prepared.bill))
  return await updateInvoice(db, invoice.memberId, invoice.id, {
    state: 'created',
    billId: bill.id,
    number: bill.number,
    docDate: bill.docDate,
    deadline: bill.deadline,
    sum: formatMoney(bill.total),
    paidSum: formatMoney(bill.paid),
    billStatus: bill.status ? BILL_STATUS_CODE[bill.status] : 4,
    onlinePath: bill.onlinePath,
    billModifiedAt: bill.modifiedAt,
    errorMessage: null,
    problems: null,
  })
}

/** From a stage trigger nobody is looking at the deal tab: tell the responsible manager, once per invoice. */
async function tellManager(db: Database, bitrix: Bitrix24Client, invoice: InvoiceRow, meta: DealMeta, text: { notification: string; comment: string }) {
  if (invoice.trigger !== 'stage') return
  if (!(await takeOnce(db, invoice.memberId, `invoice:${invoice.id}:told`))) return
  const calls: Record<string, readonly [string, Record<string, unknown>]> = {
    comment: ['crm.timeline.comment.add', { fields: { ENTITY_ID: invoice.dealId, ENTITY_TYPE: 'deal', COMMENT: text.comment } }],
  }
  if (meta.assignedById) calls.notify = ['im.notify.system.add', { USER_ID: meta.assignedById, MESSAGE: text.notification, TAG: `md-invoice-${invoice.id}` }]
  // A manager who left the portal must not stop anything: per-command failures are ignored.
  await bitrix.batch(calls)
}

async function makeBill(db: Database, portal: Portal, invoice: InvoiceRow, opts: IssueOptions): Promise<IssueOutcome> {
  const memberId = invoice.memberId
  const bitrix = await bitrix24For(db, memberId)
  const moedelo = await moedeloClientFor(db, memberId)
  const fail = async (message: string, meta?: DealMeta): Promise<IssueOutcome> => {
    await updateInvoice(db, memberId, invoice.id, { state: 'failed', errorMessage: message })
    if (meta) await tellManager(db, bitrix, invoice, meta, { notification: invoiceMessages.refusedNotification(meta.id, meta.title, message), comment: invoiceMessages.refusedComment(message) })
    return { kind: 'failed', message }
  }
  if (!moedelo) return fail(invoiceMessages.notConnected)
  const today = todayIn(portal.timeZone, opts.now)

  let meta: DealMeta | undefined
  const prepare = async (): Promise<Prepared | 'gone'> => {
    if (invoice.trigger === 'repeat') return prepareRepeat(db, invoice, moedelo, today)
    const deal = await readDealForInvoice(db, bitrix, memberId, invoice.dealId)
    if (!deal) return 'gone'
    meta = deal.meta
    return prepareNew(db, portal, invoice, { bitrix, moedelo }, today, deal)
  }

  // Twice at most: a bill refused for stock goods the accountant deleted is prepared again after
  // forgetting their links, which makes the goods anew.
  for (let round = 1; ; round += 1) {
    const prepared = await prepare()
    if (prepared === 'gone') return fail(invoiceMessages.dealGone)
    if (!prepared.ok) {
      if ('failure' in prepared) return fail(prepared.failure, meta)
      await updateInvoice(db, memberId, invoice.id, { state: 'rejected', problems: prepared.problems, errorMessage: null })
      if (meta) {
        const texts = problemTexts(prepared.problems)
        await tellManager(db, bitrix, invoice, meta, {
          notification: invoiceMessages.rejectedNotification(meta.id, meta.title, texts),
          comment: invoiceMessages.rejectedComment(texts),
        })
      }
      return { kind: 'rejected', problems: prepared.problems }
    }
    try {
      const created = await createOnce(db, moedelo, invoice, prepared)
      return { kind: 'issued', invoice: await writeInvoiceToDeal(db, { bitrix, moedelo }, created) }
    } catch (error) {
      if (!isMoeDeloError(error) || error.retryable || error.kind !== 'validation') throw error
      const staleGoods = prepared.bill.items.flatMap((i) => (i.stockProductId ? [i.stockProductId] : []))
      if (round === 1 && staleGoods.length > 0 && error.issues.some((i) => /StockProductId/i.test(i.field ?? ''))) {
        await forgetStockGoods(db, memberId, staleGoods)
        continue
      }
      // MoeDelo's own validation: the reason in plain words; nothing was created.
      return fail(error.userMessage, meta)
    }
  }
}

async function journalOutcome(db: Database, invoice: InvoiceRow, outcome: IssueOutcome): Promise<void> {
  const entry = (level: JournalLevel, message: string, details?: Record<string, unknown>) =>
    writeJournal(db, { memberId: invoice.memberId, level, topic: 'invoice', entityType: 'deal', entityId: invoice.dealId, message, details: { invoiceId: invoice.id, ...details } })
  if (outcome.kind === 'issued') {
    const i = outcome.invoice
    await entry('info', `Выставлен счёт № ${i.number} на сумму ${moneyTextRu(i.sum ?? '0')} по сделке №${i.dealId}.`, { billId: i.billId, pdf: i.pdf })
  } else if (outcome.kind === 'rejected') {
    await entry('warning', `Счёт по сделке №${invoice.dealId} не выставлен: ${problemTexts(outcome.problems).join('; ')}`)
  } else if (outcome.kind === 'failed') {
    await entry('error', `Счёт по сделке №${invoice.dealId} не выставлен: ${outcome.message}`)
  }
}

/** The `invoice.issue` job body. Throws retryable errors (the job layer retries 5/15/45 s, then parks). */
export async function issueInvoice(db: Database, memberId: string, invoiceId: string, opts: IssueOptions = {}): Promise<IssueOutcome> {
  const seen = await getInvoice(db, memberId, invoiceId)
  if (!seen) return { kind: 'skipped', reason: 'gone' }
  if (FINISHED.has(seen.state) || seen.dealWrittenAt) return seen.dealWrittenAt ? { kind: 'issued', invoice: seen } : { kind: 'skipped', reason: 'finished' }
  const portal = await getActivePortal(db, memberId)
  if (!portal) return { kind: 'skipped', reason: 'inactive' }
  // One run per invoice at a time: the bill is made once, the deal written once.
  const claimKey = `invoice:${invoiceId}:run`
  const token = await takeClaim(db, memberId, claimKey, RUN_CLAIM_STALE_MS)
  if (!token) throw new InvoiceBusyError(invoiceId)
  try {
    const invoice = (await getInvoice(db, memberId, invoiceId)) ?? seen
    if (FINISHED.has(invoice.state)) return { kind: 'skipped', reason: 'finished' }
    if (invoice.state === 'created') {
      if (invoice.dealWrittenAt) return { kind: 'issued', invoice }
      const [bitrix, moedelo] = await Promise.all([bitrix24For(db, memberId), moedeloClientFor(db, memberId)])
      if (!moedelo) return { kind: 'failed', message: invoiceMessages.notConnected }
      return { kind: 'issued', invoice: await writeInvoiceToDeal(db, { bitrix, moedelo }, invoice) }
    }
    const outcome = await makeBill(db, portal, invoice, opts)
    await journalOutcome(db, invoice, outcome)
    return outcome
  } catch (error) {
    if (isRetryable(error)) {
      const current = await getInvoice(db, memberId, invoiceId)
      if (current && current.state !== 'created') {
        await updateInvoice(db, memberId, invoiceId, {
          state: 'waiting',
          errorMessage: serviceOf(error) === 'bitrix24' ? invoiceMessages.waitingBitrix : invoiceMessages.waiting,
        })
      }
    }
    throw error
  } finally {
    await releaseClaim(db, memberId, claimKey, token)
  }
}
