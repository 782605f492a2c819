/**
 * Bulk first sync: when MoeDelo is connected, the portal's existing companies with an INN are
 * linked to (or created as) MoeDelo counterparties, with a progress bar (`sync_runs`).
 *
 * 1. `startBulkFirstSync` creates one `sync_runs` row (kind 'bulk_counterparties', running) and
 *    queues the scan; a second start while one runs returns the running one.
 * 2. The scan reads every company requisite with fast pagination, 50 list pages per batch
 *    request (`bulk-read.ts`): 5,000 companies cost 2–3 Bitrix24 requests. Companies with an INN
 *    become the run's `total`, split into chunk jobs of 50.
 * 3. Each chunk job runs `syncCompany(…, { trigger: 'bulk' })` per company and counts it done or
 *    failed exactly once (a mark per company and run), so a retried chunk never counts twice and
 *    skips what it already did. An external outage fails the chunk job, which the job layer
 *    retries or parks; the last chunk closes the run.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { getDatabase } from '@/db'
import type { Database } from '@/db/client'
import { syncRuns } from '@/db/schema'
import { effects } from '@/db/schema/operations'
import { bitrix24For, type Bitrix24Client } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { userMessageOf } from '@/lib/errors'
import { defineJob, enqueue, writeJournal, type JobDefinition } from '@/lib/jobs'
import { childLogger } from '@/lib/security/log'
import { batchListAll } from './bulk-read'
import { bulkSyncCompanies, type BulkCompaniesOptions, type BulkCompanyOutcome } from './bulk-companies'
import { closeSyncRun, latestSyncRun, openSyncRun, touchedDetails, type SyncRunRow } from './runs'

export const BULK_SYNC_KIND = 'bulk_counterparties'
export const BULK_SYNC_TOPIC = 'counterparty-bulk'
export const DEFAULT_CHUNK_SIZE = 200

export interface BulkSyncProgress {
  runId: number
  status: 'running' | 'done' | 'failed'
  total: number
  done: number
  failed: number
  startedAt: Date
  finishedAt: Date | null
}

export interface BulkStartResult extends BulkSyncProgress {
  /** false when a run was already going (that one is returned). */
  started: boolean
}

/** One company of the scan: its id and the requisite with the INN. */
export interface CompanyWithInn {
  companyId: number
  requisiteId: number
  inn: string
  kpp: string
  presetId: number | null
}

interface RunDetails extends Record<string, unknown> {
  /** Last time the run moved (ISO); a run that stops moving is stale. */
  touchedAt?: string
  chunkSize?: number
  chunks?: number
  scanRequests?: number
  scanned?: number
  withoutInn?: number
  error?: string
}

function toProgress(row: SyncRunRow): BulkSyncProgress {
  return {
    runId: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  }
}

/** The portal's latest bulk first sync (running or finished), or null when none ever ran. */
export async function bulkSyncProgress(db: Database, memberId: string): Promise<BulkSyncProgress | null> {
  const row = await latestSyncRun(db, memberId, BULK_SYNC_KIND)
  return row ? toProgress(row) : null
}

/**
 * Starts the bulk first sync for a portal (or returns the one already running). Serialised per
 * portal by a lock on the portal row, so two clicks never start two runs.
 */
export async function startBulkFirstSync(
  db: Database,
  memberId: string,
  options: { chunkSize?: number } = {},
): Promise<BulkStartResult> {
  const chunkSize = Math.max(1, Math.min(500, options.chunkSize ?? DEFAULT_CHUNK_SIZE))
  const outcome = await openSyncRun(db, { memberId, kind: BULK_SYNC_KIND, details: { chunkSize } satisfies RunDetails, staleError: 'stale' })
  if (outcome.started) {
    await enqueue(bulkScanJob, { memberId, runId: outcome.row.id, chunkSize }, { singletonKey: `bulk-scan:${outcome.row.id}` })
  }
  return { ...toProgress(outcome.row), started: outcome.started }
}

// ---- scan ------------------------------------------------------------------------------------

interface RequisiteRow extends Record<string, unknown> {
  ID: string
  ENTITY_ID: string
  RQ_INN?: string | null
  RQ_KPP?: string | null
  PRESET_ID?: string | null
}

/**
 * Every company requisite of the portal, 50 list pages per batch request, reduced to one entry
 * per company: its first requisite with an INN (lowest requisite id).
 */
