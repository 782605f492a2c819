/**
 * What starts when a portal has MoeDelo: the first sync of existing companies (once, on connecting),
 * the periodic reverse sync of counterparties and the payment jobs (poller, overdue reminders), kept
 * scheduled for every connected portal.
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '@/db'
import { moedeloConnections, portals } from '@/db/schema'
import { schedulePaymentJobs } from '@/lib/payments/jobs'
import { startBulkFirstSync } from './bulk-first-sync'
import { scheduleReverseSync } from './reverse-counterparties'

export async function onMoeDeloConnected(db: Database, memberId: string): Promise<void> {
  await startBulkFirstSync(db, memberId)
  await scheduleReverseSync(memberId)
  await schedulePaymentJobs(db, memberId)
}

/** At worker start: every connected, active portal has its reverse sync and payment jobs queued (singletons per portal). */
export async function scheduleConnectedPortals(db: Database): Promise<void> {
  const rows = await db
    .select({ memberId: moedeloConnections.memberId })
    .from(moedeloConnections)
    .innerJoin(portals, and(eq(portals.memberId, moedeloConnections.memberId), eq(portals.state, 'active')))
  for (const { memberId } of rows) {
    await scheduleReverseSync(memberId)
    await schedulePaymentJobs(db, memberId)
  }
}
