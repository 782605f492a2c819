/**
 * One poll of MoeDelo for a portal: what changed since the cursor, recorded, then told to Bitrix24.
 * MoeDelo has no webhooks (spec moedelo.md §4.5), so this runs every `PAYMENT_POLL_INTERVAL_SECONDS`.
 *
 * 1. Bills created or changed since `cursor − overlap` (`afterDate`, large pages). Only our invoices
 *    whose list entry differs from the mirror are read in full.
 * 2. Whether linking a payment moves a bill's ModifyDate is UNKNOWN (§4.5), so new incoming payments
 *    are also read from the money registry (§6.1) and the bills they name (or their payer's open
 *    bills) are read again.
 * 3. Every `PAYMENT_RECONCILE_INTERVAL_SECONDS` all watched bills are read: a bill MoeDelo no longer
 *    returns (404) was deleted → the invoice is cancelled (§12.3).
 * 4. Full bodies by `byIds` (≤ 100 per call), compared with the mirror and recorded with their deal
 *    effects in one transaction per bill.
 * 5. Only then the cursor moves (to the run's start, or MoeDelo's latest ModifyDate if later). A run
 *    that dies before reads everything again next time; recording is idempotent.
 * 6. The recorded effects are sent to Bitrix24 (deliver.ts), exactly once each.
 *
 * Cost is proportional to what changed: an idle portal costs one list request and one registry request.
 */
import type { Database } from '@/db/client'
import { bitrix24For, type Bitrix24Client } from '@/lib/bitrix24/client'
import { config } from '@/lib/config'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { releaseClaim, takeClaim } from '@/lib/counterparties/store'
import { paymentMessages } from '@/lib/domain/messages'
import { writeJournal } from '@/lib/jobs'
import { MoeDeloError, type Bill, type MoeDeloClient, type MoneyOperation } from '@/lib/moedelo'
import { getActivePortal } from '@/lib/portals/repository'
import { deliverPaymentEffects, PAYMENTS_TOPIC, type DeliverySummary } from './deliver'
import { summaryDiffers } from './mirror'
import { conditionOver, warnOnce } from './notices'
import { billsTouchedBy, MAX_BILLS_PER_UNNAMED_PAYMENT, numberTokens } from './registry-match'
import {
  candidatesByNumber,
  candidatesByPayer,
  firstWatchedAt,
  hasWatchedInvoices,
  loadPollState,
  mirroredByBillIds,
  recordBills,
  recordDeletedBill,
  recordedPaymentIds,
  savePollState,
  watchedBillIds,
} from './store'
import { addDays, localDate, MOSCOW } from './time'

/** Bills per list page (the server cap is unknown; clients ask for far more, spec §2.1). */
const LIST_PAGE_SIZE = 1000
const MAX_LIST_PAGES = 1000
/** One run at a time per portal; a run that died frees the portal after this. */
const RUN_LEASE_MS = 15 * 60_000
const LEASE_KEY = 'payments:poll'
const REGISTRY_REFUSED = 'registry-refused'

export interface PaymentPollOptions {
  moedelo?: MoeDeloClient
  bitrix24?: Bitrix24Client
  /** Our clock (tests move it). */
  now?: () => Date
  overlapSeconds?: number
  registryLookbackDays?: number
  reconcileIntervalSeconds?: number
  /** Read every watched bill in this run, whatever the interval says. */
  reconcile?: boolean
  /** An unconfirmed Bitrix24 send is checked and repeated after this (default: 3 × HTTP timeout). */
  takeoverAfterMs?: number
}

export interface PaymentPollSummary {
  status: 'done' | 'skipped' | 'busy'
  reason?: 'portal-inactive' | 'moedelo-not-connected'
  /** Bills MoeDelo listed as changed since the cursor. */
  listed: number
  /** New registry payments looked at. */
  registryPayments: number
  /** Bills read in full. */
  fetched: number
  /** Invoices whose mirror changed. */
  changed: number
  receipts: number
  /** Invoices that became fully paid. */
  paid: number
  /** Invoices cancelled because MoeDelo no longer has the bill. */
  cancelled: number
  reconciled: boolean
  /** The tariff does not give the money registry (403): payments were looked for through the bills only. */
  registryRefused: boolean
  /** The cursor after the run. */
  cursor: string | null
  delivery: DeliverySummary | null
}