export async function scanCompaniesWithInn(
  client: Bitrix24Client,
): Promise<{ companies: CompanyWithInn[]; requests: number; requisites: number; withoutInn: number }> {
  const { rows, requests } = await batchListAll<RequisiteRow>(client, {
    method: 'crm.requisite.list',
    filter: { ENTITY_TYPE_ID: 4 },
    select: ['ID', 'ENTITY_ID', 'RQ_INN', 'RQ_KPP', 'PRESET_ID'],
  })
  const byCompany = new Map<number, CompanyWithInn>()
  const companiesSeen = new Set<number>()
  for (const row of rows) {
    const companyId = Number(row.ENTITY_ID)
    if (!Number.isInteger(companyId) || companyId <= 0) continue
    companiesSeen.add(companyId)
    const inn = String(row.RQ_INN ?? '').replace(/\s+/g, '')
    if (!inn || byCompany.has(companyId)) continue
    byCompany.set(companyId, {
      companyId,
      requisiteId: Number(row.ID),
      inn,
      kpp: String(row.RQ_KPP ?? '').trim(),
      presetId: row.PRESET_ID ? Number(row.PRESET_ID) : null,
    })
  }
  const companies = [...byCompany.values()].sort((a, b) => a.companyId - b.companyId)
  return { companies, requests, requisites: rows.length, withoutInn: companiesSeen.size - companies.length }
}

async function touch(db: Database, runId: number, extra: Partial<RunDetails> = {}): Promise<void> {
  await db
    .update(syncRuns)
    .set({ details: touchedDetails(extra) })
    .where(eq(syncRuns.id, runId))
}

async function getRun(db: Database, memberId: string, runId: number): Promise<SyncRunRow | undefined> {
  const [row] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.memberId, memberId), eq(syncRuns.kind, BULK_SYNC_KIND)))
  return row
}

/** The scan job's body: reads the companies, sets the total, queues the chunk jobs. */
export async function runBulkScan(
  db: Database,
  input: { memberId: string; runId: number; chunkSize?: number },
  options: { bitrix24?: Bitrix24Client; enqueueChunk?: (payload: BulkChunkPayload) => Promise<unknown> } = {},
): Promise<{ total: number; chunks: number; requests: number }> {
  const run = await getRun(db, input.memberId, input.runId)
  if (!run || run.status !== 'running') return { total: 0, chunks: 0, requests: 0 }
  let client: Bitrix24Client
  try {
    client = options.bitrix24 ?? (await bitrix24For(db, input.memberId))
  } catch (error) {
    if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') {
      await finishRun(db, input.runId, 'failed', 'portal-inactive')
      return { total: 0, chunks: 0, requests: 0 }
    }
    throw error
  }
  const scan = await scanCompaniesWithInn(client)
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE
  const chunks: number[][] = []
  for (let i = 0; i < scan.companies.length; i += chunkSize) {
    chunks.push(scan.companies.slice(i, i + chunkSize).map((c) => c.companyId))
  }
  await db
    .update(syncRuns)
    .set({ total: scan.companies.length })
    .where(and(eq(syncRuns.id, input.runId), eq(syncRuns.status, 'running')))
  await touch(db, input.runId, {
    chunks: chunks.length,
    scanRequests: scan.requests,
    scanned: scan.requisites,
    withoutInn: scan.withoutInn,
  })
  const send = options.enqueueChunk ?? ((payload: BulkChunkPayload) =>
    enqueue(bulkChunkJob, payload, { singletonKey: `bulk-chunk:${payload.runId}:${payload.chunk}` }))
  for (const [chunk, companyIds] of chunks.entries()) {
    await send({ memberId: input.memberId, runId: input.runId, chunk, companyIds })
  }
  if (chunks.length === 0) await finishRun(db, input.runId, 'done')
  return { total: scan.companies.length, chunks: chunks.length, requests: scan.requests }
}

// ---- chunks ----------------------------------------------------------------------------------

const markKey = (runId: number, companyId: number) => `bulk-sync:${runId}:company:${companyId}`

async function alreadyCounted(db: Database, memberId: string, runId: number, companyIds: number[]): Promise<Set<number>> {
  if (companyIds.length === 0) return new Set()
  const rows = await db
    .select({ key: effects.key })
    .from(effects)
    .where(and(eq(effects.memberId, memberId), inArray(effects.key, companyIds.map((id) => markKey(runId, id)))))
  return new Set(rows.map((r) => Number(r.key.split(':').at(-1))).filter((id) => Number.isInteger(id)))
}

/** Counts one company once per run (done or failed, and by outcome): true for the call that counted it. */
async function countOnce(
  db: Database,
  memberId: string,
  runId: number,
  companyId: number,
  ok: boolean,
  kind: string,
  message?: string,
): Promise<boolean> {
  const taken = await db
    .insert(effects)
    .values({ memberId, key: markKey(runId, companyId), result: { ok, kind, ...(message ? { message } : {}) } })
    .onConflictDoNothing()
    .returning({ key: effects.key })
  if (taken.length === 0) return false
  const outcomes = sql`coalesce(${syncRuns.details}->'outcomes', '{}'::jsonb)`
  await db
    .update(syncRuns)
    .set({
      ...(ok ? { done: sql`${syncRuns.done} + 1` } : { failed: sql`${syncRuns.failed} + 1` }),
      details: sql`coalesce(${syncRuns.details}, '{}'::jsonb) || jsonb_build_object('outcomes', ${outcomes} || jsonb_build_object(${kind}::text, coalesce((${outcomes}->>${kind}::text)::int, 0) + 1))`,
    })
    .where(eq(syncRuns.id, runId))
  return true
}

