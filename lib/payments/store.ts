/**
 * The payment poller's database side: our mirror of MoeDelo bills (`invoices`, `invoice_payments`),
 * the per-portal cursor (`payment_poll_state`) and the effects each change causes (`payment_effects`).
 * A change and its effects are written in one transaction, so a crash leaves either both or neither.
 */
import { and, asc, desc, eq, inArray, isNotNull, min, ne, sql } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { invoicePayments, invoices, paymentEffects, paymentPollState } from '@/db/schema'
import type { Db } from '@/lib/portals/repository'
import { paymentMessages } from '@/lib/domain/messages'
import type { Bill } from '@/lib/moedelo'
import { BILL_STATUS_CODES, compareWithBill, type MirroredInvoice } from './mirror'
import type { MatchCandidate } from './registry-match'

export type PollState = typeof paymentPollState.$inferSelect

const CHUNK = 1000

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

const mirrorColumns = {
  id: invoices.id,
  dealId: invoices.dealId,
  billId: invoices.billId,
  number: invoices.number,
  docDate: invoices.docDate,
  deadline: invoices.deadline,
  sum: invoices.sum,
  paidSum: invoices.paidSum,
  billStatus: invoices.billStatus,
  billModifiedAt: invoices.billModifiedAt,
}

/** Invoices the poller watches: made in MoeDelo and not cancelled. */
const watched = (memberId: string) => and(eq(invoices.memberId, memberId), eq(invoices.state, 'created'), isNotNull(invoices.billId))
/**
 * Lookups by bill id, number or payer filter "watched" in code, so the query stays on the index of the
 * looked-up column (a planner without fresh statistics may otherwise scan every open invoice).
 */
const isWatched = (row: { state: string; billId: number | null }) => row.state === 'created' && row.billId !== null

// ---------- poll state ----------

export async function loadPollState(db: Database, memberId: string): Promise<PollState> {
  await db.insert(paymentPollState).values({ memberId }).onConflictDoNothing()
  const [row] = await db.select().from(paymentPollState).where(eq(paymentPollState.memberId, memberId))
  return row!
}

export async function savePollState(db: Database, memberId: string, patch: Partial<Omit<PollState, 'memberId'>>): Promise<void> {
  await db.update(paymentPollState).set(patch).where(eq(paymentPollState.memberId, memberId))
}

// ---------- what to read ----------

export async function hasWatchedInvoices(db: Database, memberId: string): Promise<boolean> {
  const rows = await db.select({ id: invoices.id }).from(invoices).where(watched(memberId)).limit(1)
  return rows.length > 0
}

/** When the oldest watched invoice was recorded: where a portal's first poll starts reading. */
export async function firstWatchedAt(db: Database, memberId: string): Promise<Date | null> {
  const [row] = await db.select({ first: min(invoices.createdAt) }).from(invoices).where(watched(memberId))
  return row?.first ? new Date(row.first) : null
}

/** Our watched invoices among these MoeDelo bill ids. */
export async function mirroredByBillIds(db: Database, memberId: string, billIds: readonly number[]): Promise<MirroredInvoice[]> {
  const out: MirroredInvoice[] = []
  for (const part of chunks([...new Set(billIds)])) {
    const rows = await db
      .select({ ...mirrorColumns, state: invoices.state })
      .from(invoices)
      .where(and(eq(invoices.memberId, memberId), inArray(invoices.billId, part)))
    out.push(...rows.filter(isWatched).map(({ state: _state, ...r }) => ({ ...r, billId: r.billId! })))
  }
  return out
}

/** Every watched bill id (the periodic reconciliation reads them all). */
export async function watchedBillIds(db: Database, memberId: string): Promise<number[]> {
  const rows = await db.select({ billId: invoices.billId }).from(invoices).where(watched(memberId)).orderBy(asc(invoices.billId))
  return rows.map((r) => r.billId!)
}

/** Which of these MoeDelo payment ids are recorded receipts already. */
export async function recordedPaymentIds(db: Database, memberId: string, paymentIds: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>()
  for (const part of chunks([...new Set(paymentIds)])) {
    const rows = await db
      .select({ paymentId: invoicePayments.paymentId })
      .from(invoicePayments)
      .where(and(eq(invoicePayments.memberId, memberId), inArray(invoicePayments.paymentId, part)))
    for (const r of rows) found.add(r.paymentId)
  }
  return found
}

