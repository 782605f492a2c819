/**
 * Runs with a progress bar (`sync_runs`): one running run of a kind per portal at a time. A run
 * records in `details.touchedAt` when it last moved; a running run that has not moved for
 * STALE_RUN_MS is treated as dead (its jobs were lost) and a new start replaces it.
 */
import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { portals, syncRuns } from '@/db/schema'

/** A running run that has not moved for this long is treated as dead. */
export const STALE_RUN_MS = 60 * 60 * 1000

export type SyncRunRow = typeof syncRuns.$inferSelect

/** The portal's latest run of the kind (running or finished), if any ever ran. */
export async function latestSyncRun(db: Database, memberId: string, kind: string): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.memberId, memberId), eq(syncRuns.kind, kind)))
    .orderBy(desc(syncRuns.id))
    .limit(1)
  return row
}

function isStale(row: SyncRunRow, now = Date.now()): boolean {
  const touched = (row.details as { touchedAt?: string } | null)?.touchedAt
  return now - (touched ? Date.parse(touched) : row.startedAt.getTime()) > STALE_RUN_MS
}

/**
 * Opens a run of the kind for the portal, or returns the one already running (`started: false`).
 * Serialised by a lock on the portal row, so two clicks never open two runs. A stale running run
 * is failed with `staleError` in its details before the new one opens.
 */
export async function openSyncRun(
  db: Database,
  input: { memberId: string; kind: string; details?: Record<string, unknown>; staleError: string },
): Promise<{ row: SyncRunRow; started: boolean }> {
  const { memberId, kind } = input
  return db.transaction(async (tx) => {
    const [portal] = await tx.select({ memberId: portals.memberId }).from(portals).where(eq(portals.memberId, memberId)).for('update')
    if (!portal) throw new Error(`unknown portal ${memberId}`)
    const [running] = await tx
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.memberId, memberId), eq(syncRuns.kind, kind), eq(syncRuns.status, 'running')))
      .orderBy(desc(syncRuns.id))
      .limit(1)
    if (running && !isStale(running)) return { row: running, started: false }
    if (running) {
      await tx
        .update(syncRuns)
        .set({ status: 'failed', finishedAt: new Date(), details: { ...(running.details ?? {}), error: input.staleError } })
        .where(eq(syncRuns.id, running.id))
    }
    const [row] = await tx
      .insert(syncRuns)
      .values({ memberId, kind, status: 'running', details: { touchedAt: new Date().toISOString(), ...input.details } })
      .returning()
    return { row: row!, started: true }
  })
}

/** Ends the run with `status`, unless it has already ended. */
export async function closeSyncRun(db: Database, runId: number, status: 'done' | 'failed'): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status, finishedAt: new Date() })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, 'running')))
}

/** The run's details merged with `patch` and a fresh `touchedAt`, for an update's `set`. */
export function touchedDetails(patch: Record<string, unknown> = {}): SQL {
  const json = JSON.stringify({ touchedAt: new Date().toISOString(), ...patch })
  return sql`coalesce(${syncRuns.details}, '{}'::jsonb) || ${json}::jsonb`
}
