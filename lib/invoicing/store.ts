/** Our invoice records: one per invoice request, keyed by our internal invoice id. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '@/db'
import { IN_FLIGHT_STATES, invoices, type InvoiceTrigger } from '@/db/schema'

export type InvoiceRow = typeof invoices.$inferSelect
export type InvoicePatch = Partial<Omit<typeof invoices.$inferInsert, 'id' | 'memberId' | 'dealId' | 'createdAt'>>

export interface NewInvoiceRequest {
  id: string
  memberId: string
  dealId: number
  trigger: InvoiceTrigger
  repeatOf?: string | null
  requestedBy?: number | null
}

export type InsertOutcome =
  /** A new request (or the same request id sent again: `created` false). */
  | { kind: 'accepted'; invoice: InvoiceRow; created: boolean }
  /** Another request for this deal is still being worked on. */
  | { kind: 'in-flight'; invoice: InvoiceRow }

/** Stores the request unless the same id exists or another request for the deal is in flight. */
export async function insertInvoiceRequest(db: Database, request: NewInvoiceRequest): Promise<InsertOutcome> {
  const [inserted] = await db
    .insert(invoices)
    .values({ ...request, repeatOf: request.repeatOf ?? null, requestedBy: request.requestedBy ?? null })
    .onConflictDoNothing()
    .returning()
  if (inserted) return { kind: 'accepted', invoice: inserted, created: true }
  const same = await getInvoice(db, request.memberId, request.id)
  if (same) return { kind: 'accepted', invoice: same, created: false }
  const busy = await inFlightInvoice(db, request.memberId, request.dealId)
  if (busy) return { kind: 'in-flight', invoice: busy }
  // The in-flight request finished between the insert and the reads: try once more.
  return insertInvoiceRequest(db, request)
}

export async function getInvoice(db: Database, memberId: string, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await db.select().from(invoices).where(and(eq(invoices.memberId, memberId), eq(invoices.id, id)))
  return row
}

export async function inFlightInvoice(db: Database, memberId: string, dealId: number): Promise<InvoiceRow | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), eq(invoices.dealId, dealId), inArray(invoices.state, [...IN_FLIGHT_STATES])))
  return row
}

/** The deal's invoices, newest first. */
export function invoicesOfDeal(db: Database, memberId: string, dealId: number): Promise<InvoiceRow[]> {
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), eq(invoices.dealId, dealId)))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
}

/** The deal's newest invoice that exists in MoeDelo (not cancelled). */
export async function latestIssuedInvoice(db: Database, memberId: string, dealId: number): Promise<InvoiceRow | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), eq(invoices.dealId, dealId), eq(invoices.state, 'created')))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(1)
  return row
}

export async function updateInvoice(db: Database, memberId: string, id: string, patch: InvoicePatch): Promise<InvoiceRow> {
  const [row] = await db
    .update(invoices)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(invoices.memberId, memberId), eq(invoices.id, id)))
    .returning()
  if (!row) throw new Error(`invoice ${id} vanished`)
  return row
}

/** The bill is about to be sent: `creating`, with the first attempt's start kept (a retry searches from it). */
export async function markCreateStarted(db: Database, memberId: string, id: string, kontragentId: number): Promise<InvoiceRow> {
  const now = new Date()
  const [row] = await db
    .update(invoices)
    .set({
      state: 'creating',
      kontragentId,
      errorMessage: null,
      createStartedAt: sql`coalesce(${invoices.createStartedAt}, ${now.toISOString()}::timestamptz)`,
      updatedAt: now,
    })
    .where(and(eq(invoices.memberId, memberId), eq(invoices.id, id)))
    .returning()
  if (!row) throw new Error(`invoice ${id} vanished`)
  return row
}

/** MoeDelo bill ids already recorded for one of our invoices (a found bill must not be adopted twice). */
export async function recordedBillIds(db: Database, memberId: string, billIds: readonly number[]): Promise<Set<number>> {
  if (billIds.length === 0) return new Set()
  const rows = await db
    .select({ billId: invoices.billId })
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), inArray(invoices.billId, [...billIds])))
  return new Set(rows.map((r) => r.billId).filter((v): v is number => v !== null))
}
