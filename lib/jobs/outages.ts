/**
 * Outages and parked jobs: the database half of "a service is down, wait for it".
 *
 * A job that exhausted its retries on a service failure is parked (once per memberId + queue +
 * dedup key) and an outage is opened for (memberId, service) unless one is open. Parking and closing
 * an outage take the same transaction-scoped advisory lock, so a job parked while the outage is being
 * closed is either replayed with the others or opens a new outage: it is never stranded.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { outages, parkedJobs } from '@/db/schema/operations'
import type { ExternalService } from '@/lib/errors'

export type ParkedJobRow = typeof parkedJobs.$inferSelect
export type OutageRow = typeof outages.$inferSelect

async function lockOutage(tx: Database, memberId: string, service: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`jobs-outage:${memberId}:${service}`}))`)
}

export interface ParkInput {
  memberId: string
  service: ExternalService
  queue: string
  payload: Record<string, unknown>
  dedupKey: string
  lastError?: string
}

export interface ParkResult {
  /** False when the same job (memberId + queue + dedupKey) was already parked. */
  parked: boolean
  outageId: number
  /** True when this call opened the outage. */
  outageOpened: boolean
}

export async function parkJob(db: Database, input: ParkInput): Promise<ParkResult> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database
    await lockOutage(tx, input.memberId, input.service)
    const inserted = await tx
      .insert(parkedJobs)
      .values({
        memberId: input.memberId,
        service: input.service,
        queue: input.queue,
        payload: input.payload,
        dedupKey: input.dedupKey,
        lastError: input.lastError ?? null,
      })
      .onConflictDoNothing({ target: [parkedJobs.memberId, parkedJobs.queue, parkedJobs.dedupKey] })
      .returning({ id: parkedJobs.id })
    const [open] = await tx
      .select({ id: outages.id })
      .from(outages)
      .where(and(eq(outages.memberId, input.memberId), eq(outages.service, input.service), isNull(outages.resolvedAt)))
      .orderBy(asc(outages.id))
      .limit(1)
    if (open) {
      if (input.lastError) await tx.update(outages).set({ lastError: input.lastError }).where(eq(outages.id, open.id))
      return { parked: inserted.length > 0, outageId: open.id, outageOpened: false }
    }
    const [created] = await tx
      .insert(outages)
      .values({ memberId: input.memberId, service: input.service, lastError: input.lastError ?? null })
      .returning({ id: outages.id })
    return { parked: inserted.length > 0, outageId: created!.id, outageOpened: true }
  })
}

/** Claims the "outage started" notification: true for exactly one caller per outage. */
export async function claimStartNotification(db: Database, outageId: number): Promise<boolean> {
  const rows = await db
    .update(outages)
    .set({ notifiedAt: sql`now()` })
    .where(and(eq(outages.id, outageId), isNull(outages.notifiedAt), isNull(outages.resolvedAt)))
    .returning({ id: outages.id })
  return rows.length > 0
}

/** Gives a claimed notification back (the notifier failed), so the probe loop tries again. */
export async function releaseStartNotification(db: Database, outageId: number): Promise<void> {
  await db.update(outages).set({ notifiedAt: null }).where(eq(outages.id, outageId))
}

export async function openOutages(db: Database): Promise<OutageRow[]> {
  return db.select().from(outages).where(isNull(outages.resolvedAt)).orderBy(asc(outages.id))
}

export async function parkedFor(db: Database, memberId: string, service: string): Promise<ParkedJobRow[]> {
  return db
    .select()
    .from(parkedJobs)
    .where(and(eq(parkedJobs.memberId, memberId), eq(parkedJobs.service, service)))
    .orderBy(asc(parkedJobs.id))
}

export async function deleteParked(db: Database, id: number): Promise<void> {
  await db.delete(parkedJobs).where(eq(parkedJobs.id, id))
}

export async function countParked(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(parkedJobs)
  return Number(row?.n ?? 0)
}

/**
 * Closes the open outage(s) of (memberId, service) if nothing is parked for it any more.
 * Returns the closed rows, or null when new jobs were parked meanwhile (replay them first).
 */
export async function closeOutageIfDrained(
  db: Database,
  memberId: string,
  service: string,
): Promise<Array<{ id: number; notifiedAt: Date | null }> | null> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database
    await lockOutage(tx, memberId, service)
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(parkedJobs)
      .where(and(eq(parkedJobs.memberId, memberId), eq(parkedJobs.service, service)))
    if (Number(left?.n ?? 0) > 0) return null
    return tx
      .update(outages)
      .set({ resolvedAt: sql`now()` })
      .where(and(eq(outages.memberId, memberId), eq(outages.service, service), isNull(outages.resolvedAt)))
      .returning({ id: outages.id, notifiedAt: outages.notifiedAt })
  })
}

/** Open outages whose start notification has not gone out (the notifier failed earlier). */
export function needsStartNotification(o: OutageRow): boolean {
  return o.notifiedAt === null && o.resolvedAt === null
}