async function finishRun(db: Database, runId: number, status: 'done' | 'failed', error?: string): Promise<void> {
  await closeSyncRun(db, runId, status)
  await touch(db, runId, error ? { error } : {})
}

/** Closes the run when every company is counted; journals the result once. */
async function closeIfComplete(db: Database, memberId: string, runId: number): Promise<boolean> {
  const closed = await db
    .update(syncRuns)
    .set({ status: 'done', finishedAt: new Date() })
    .where(and(eq(syncRuns.id, runId), eq(syncRuns.status, 'running'), sql`${syncRuns.done} + ${syncRuns.failed} >= ${syncRuns.total}`))
    .returning()
  const row = closed[0]
  if (!row) return false
  await db.delete(effects).where(and(eq(effects.memberId, memberId), sql`${effects.key} like ${`bulk-sync:${runId}:company:%`}`))
  await writeJournal(db, {
    memberId,
    level: row.failed > 0 ? 'warning' : 'info',
    topic: BULK_SYNC_TOPIC,
    message:
      row.failed > 0
        ? `Первичная синхронизация компаний с «Моё дело» завершена: обработано ${row.done} из ${row.total}, с ошибками — ${row.failed} (подробности — в записях журнала по этим компаниям).`
        : `Первичная синхронизация компаний с «Моё дело» завершена: обработано компаний — ${row.done}.`,
    details: { runId, total: row.total, done: row.done, failed: row.failed },
  })
  return true
}

export const bulkChunkPayload = z.object({
  memberId: z.string().min(1).max(100),
  runId: z.number().int().positive(),
  chunk: z.number().int().nonnegative(),
  companyIds: z.array(z.number().int().positive()).max(500),
})
export type BulkChunkPayload = z.infer<typeof bulkChunkPayload>

/**
 * The chunk job's body: syncs the chunk's companies not yet counted, counts each once. A retryable
 * failure (a service is down) stops the chunk and goes up: the job is retried later and resumes.
 */
export async function runBulkChunk(
  db: Database,
  input: BulkChunkPayload,
  options: BulkCompaniesOptions = {},
): Promise<{ done: number; failed: number; skipped: number }> {
  const log = childLogger({ component: 'bulk-sync', memberId: input.memberId, runId: input.runId, chunk: input.chunk })
  const run = await getRun(db, input.memberId, input.runId)
  if (!run || run.status !== 'running') return { done: 0, failed: 0, skipped: input.companyIds.length }
  const counted = await alreadyCounted(db, input.memberId, input.runId, input.companyIds)
  const todo = input.companyIds.filter((id) => !counted.has(id))
  const tally = { done: 0, failed: 0, skipped: input.companyIds.length - todo.length }
  const onOutcome = async (outcome: BulkCompanyOutcome) => {
    const message = outcome.ok ? undefined : (outcome.message ?? (outcome.error !== undefined ? userMessageOf(outcome.error) : undefined))
    if (!outcome.ok && outcome.kind === 'error') log.warn({ err: outcome.error, companyId: outcome.companyId }, 'company failed in bulk sync')
    if (await countOnce(db, input.memberId, input.runId, outcome.companyId, outcome.ok, outcome.kind, message)) {
      if (outcome.ok) tally.done += 1
      else tally.failed += 1
    }
  }
  try {
    await bulkSyncCompanies(db, input.memberId, todo, onOutcome, options)
  } finally {
    await touch(db, input.runId)
  }
  await closeIfComplete(db, input.memberId, input.runId)
  return tally
}

// ---- jobs --------------------------------------------------------------------------------------

export const bulkScanPayload = z.object({
  memberId: z.string().min(1).max(100),
  runId: z.number().int().positive(),
  chunkSize: z.number().int().min(1).max(500).optional(),
})
export type BulkScanPayload = z.infer<typeof bulkScanPayload>

export const bulkScanJob = defineJob<BulkScanPayload>({
  name: 'counterparties.bulk-scan',
  payload: bulkScanPayload,
  service: 'bitrix24',
  topic: BULK_SYNC_TOPIC,
  dedupKey: (p) => String(p.runId),
  handler: async (payload) => {
    const { db } = await getDatabase()
    await runBulkScan(db, payload)
  },
})

export const bulkChunkJob = defineJob<BulkChunkPayload>({
  name: 'counterparties.bulk-chunk',
  payload: bulkChunkPayload,
  service: 'bitrix24',
  topic: BULK_SYNC_TOPIC,
  dedupKey: (p) => `${p.runId}:${p.chunk}`,
  handler: async (payload) => {
    const { db } = await getDatabase()
    await runBulkChunk(db, payload)
  },
})

/** The bulk first sync's jobs, for `lib/jobs/definitions.ts`. */
export const bulkFirstSyncJobs: JobDefinition<any>[] = [bulkScanJob, bulkChunkJob]