/** Watched invoices whose number is one of these words (a payment purpose names the bill). */
export async function candidatesByNumber(db: Database, memberId: string, numbers: readonly string[]): Promise<MatchCandidate[]> {
  const out: MatchCandidate[] = []
  for (const part of chunks([...new Set(numbers)])) {
    const rows = await db
      .select({ billId: invoices.billId, number: invoices.number, kontragentId: invoices.kontragentId, state: invoices.state })
      .from(invoices)
      .where(and(eq(invoices.memberId, memberId), inArray(invoices.number, part)))
    out.push(...rows.filter(isWatched).map((r) => ({ billId: r.billId!, number: r.number, kontragentId: r.kontragentId })))
  }
  return out
}

/** Up to `perPayer` watched invoices of each payer that are not «Оплачен» in our mirror, newest first. */
export async function candidatesByPayer(db: Database, memberId: string, kontragentIds: readonly number[], perPayer: number): Promise<MatchCandidate[]> {
  const out: MatchCandidate[] = []
  for (const kontragentId of new Set(kontragentIds)) {
    const rows = await db
      .select({ billId: invoices.billId, number: invoices.number, kontragentId: invoices.kontragentId, state: invoices.state })
      .from(invoices)
      .where(
        and(
          eq(invoices.memberId, memberId),
          eq(invoices.kontragentId, kontragentId),
          eq(invoices.state, 'created'),
          isNotNull(invoices.billId),
          sql`${invoices.billStatus} is distinct from ${BILL_STATUS_CODES.paid}`,
        ),
      )
      .orderBy(desc(invoices.createdAt))
      .limit(perPayer)
    out.push(...rows.map((r) => ({ billId: r.billId!, number: r.number, kontragentId: r.kontragentId })))
  }
  return out
}

// ---------- recording ----------

export interface RecordedChange {
  invoiceId: string
  dealId: number
  receipts: number
  becamePaid: boolean
}

const effectKeys = { target: [paymentEffects.memberId, paymentEffects.key] }

/** The deals' «Оплачено» amounts are due again (one row per deal, re-armed). */
async function rearmPaidField(tx: Db, memberId: string, dealIds: readonly number[]): Promise<void> {
  if (dealIds.length === 0) return
  await tx
    .insert(paymentEffects)
    .values(dealIds.map((dealId) => ({ memberId, key: `paid_field:${dealId}`, kind: 'paid_field' as const, dealId })))
    .onConflictDoUpdate({ ...effectKeys, set: { state: 'pending', attempts: 0, outcome: null, sentAt: null, doneAt: null } })
}

/** Bills recorded per transaction: one run's changes land together, without holding locks for long. */
const RECORD_CHUNK = 500

/**
 * Brings invoices in line with the bills as MoeDelo returned them: fields, new receipts with their
 * timeline entries, the stage move when a bill just became fully paid, the deal's «Оплачено» field —
 * each chunk of bills in one transaction. Bills that are not watched invoices, or unchanged, are skipped.
 */
export async function recordBills(db: Database, memberId: string, bills: readonly Bill[]): Promise<RecordedChange[]> {
  const changes: RecordedChange[] = []
  for (const part of chunks(bills, RECORD_CHUNK)) changes.push(...(await recordChunk(db, memberId, part)))
  return changes
}

/** One bill (tests, and what a run that died half-way would have recorded). */
export async function recordBill(db: Database, memberId: string, bill: Bill): Promise<RecordedChange | undefined> {
  return (await recordBills(db, memberId, [bill]))[0]
}

async function recordChunk(db: Database, memberId: string, bills: readonly Bill[]): Promise<RecordedChange[]> {
  return db.transaction(async (tx) => {
    const rows = (
      await tx
        .select({ ...mirrorColumns, state: invoices.state })
        .from(invoices)
        .where(and(eq(invoices.memberId, memberId), inArray(invoices.billId, bills.map((b) => b.id))))
        .orderBy(asc(invoices.id))
        .for('update')
    ).filter(isWatched)
    if (rows.length === 0) return []
    const recorded = await tx
      .select({ invoiceId: invoicePayments.invoiceId, paymentId: invoicePayments.paymentId, sum: invoicePayments.sum })
      .from(invoicePayments)
      .where(and(eq(invoicePayments.memberId, memberId), inArray(invoicePayments.invoiceId, rows.map((r) => r.id))))
    const byBill = new Map(bills.map((b) => [b.id, b]))

    const changes: RecordedChange[] = []
    const updates: { id: string; update: ReturnType<typeof compareWithBill>['update'] }[] = []
    const receipts: (typeof invoicePayments.$inferInsert)[] = []
    const effects: (typeof paymentEffects.$inferInsert)[] = []
    const paidFieldDeals = new Set<number>()
    for (const { state: _state, ...row } of rows) {
      const invoice: MirroredInvoice = { ...row, billId: row.billId! }
      const change = compareWithBill(
        invoice,
        recorded.filter((r) => r.invoiceId === invoice.id),
        byBill.get(invoice.billId)!,
      )
      if (!change.changed) continue
      updates.push({ id: invoice.id, update: change.update })
      for (const r of change.receipts) {
        receipts.push({ memberId, invoiceId: invoice.id, paymentId: r.paymentId, number: r.number, date: r.date, sum: r.sum })
        effects.push({ memberId, key: `receipt:${invoice.id}:${r.paymentId}`, kind: 'receipt', dealId: invoice.dealId, invoiceId: invoice.id, comment: r.comment })
      }
      if (change.becamePaid) effects.push({ memberId, key: `paid:${invoice.id}`, kind: 'paid', dealId: invoice.dealId, invoiceId: invoice.id })
      if (change.paidAmountChanged) paidFieldDeals.add(invoice.dealId)
      changes.push({ invoiceId: invoice.id, dealId: invoice.dealId, receipts: change.receipts.length, becamePaid: change.becamePaid })
    }
    await updateMirrors(tx, updates)
    if (receipts.length > 0) await tx.insert(invoicePayments).values(receipts).onConflictDoNothing()
    if (effects.length > 0) await tx.insert(paymentEffects).values(effects).onConflictDoNothing(effectKeys)
    await rearmPaidField(tx, memberId, [...paidFieldDeals])
    return changes
  })
}

