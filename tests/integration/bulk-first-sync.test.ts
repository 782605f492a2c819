/**
 * Bulk first sync through the real parts: 120 companies with INNs (plus one with a broken INN and
 * one without requisites) in the Bitrix24 emulator, the job runner, `syncCompany` per company,
 * MoeDelo emulator over HTTP. The scan reads every requisite with batched fast pagination; the
 * progress reaches the total; a second start while running returns the running one; a later run
 * links what is there and duplicates nothing.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { counterparties, syncRuns } from '@/db/schema'
import { bitrix24For } from '@/lib/bitrix24/client'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { batchListAll } from '@/lib/sync/bulk-read'
import { bulkFirstSyncJobs, bulkSyncProgress, scanCompaniesWithInn, startBulkFirstSync } from '@/lib/sync/bulk-first-sync'
import { seedCompanies, validInn } from '../bench/bulk-first-sync'
import { setTestEnv, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../bitrix24/support/env'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import type { CallContext } from '../emulators/bitrix24/portal'
import { addRequisite } from '../emulators/bitrix24/rest/methods/crm-requisites'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { waitFor } from '../support/ports'

const KEY = '5e3f7b21-2222-4d4d-8e5e-bulk00000001'
const COMPANIES = 120
const EMULATOR_BUCKET = { enabled: true, drainRate: 20, burst: 50 }
const FAST = { drainRate: 20, burst: 25 }

let database: TestDatabase
let receiver: Receiver
let b24: Bitrix24Emulator
let md: MoeDeloEmulator
let runner: JobRunner
let memberId: string
let badCompanyId: number

interface Logged {
  path: string
  status: number
}
async function restRequests(): Promise<Logged[]> {
  const response = await fetch(`${b24.url}/__emulator/requests`)
  return ((await response.json()) as { requests: Logged[] }).requests.filter((r) => r.path.startsWith('/rest/'))
}

beforeAll(async () => {
  receiver = await startReceiver()
  md = await startMoeDeloEmulator({ apiKeys: { [KEY]: 'ООО "Бухгалтерия"' } })
  setTestEnv({ APP_URL: receiver.url, MOEDELO_API_URL: md.url })
  setDefaultRateLimit(FAST)
  database = await createTestDatabase()
  setDatabase(database)
  b24 = await startBitrix24Emulator({
    seed: false,
    app: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, installUrl: `${receiver.url}/b24/install`, appUrl: `${receiver.url}/b24/app` },
    rateLimit: EMULATOR_BUCKET,
  })
  memberId = b24.memberId
  await b24.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
  await connectWithApiKey(database.db, memberId, KEY)

  seedCompanies(b24, COMPANIES)
  // One company whose INN has a wrong check digit, and one without requisites.
  const [bad] = seedCompanies(b24, 1, { from: 500, prefix: 'ООО «Опечатка' })
  const requisite = b24.state.requisites.get(bad!.requisiteId)!
  const inn = String(requisite.RQ_INN)
  requisite.RQ_INN = `${inn.slice(0, 9)}${(Number(inn[9]) + 1) % 10}`
  badCompanyId = bad!.companyId
  b24.uiCreate('company', { TITLE: 'ООО «Без реквизитов»' })
  // A contact requisite is not a company's: the scan ignores it.
  const ctx = { portal: b24.portal, userId: 1, isAdmin: true, auth: 'app', scope: '', params: {}, inBatch: false } as CallContext
  const contact = b24.uiCreate('contact', { NAME: 'Иван', LAST_NAME: 'Контактов' })
  addRequisite(ctx, { ENTITY_TYPE_ID: 3, ENTITY_ID: contact.ID, PRESET_ID: 3, NAME: 'Физ. лицо', RQ_INN: validInn(900, 12) })

  runner = await startJobRunner({
    handle: database,
    definitions: bulkFirstSyncJobs,
    pollingIntervalSeconds: 0.5,
    superviseIntervalSeconds: 1,
    retryDelaysSeconds: [1, 1, 1],
  })
})

afterAll(async () => {
  await runner?.stop()
  setDefaultRateLimit(undefined)
  setDatabase(undefined)
  await b24?.close()
  await md?.close()
  await receiver?.close()
  await database?.drop()
})

describe('reading every requisite with batched fast pagination', () => {
  it('packs 50 list pages into one batch request, chained by $result references', async () => {
    const client = await bitrix24For(database.db, memberId)
    await fetch(`${b24.url}/__emulator/requests`, { method: 'DELETE' })
    const scan = await scanCompaniesWithInn(client)
    expect(scan.companies).toHaveLength(COMPANIES + 1)
    expect(new Set(scan.companies.map((c) => c.companyId)).size).toBe(COMPANIES + 1)
    expect(scan.requests).toBe(1)
    expect((await restRequests()).map((r) => r.path.replace(/\/+/g, '/'))).toEqual(['/rest/batch'])

    // Two pages per batch: the cursor moves across batch requests without losing or repeating a row.
    const small = await batchListAll<{ ID: string }>(client, { method: 'crm.requisite.list', filter: { ENTITY_TYPE_ID: 4 }, select: ['ID'], pagesPerBatch: 2 })
    expect(small.requests).toBe(2)
    expect(small.rows.map((r) => Number(r.ID))).toEqual(scan.companies.map((c) => c.requisiteId).sort((a, b) => a - b))
  })
})

describe('bulk first sync', () => {
  it('links every company with an INN, shows progress up to the total, and a second start returns the running run', async () => {
    await fetch(`${b24.url}/__emulator/requests`, { method: 'DELETE' })
    const first = await startBulkFirstSync(database.db, memberId)
    expect(first).toMatchObject({ started: true, status: 'running' })
    const second = await startBulkFirstSync(database.db, memberId)
    expect(second).toMatchObject({ started: false, runId: first.runId, status: 'running' })

    const seen: number[] = []
    const final = await waitFor(
      'the bulk sync to finish',
      async () => {
        const p = await bulkSyncProgress(database.db, memberId)
        if (p) seen.push(p.done + p.failed)
        return p?.status === 'done' ? p : undefined
      },
      240_000,
    )
    expect(final).toMatchObject({ runId: first.runId, status: 'done', total: COMPANIES + 1, done: COMPANIES, failed: 1, finishedAt: expect.any(Date) })
    // Progress only moves forward.
    expect(seen).toEqual([...seen].sort((a, b) => a - b))

    const rows = await database.db.select().from(counterparties).where(eq(counterparties.memberId, memberId))
    expect(rows).toHaveLength(COMPANIES)
    expect(rows.every((r) => r.moedeloId !== null && r.companyId !== null)).toBe(true)
    expect(rows.some((r) => r.companyId === badCompanyId)).toBe(false)
    expect(md.firm(KEY).kontragents.size).toBe(COMPANIES)
    // Each company carries its MoeDelo id.
    for (const row of rows) expect(b24.state.companies.get(row.companyId!)!.UF_CRM_MD_KONTRAGENT_ID).toBe(String(row.moedeloId))

    const [run] = await database.db.select().from(syncRuns).where(eq(syncRuns.id, first.runId))
    expect(run!.details).toMatchObject({ scanRequests: 1, outcomes: { created: COMPANIES, invalid: 1 } })
    // The companies' own small batches were merged: far fewer requests than companies.
    const used = await restRequests()
    expect(used.length).toBeLessThan(COMPANIES)
    expect(used.filter((r) => r.status === 503)).toEqual([])
  })

  it('a second run after the first one has finished links what is there and duplicates nothing', async () => {
    const companiesBefore = b24.state.companies.size
    const again = await startBulkFirstSync(database.db, memberId)
    expect(again.started).toBe(true)
    const final = await waitFor(
      'the second run to finish',
      async () => {
        const p = await bulkSyncProgress(database.db, memberId)
        return p?.runId === again.runId && p.status === 'done' ? p : undefined
      },
      240_000,
    )
    expect(final).toMatchObject({ total: COMPANIES + 1, done: COMPANIES, failed: 1 })
    expect(await database.db.select().from(counterparties).where(eq(counterparties.memberId, memberId))).toHaveLength(COMPANIES)
    expect(md.firm(KEY).kontragents.size).toBe(COMPANIES)
    expect(b24.state.companies.size).toBe(companiesBefore)
    const [run] = await database.db.select().from(syncRuns).where(eq(syncRuns.id, again.runId))
    expect(run!.details).toMatchObject({ outcomes: { linked: COMPANIES, invalid: 1 } })
  })
})