const emptySummary = (): PaymentPollSummary => ({
  status: 'done',
  listed: 0,
  registryPayments: 0,
  fetched: 0,
  changed: 0,
  receipts: 0,
  paid: 0,
  cancelled: 0,
  reconciled: false,
  registryRefused: false,
  cursor: null,
  delivery: null,
})

const laterOf = (a: Date, b: string | null | undefined): Date => {
  const t = b ? Date.parse(b) : NaN
  return Number.isFinite(t) && t > a.getTime() ? new Date(t) : a
}

export async function runPaymentPoll(db: Database, memberId: string, options: PaymentPollOptions = {}): Promise<PaymentPollSummary> {
  const summary = emptySummary()
  if (!(await getActivePortal(db, memberId))) return { ...summary, status: 'skipped', reason: 'portal-inactive' }
  const md = options.moedelo ?? (await moedeloClientFor(db, memberId))
  if (!md) return { ...summary, status: 'skipped', reason: 'moedelo-not-connected' }
  const lease = await takeClaim(db, memberId, LEASE_KEY, RUN_LEASE_MS)
  if (!lease) return { ...summary, status: 'busy' }
  try {
    const cfg = config()
    const now = options.now ?? (() => new Date())
    const startedAt = now()
    const state = await loadPollState(db, memberId)
    summary.cursor = state.cursor

    if (await hasWatchedInvoices(db, memberId)) {
      const overlapMs = (options.overlapSeconds ?? cfg.PAYMENT_POLL_OVERLAP_SECONDS) * 1000
      const since = state.cursor ? new Date(state.cursor) : ((await firstWatchedAt(db, memberId)) ?? startedAt)
      const afterDate = new Date(since.getTime() - overlapMs)
      const reconcileMs = (options.reconcileIntervalSeconds ?? cfg.PAYMENT_RECONCILE_INTERVAL_SECONDS) * 1000
      const reconcile =
        options.reconcile === true || !state.lastReconciledAt || startedAt.getTime() - state.lastReconciledAt.getTime() >= reconcileMs

      const toFetch = new Set<number>()
      for (const billId of await changedBills(db, memberId, md, afterDate, summary)) toFetch.add(billId)
      const registryStart = addDays(localDate(afterDate, MOSCOW), -(options.registryLookbackDays ?? cfg.PAYMENT_REGISTRY_LOOKBACK_DAYS))
      // The end is a day past the later of our clock and the cursor: MoeDelo's clock may run ahead.
      const registryEnd = addDays(localDate(laterOf(startedAt, state.cursor), MOSCOW), 1)
      const registry = await billsOfNewPayments(db, memberId, md, { start: registryStart, end: registryEnd, afterDate }, summary)
      for (const billId of registry.billIds) toFetch.add(billId)
      if (reconcile) for (const billId of await watchedBillIds(db, memberId)) toFetch.add(billId)

      const bills = await readBills(md, [...toFetch])
      summary.fetched = bills.found.length
      let cursor = startedAt
      for (const bill of bills.found) cursor = laterOf(cursor, bill.modifiedAt)
      const touchedInvoices = new Set<string>()
      for (const change of await recordBills(db, memberId, bills.found)) {
        summary.changed += 1
        summary.receipts += change.receipts
        if (change.receipts > 0) touchedInvoices.add(change.invoiceId)
        if (change.becamePaid) summary.paid += 1
      }
      for (const billId of bills.deleted) {
        const cancelled = await recordDeletedBill(db, memberId, billId)
        if (!cancelled) continue
        summary.cancelled += 1
        await writeJournal(db, {
          memberId,
          level: 'info',
          topic: PAYMENTS_TOPIC,
          entityType: 'deal',
          entityId: cancelled.dealId,
          message: paymentMessages.journalCancelled(cancelled.dealId, cancelled.number),
          details: { billId, invoiceId: cancelled.invoiceId },
        })
      }
      for (const modifiedAt of registry.modifiedAt) cursor = laterOf(cursor, modifiedAt)
      if (summary.receipts > 0) {
        await writeJournal(db, {
          memberId,
          level: 'info',
          topic: PAYMENTS_TOPIC,
          message: paymentMessages.journalReceipts(summary.receipts, touchedInvoices.size),
          details: { receipts: summary.receipts, paid: summary.paid },
        })
      }

      // Everything read is recorded: only now does the cursor move (never backwards).
      const next = state.cursor && Date.parse(state.cursor) > cursor.getTime() ? state.cursor : cursor.toISOString()
      summary.cursor = next
      summary.reconciled = reconcile
      await savePollState(db, memberId, {
        cursor: next,
        registryCursor: registryStart,
        lastRunAt: startedAt,
        ...(reconcile ? { lastReconciledAt: startedAt } : {}),
      })
    } else {
      await savePollState(db, memberId, { lastRunAt: startedAt })
    }

    let client = options.bitrix24
    summary.delivery = await deliverPaymentEffects(db, memberId, async () => (client ??= await bitrix24For(db, memberId)), {
      takeoverAfterMs: options.takeoverAfterMs ?? 3 * cfg.HTTP_TIMEOUT_MS,
      now,
    })
    return summary
  } finally {
    await releaseClaim(db, memberId, LEASE_KEY, lease)
  }
}