/** All changed mirrors of a chunk in one statement (`UPDATE … FROM (VALUES …)`). */
async function updateMirrors(tx: Db, updates: readonly { id: string; update: ReturnType<typeof compareWithBill>['update'] }[]): Promise<void> {
  if (updates.length === 0) return
  const rows = updates.map(
    ({ id, update: u }) =>
      sql`(${id}, ${u.number}, ${u.docDate}, ${u.deadline}, ${u.sum}, ${u.paidSum}, ${u.billStatus === null ? null : String(u.billStatus)}, ${u.billModifiedAt})`,
  )
  await tx.execute(sql`
    update ${invoices} set
      number = v.number, doc_date = v.doc_date, deadline = v.deadline, sum = v.sum, paid_sum = v.paid_sum,
      bill_status = v.bill_status::integer, bill_modified_at = v.bill_modified_at, updated_at = now()
    from (values ${sql.join(rows, sql`, `)}) as v(id, number, doc_date, deadline, sum, paid_sum, bill_status, bill_modified_at)
    where ${invoices.id} = v.id`)
}

export interface CancelledInvoice {
  invoiceId: string
  dealId: number
  number: string | null
}

/** The bill is gone from MoeDelo (404): the invoice is cancelled, the deal hears it once, its «Оплачено» drops. */
export async function recordDeletedBill(db: Database, memberId: string, billId: number): Promise<CancelledInvoice | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(invoices)
      .set({ state: 'cancelled', cancelledAt: new Date(), updatedAt: new Date() })
      .where(and(eq(invoices.memberId, memberId), eq(invoices.billId, billId), eq(invoices.state, 'created')))
      .returning({ id: invoices.id, dealId: invoices.dealId, number: invoices.number, docDate: invoices.docDate, sum: invoices.sum })
    if (!row) return undefined
    await tx
      .insert(paymentEffects)
      .values({
        memberId,
        key: `cancelled:${row.id}`,
        kind: 'cancelled',
        dealId: row.dealId,
        invoiceId: row.id,
        comment: paymentMessages.cancelled(row.number, row.docDate, row.sum),
      })
      .onConflictDoNothing(effectKeys)
    await rearmPaidField(tx, memberId, [row.dealId])
    return { invoiceId: row.id, dealId: row.dealId, number: row.number }
  })
}

// ---------- the effects queue ----------

export type PaymentEffect = typeof paymentEffects.$inferSelect


const isDue = (takeoverBefore: Date) =>
  sql`(${paymentEffects.state} = 'pending' or (${paymentEffects.state} = 'sending' and ${paymentEffects.sentAt} < ${takeoverBefore.toISOString()}::timestamptz))`

/** Effects to send now: pending ones, and sends left unconfirmed since before `takeoverBefore`. */
export async function dueEffects(db: Database, memberId: string, takeoverBefore: Date, limit: number): Promise<PaymentEffect[]> {
  return db
    .select()
    .from(paymentEffects)
    .where(and(eq(paymentEffects.memberId, memberId), ne(paymentEffects.state, 'done'), isDue(takeoverBefore)))
    .orderBy(asc(paymentEffects.id))
    .limit(limit)
}

/**
 * Marks effects as handed to Bitrix24, each only if it is still due (nobody else took it meanwhile);
 * returns the ids this caller now owns.
 */
