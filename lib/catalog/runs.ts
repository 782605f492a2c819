/**
 * A whole-catalog sync started from the settings page, with its progress and result (`sync_runs`,
 * kind `catalog_goods`). One run per portal at a time: a second start while one runs returns it.
 * The run's job reads the catalog and sends what changed; a MoeDelo or Bitrix24 outage pauses it
 * (the job layer retries, the run says why it waits); anything else ends it with a plain reason.
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { syncRuns } from '@/db/schema'
import { bitrix24For } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { catalogMessages } from '@/lib/domain/messages'
import { isContractError, isRetryable, userMessageOf } from '@/lib/errors'
import { writeJournal } from '@/lib/jobs'
import { closeSyncRun, latestSyncRun, openSyncRun, touchedDetails, type SyncRunRow } from '@/lib/sync/runs'
import { CATALOG_TOPIC, syncCatalog, type CatalogClients, type CatalogSyncSummary } from './sync'

export const CATALOG_SYNC_KIND = 'catalog_goods'

export interface CatalogRun {
  runId: number
  status: 'running' | 'done' | 'failed'
  /** Goods to send (active products that are not services); 0 until the catalog is read. */
  total: number
  /** Goods sent or already up to date. */
  done: number
  failed: number
  startedAt: string
  finishedAt: string | null
  /** Counts by outcome, once the catalog is read. */
  summary: Omit<CatalogSyncSummary, 'failures'> | null
  /** Goods that could not be sent, in plain Russian. */
  failures: CatalogSyncSummary['failures']
  /** Why the run stopped (plain Russian). */
  error: string | null
  /** Why the run waits (a service is down; it goes on by itself). */
  waiting: string | null
}

interface RunDetails extends Record<string, unknown> {
  touchedAt?: string
  summary?: CatalogSyncSummary
  error?: string | null
  waiting?: string | null
}

function toRun(row: SyncRunRow): CatalogRun {
  const details = (row.details ?? {}) as RunDetails
  const { failures = [], ...counts } = details.summary ?? ({} as Partial<CatalogSyncSummary>)
  return {
    runId: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    summary: details.summary ? (counts as CatalogRun['summary']) : null,
    failures,
    error: details.error ?? null,
    waiting: details.waiting ?? null,
  }
}

/** The portal's latest catalog run (running or finished), or null when none ever ran. */
export async function catalogSyncProgress(db: Database, memberId: string): Promise<CatalogRun | null> {
  const row = await latestSyncRun(db, memberId, CATALOG_SYNC_KIND)
  return row ? toRun(row) : null
}

/**
 * Opens a run for the portal, or returns the one already running (`started: false`). Serialised by
 * a lock on the portal row, so two clicks never open two runs. `launch` queues the run's job.
 */
export async function openCatalogRun(
  db: Database,
  memberId: string,
  launch: (runId: number) => Promise<unknown>,
): Promise<CatalogRun & { started: boolean }> {
  const outcome = await openSyncRun(db, { memberId, kind: CATALOG_SYNC_KIND, staleError: catalogMessages.runStale })
  if (outcome.started) await launch(outcome.row.id)
  return { ...toRun(outcome.row), started: outcome.started }
}

async function patchRun(db: Database, runId: number, set: Partial<Pick<SyncRunRow, 'total' | 'done' | 'failed'>>, details: Partial<RunDetails>): Promise<void> {
  await db
    .update(syncRuns)
    .set({ ...set, details: touchedDetails(details) })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, 'running')))
}

async function finishRun(db: Database, runId: number, status: 'done' | 'failed', details: Partial<RunDetails>): Promise<void> {
  await patchRun(db, runId, {}, details)
  await closeSyncRun(db, runId, status)
}

/**
 * The run's job body. Retryable failures are recorded as the reason the run waits and thrown again
 * (the job layer retries); other failures end the run with a plain reason and a journal entry.
 */
export async function runCatalogSync(
  db: Database,
  input: { memberId: string; runId: number },
  clients?: CatalogClients,
): Promise<CatalogRun | null> {
  const { memberId, runId } = input
  const [row] = await db.select().from(syncRuns).where(and(eq(syncRuns.id, runId), eq(syncRuns.memberId, memberId), eq(syncRuns.kind, CATALOG_SYNC_KIND)))
  if (!row || row.status !== 'running') return row ? toRun(row) : null
  try {
    const resolved = clients ?? (await clientsFor(db, memberId))
    if (!resolved) {
      await finishRun(db, runId, 'failed', { error: catalogMessages.moedeloNotConnected })
      return catalogSyncProgress(db, memberId)
    }
    const summary = await syncCatalog(db, memberId, resolved, (s) =>
      patchRun(db, runId, { total: s.total, done: s.created + s.updated + s.unchanged, failed: s.failed }, { summary: s, waiting: null }),
    )
    await finishRun(db, runId, 'done', { summary, waiting: null })
    await writeJournal(db, {
      memberId,
      level: summary.failed > 0 ? 'warning' : 'info',
      topic: CATALOG_TOPIC,
      message: catalogMessages.runDone(summary),
      details: { runId, ...summary, failures: undefined },
    })
  } catch (error) {
    if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') {
      await finishRun(db, runId, 'failed', { error: userMessageOf(error) })
      return null
    }
    if (isRetryable(error)) {
      await patchRun(db, runId, {}, { waiting: catalogMessages.runWaiting(userMessageOf(error)) })
      throw error
    }
    await finishRun(db, runId, 'failed', { error: userMessageOf(error), waiting: null })
    await writeJournal(db, { memberId, level: 'error', topic: CATALOG_TOPIC, message: catalogMessages.runFailed(userMessageOf(error)), details: { runId } })
    // A bug is thrown on so it is logged as one; the run is already closed.
    if (!isContractError(error)) throw error
  }
  return catalogSyncProgress(db, memberId)
}

/** The portal's Bitrix24 and MoeDelo clients, or undefined when MoeDelo is not connected. */
export async function clientsFor(db: Database, memberId: string): Promise<CatalogClients | undefined> {
  const moedelo = await moedeloClientFor(db, memberId)
  if (!moedelo) return undefined
  return { bitrix: await bitrix24For(db, memberId), moedelo }
}