/** Our watched bills among those MoeDelo lists as created or changed since `afterDate`, whose entry differs from the mirror. */
async function changedBills(db: Database, memberId: string, md: MoeDeloClient, afterDate: Date, summary: PaymentPollSummary): Promise<number[]> {
  const listed = new Map<number, Awaited<ReturnType<MoeDeloClient['findBills']>>['items'][number]>()
  for (let pageNo = 1; pageNo <= MAX_LIST_PAGES; pageNo += 1) {
    const page = await md.findBills({ afterDate, pageNo, pageSize: LIST_PAGE_SIZE })
    for (const item of page.items) listed.set(item.id, item)
    if (page.items.length === 0 || listed.size >= page.totalCount) break
  }
  summary.listed = listed.size
  if (listed.size === 0) return []
  const mirrored = await mirroredByBillIds(db, memberId, [...listed.keys()])
  return mirrored.filter((invoice) => summaryDiffers(invoice, listed.get(invoice.billId)!)).map((invoice) => invoice.billId)
}

/** New incoming payments in the registry window and the watched bills they may have touched. */
async function billsOfNewPayments(
  db: Database,
  memberId: string,
  md: MoeDeloClient,
  window: { start: string; end: string; afterDate: Date },
  summary: PaymentPollSummary,
): Promise<{ billIds: number[]; modifiedAt: string[] }> {
  let operations: MoneyOperation[]
  try {
    operations = await md.incomingPayments({ startDate: window.start, endDate: window.end })
    await conditionOver(db, memberId, REGISTRY_REFUSED)
  } catch (error) {
    // A tariff without the Money service: the registry is a backstop, the bills still show payments.
    if (!(error instanceof MoeDeloError && error.kind === 'forbidden')) throw error
    summary.registryRefused = true
    await warnOnce(db, memberId, REGISTRY_REFUSED, paymentMessages.journalRegistryRefused(error.userMessage))
    return { billIds: [], modifiedAt: [] }
  }
  // New: changed since the window (when MoeDelo says when) and not a receipt we have already.
  const recent = operations.filter((op) => !op.modifiedAt || Date.parse(op.modifiedAt) >= window.afterDate.getTime())
  const recorded = await recordedPaymentIds(db, memberId, recent.map((op) => op.id))
  const fresh = recent.filter((op) => !recorded.has(op.id))
  summary.registryPayments = fresh.length
  if (fresh.length === 0) return { billIds: [], modifiedAt: [] }
  const byNumber = await candidatesByNumber(db, memberId, fresh.flatMap((op) => numberTokens(op.description)))
  // The payer's open bills only for payments whose purpose names none of our bills.
  const unnamed = fresh.filter((op) => billsTouchedBy([op], byNumber, []).length === 0)
  const payers = unnamed.flatMap((op) => (op.kontragentId === null ? [] : [op.kontragentId]))
  const byPayer = await candidatesByPayer(db, memberId, payers, MAX_BILLS_PER_UNNAMED_PAYMENT)
  return { billIds: billsTouchedBy(fresh, byNumber, byPayer), modifiedAt: fresh.flatMap((op) => (op.modifiedAt ? [op.modifiedAt] : [])) }
}

/** Full bills by id; an id `byIds` does not return is checked on its own — 404 means deleted. */
async function readBills(md: MoeDeloClient, ids: number[]): Promise<{ found: Bill[]; deleted: number[] }> {
  if (ids.length === 0) return { found: [], deleted: [] }
  const found = await md.billsByIds(ids)
  const returned = new Set(found.map((b) => b.id))
  const deleted: number[] = []
  for (const id of ids) {
    if (returned.has(id)) continue
    const bill = await md.getBill(id)
    if (bill) found.push(bill)
    else deleted.push(id)
  }
  return { found, deleted }
}