export async function claimEffects(db: Database, ids: readonly number[], takeoverBefore: Date): Promise<Set<number>> {
  const owned = new Set<number>()
  for (const part of chunks([...ids])) {
    const rows = await db
      .update(paymentEffects)
      .set({ state: 'sending', sentAt: new Date() })
      .where(and(inArray(paymentEffects.id, part), isDue(takeoverBefore)))
      .returning({ id: paymentEffects.id })
    for (const r of rows) owned.add(r.id)
  }
  return owned
}

/**
 * Claimed but nothing was sent (a read failed first): due again right away, in the state they were
 * claimed from — an earlier unconfirmed send stays unconfirmed, so it is still checked before sending.
 */
export async function releaseEffects(db: Database, effects: readonly Pick<PaymentEffect, 'id' | 'state'>[]): Promise<void> {
  const pending = effects.filter((e) => e.state === 'pending').map((e) => e.id)
  const unconfirmed = effects.filter((e) => e.state === 'sending').map((e) => e.id)
  for (const part of chunks(pending)) {
    await db.update(paymentEffects).set({ state: 'pending', sentAt: null }).where(inArray(paymentEffects.id, part))
  }
  for (const part of chunks(unconfirmed)) {
    await db.update(paymentEffects).set({ state: 'sending', sentAt: new Date(0) }).where(inArray(paymentEffects.id, part))
  }
}

/** Fixes a text decided at send time (a note why the stage stays) before it is sent. */
export async function fixEffectComment(db: Database, id: number, comment: string): Promise<void> {
  await db.update(paymentEffects).set({ comment }).where(eq(paymentEffects.id, id))
}

export async function finishEffects(db: Database, ids: readonly number[], outcome: string): Promise<void> {
  for (const part of chunks([...ids])) {
    await db.update(paymentEffects).set({ state: 'done', outcome, doneAt: new Date() }).where(inArray(paymentEffects.id, part))
  }
}

/** A send Bitrix24 refused: back to pending with one more attempt; true when the attempts ran out. */
export async function failEffect(db: Database, id: number, maxAttempts: number): Promise<boolean> {
  const [row] = await db
    .update(paymentEffects)
    .set({ state: 'pending', attempts: sql`${paymentEffects.attempts} + 1`, sentAt: null })
    .where(eq(paymentEffects.id, id))
    .returning({ attempts: paymentEffects.attempts })
  if ((row?.attempts ?? 0) < maxAttempts) return false
  await db.update(paymentEffects).set({ state: 'done', outcome: 'failed', doneAt: new Date() }).where(eq(paymentEffects.id, id))
  return true
}

/** The receipts' timeline entries are written: the receipt rows say so too. */
export async function markReceiptsAnnounced(db: Database, memberId: string, effects: readonly PaymentEffect[]): Promise<void> {
  const pairs = effects.flatMap((effect) => {
    const [kind, invoiceId, paymentId] = effect.key.split(':')
    return kind === 'receipt' && invoiceId && paymentId !== undefined ? [sql`(${invoiceId}, ${Number(paymentId)}::bigint)`] : []
  })
  for (const part of chunks(pairs)) {
    await db
      .update(invoicePayments)
      .set({ announcedAt: new Date() })
      .where(and(eq(invoicePayments.memberId, memberId), sql`(${invoicePayments.invoiceId}, ${invoicePayments.paymentId}) in (${sql.join(part, sql`, `)})`))
  }
}

/** The mirrored invoices of these deals that count towards «Оплачено» (not cancelled). */
export async function invoicesOfDeals(db: Database, memberId: string, dealIds: readonly number[]) {
  const out: (Pick<MirroredInvoice, 'id' | 'dealId' | 'number' | 'billStatus' | 'paidSum' | 'sum'>)[] = []
  for (const part of chunks([...new Set(dealIds)])) {
    out.push(
      ...(
        await db
          .select({
            id: invoices.id,
            dealId: invoices.dealId,
            number: invoices.number,
            billStatus: invoices.billStatus,
            paidSum: invoices.paidSum,
            sum: invoices.sum,
            state: invoices.state,
          })
          .from(invoices)
          .where(and(eq(invoices.memberId, memberId), inArray(invoices.dealId, part)))
      )
        .filter((r) => r.state === 'created')
        .map(({ state: _state, ...r }) => r),
    )
  }
  return out
}

/** Number of the invoice behind an effect (for texts decided at send time). */
export async function invoiceNumbers(db: Database, ids: readonly string[]): Promise<Map<string, string | null>> {
  const map = new Map<string, string | null>()
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(inArray(invoices.id, part))
    for (const r of rows) map.set(r.id, r.number)
  }
  return map
}
