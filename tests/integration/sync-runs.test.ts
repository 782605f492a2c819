/**
 * Runs with a progress bar (`sync_runs`), shared by the bulk first sync and the catalog sync: one
 * running run of a kind per portal, a stale one replaced, details merged with a fresh touch.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portals, syncRuns } from '@/db/schema'
import { closeSyncRun, latestSyncRun, openSyncRun, STALE_RUN_MS, touchedDetails } from '@/lib/sync/runs'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { insertPortal } from '../support/jobs/helpers'

let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})

afterAll(async () => {
  await database?.drop()
})

const runRow = async (id: number) => (await database.db.select().from(syncRuns).where(eq(syncRuns.id, id)))[0]!

describe('openSyncRun', () => {
  it('opens one running run per portal and kind; a second start returns the running one', async () => {
    await insertPortal(database.db, 'runs-once')
    const first = await openSyncRun(database.db, { memberId: 'runs-once', kind: 'kind_a', details: { chunkSize: 7 }, staleError: 'stale' })
    expect(first.started).toBe(true)
    expect(first.row).toMatchObject({ status: 'running', kind: 'kind_a', details: { chunkSize: 7, touchedAt: expect.any(String) } })

    const again = await openSyncRun(database.db, { memberId: 'runs-once', kind: 'kind_a', staleError: 'stale' })
    expect(again).toMatchObject({ started: false, row: { id: first.row.id } })

    const otherKind = await openSyncRun(database.db, { memberId: 'runs-once', kind: 'kind_b', staleError: 'stale' })
    expect(otherKind.started).toBe(true)
    expect(otherKind.row.id).not.toBe(first.row.id)
  })

  it('a start waits for the portal lock, so it sees a run opened meanwhile', async () => {
    await insertPortal(database.db, 'runs-race')
    let waiting: Promise<{ row: { id: number }; started: boolean }> | undefined
    const held = await database.db.transaction(async (tx) => {
      await tx.select().from(portals).where(eq(portals.memberId, 'runs-race')).for('update')
      waiting = openSyncRun(database.db, { memberId: 'runs-race', kind: 'kind_a', staleError: 'stale' })
      // Let the other start reach the database while the lock is held.
      await new Promise((resolve) => setTimeout(resolve, 200))
      const [row] = await tx
        .insert(syncRuns)
        .values({ memberId: 'runs-race', kind: 'kind_a', status: 'running', details: { touchedAt: new Date().toISOString() } })
        .returning()
      return row!
    })
    expect(await waiting).toMatchObject({ started: false, row: { id: held.id } })
  })

  it('fails a running run that has not moved for too long, with its details kept, and opens a new one', async () => {
    await insertPortal(database.db, 'runs-stale')
    const touchedAt = new Date(Date.now() - STALE_RUN_MS - 60_000).toISOString()
    const [stale] = await database.db
      .insert(syncRuns)
      .values({ memberId: 'runs-stale', kind: 'kind_a', status: 'running', details: { touchedAt, chunks: 3 } })
      .returning()

    const opened = await openSyncRun(database.db, { memberId: 'runs-stale', kind: 'kind_a', staleError: 'Прошлый запуск прервался.' })
    expect(opened.started).toBe(true)
    expect(opened.row.id).not.toBe(stale!.id)
    const failed = await runRow(stale!.id)
    expect(failed.status).toBe('failed')
    expect(failed.finishedAt).toBeInstanceOf(Date)
    expect(failed.details).toEqual({ touchedAt, chunks: 3, error: 'Прошлый запуск прервался.' })
  })

  it('a running run without a touch is judged by its start', async () => {
    await insertPortal(database.db, 'runs-untouched')
    const [old] = await database.db
      .insert(syncRuns)
      .values({ memberId: 'runs-untouched', kind: 'kind_a', status: 'running', startedAt: new Date(Date.now() - STALE_RUN_MS - 60_000) })
      .returning()
    const opened = await openSyncRun(database.db, { memberId: 'runs-untouched', kind: 'kind_a', staleError: 'stale' })
    expect(opened.started).toBe(true)
    expect((await runRow(old!.id)).status).toBe('failed')
  })

  it('refuses a portal that is not installed', async () => {
    await expect(openSyncRun(database.db, { memberId: 'runs-nobody', kind: 'kind_a', staleError: 'stale' })).rejects.toThrow('unknown portal runs-nobody')
  })
})

describe('latestSyncRun, closeSyncRun and touchedDetails', () => {
  it('the latest run of the kind, finished or not; none for a kind that never ran', async () => {
    await insertPortal(database.db, 'runs-latest')
    const first = await openSyncRun(database.db, { memberId: 'runs-latest', kind: 'kind_a', staleError: 'stale' })
    await database.db.update(syncRuns).set({ status: 'done', finishedAt: new Date() }).where(eq(syncRuns.id, first.row.id))
    const second = await openSyncRun(database.db, { memberId: 'runs-latest', kind: 'kind_a', staleError: 'stale' })
    expect(second.row.id).not.toBe(first.row.id)

    expect((await latestSyncRun(database.db, 'runs-latest', 'kind_a'))?.id).toBe(second.row.id)
    expect(await latestSyncRun(database.db, 'runs-latest', 'kind_b')).toBeUndefined()
  })

  it('merges the patch into the details and moves touchedAt', async () => {
    await insertPortal(database.db, 'runs-touch')
    const before = new Date(Date.now() - 60_000).toISOString()
    const [run] = await database.db
      .insert(syncRuns)
      .values({ memberId: 'runs-touch', kind: 'kind_a', status: 'running', details: { touchedAt: before, chunkSize: 5 } })
      .returning()
    await database.db.update(syncRuns).set({ details: touchedDetails({ scanned: 12 }) }).where(eq(syncRuns.id, run!.id))
    const details = (await runRow(run!.id)).details as { touchedAt: string; chunkSize: number; scanned: number }
    expect(details).toMatchObject({ chunkSize: 5, scanned: 12 })
    expect(Date.parse(details.touchedAt)).toBeGreaterThan(Date.parse(before))
  })

  it('closes a running run once: a run already ended keeps its status', async () => {
    await insertPortal(database.db, 'runs-close')
    const opened = await openSyncRun(database.db, { memberId: 'runs-close', kind: 'kind_a', staleError: 'stale' })
    await closeSyncRun(database.db, opened.row.id, 'failed')
    const closed = await runRow(opened.row.id)
    expect(closed).toMatchObject({ status: 'failed', finishedAt: expect.any(Date) })
    await closeSyncRun(database.db, opened.row.id, 'done')
    expect(await runRow(opened.row.id)).toMatchObject({ status: 'failed', finishedAt: closed.finishedAt })
  })
})
