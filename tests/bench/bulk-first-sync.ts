/**
 * Bulk first sync benchmark: N companies with valid INNs in the Bitrix24 emulator (seeded in
 * process, not over REST), the emulator's leaky bucket at the real 2 requests/s with a burst of
 * 50, the client's shared limiter at its production setting; the bulk first sync runs through the
 * real job runner against the Bitrix24 and MoeDelo emulators. Reports Bitrix24 requests (from the
 * emulator's request log), wall time, the ratio to the rate-limit ceiling (50 commands per batch ×
 * 2 requests/s = 100 commands/s) and the QUERY_LIMIT_EXCEEDED answers (must be 0).
 *
 *   npx tsx tests/bench/bulk-first-sync.ts [companies]      (also exported for `npm run bench`)
 *
 * Database: PostgreSQL when DATABASE_URL is set, an in-memory PGlite otherwise.
 */
import { eq } from 'drizzle-orm'
import { counterparties, syncRuns } from '@/db/schema'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { bulkFirstSyncJobs, bulkSyncProgress, startBulkFirstSync, type BulkSyncProgress } from '@/lib/sync/bulk-first-sync'
import type { Bitrix24Emulator } from '../emulators/bitrix24'
import type { CallContext } from '../emulators/bitrix24/portal'
import { addAddress, addRequisite } from '../emulators/bitrix24/rest/methods/crm-requisites'
import { applyFields, KINDS, newRecord } from '../emulators/bitrix24/rest/entities'
import { clearRequestLogs, requestLog, startBenchWorld } from './world'

// ---- valid identifiers ---------------------------------------------------------------------------

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const check = (digits: number[], weights: number[]) => (weights.reduce((s, w, i) => s + w * digits[i]!, 0) % 11) % 10

/**
 * The n-th valid INN: 10 digits (organisation) or 12 (sole trader), region 77/78/50…, correct
 * check digits. Deterministic, distinct for distinct n (n < 10⁶).
 */
export function validInn(n: number, length: 10 | 12 = 10): string {
  const regions = ['77', '78', '50', '66', '23', '16', '54', '52']
  const region = regions[n % regions.length]!
  const body = `${region}${String(Math.floor(n / regions.length) + 1).padStart(length === 10 ? 7 : 8, '0')}`
  const d = [...body].map(Number)
  if (length === 10) return `${body}${check(d, W10)}`
  const c11 = check(d, W12A)
  const c12 = check([...d, c11], W12B)
  return `${body}${c11}${c12}`
}

/** A KPP for an organisation's INN (region from the INN, reason code 01). */
export const kppFor = (inn: string): string => `${inn.slice(0, 4)}01001`

// ---- seeding the Bitrix24 emulator in process --------------------------------------------------------

export interface SeededCompany {
  companyId: number
  requisiteId: number
  inn: string
}

/**
 * Creates companies with a requisite (preset «Организация», valid INN and KPP) and a legal
 * address directly in the emulator's state: no REST calls, no events.
 */
export function seedCompanies(emu: Bitrix24Emulator, count: number, options: { from?: number; prefix?: string } = {}): SeededCompany[] {
  const portal = emu.portal
  const ctx = { portal, userId: 1, isAdmin: true, auth: 'app', scope: '', params: {}, inBatch: false } as CallContext
  const preset = emu.state.presets.find((p) => p.XML_ID === '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#')!
  const from = options.from ?? 0
  const out: SeededCompany[] = []
  for (let i = from; i < from + count; i += 1) {
    const inn = validInn(i)
    const title = `${options.prefix ?? 'ООО «Клиент'} ${i + 1}»`
    const kind = KINDS.company
    const record = newRecord(portal, kind, 1)
    applyFields(portal, kind, record, { TITLE: title, COMPANY_TYPE: 'CUSTOMER' }, { itemMode: false, userId: 1, isNew: true, allowCategoryChange: true })
    record.IS_NEW = 'N'
    kind.store(emu.state).set(record.ID, record)
    const requisite = addRequisite(ctx, {
      ENTITY_TYPE_ID: 4,
      ENTITY_ID: record.ID,
      PRESET_ID: preset.ID,
      NAME: 'Организация',
      RQ_COMPANY_NAME: title.toUpperCase(),
      RQ_INN: inn,
      RQ_KPP: kppFor(inn),
    })
    addAddress(ctx, { TYPE_ID: 6, ENTITY_TYPE_ID: 8, ENTITY_ID: requisite.ID, ADDRESS_1: `г. Москва, ул. Тестовая, д. ${i + 1}` })
    out.push({ companyId: record.ID, requisiteId: requisite.ID, inn })
  }
  return out
}

// ---- the benchmark ---------------------------------------------------------------------------------

export interface BulkBenchResult {
  companies: number
  seconds: number
  /** HTTP requests the portal answered (its request log). */
  bitrix24Requests: number
  bitrix24BatchRequests: number
  /** Requests per company. */
  requestsPerCompany: number
  /** Batch requests of the scan (reading every requisite). */
  scanRequests: number
  /** Companies per second achieved. */
  companiesPerSecond: number
  /** REST commands the portal executed (inside batches or alone), and by method. */
  commands: number
  commandsByMethod: Record<string, number>
  commandsPerSecond: number
  /** Commands per second the rate limit allows with full batches: 50 × drain rate. */
  ceilingCommandsPerSecond: number
  /** commandsPerSecond / ceiling. */
  ceilingRatio: number
  /** Bitrix24 requests per second achieved vs. the drain rate. */
  requestRateRatio: number
  queryLimitExceeded: number
  moedeloRequests: number
  progress: BulkSyncProgress | null
  linked: number
}

export async function benchBulkFirstSync(options: { companies?: number; drainRate?: number; burst?: number; log?: (line: string) => void } = {}): Promise<BulkBenchResult> {
  const companies = options.companies ?? 5000
  const drainRate = options.drainRate ?? 2
  const burst = options.burst ?? 50
  const say = options.log ?? (() => {})
  const world = await startBenchWorld({ name: 'bulk', rateLimit: { drainRate, burst } })
  const { database, b24, md } = world
  let runner: JobRunner | undefined
  try {
    seedCompanies(b24, companies)
    const commandsByMethod: Record<string, number> = {}
    let counting = false
    for (const [name, def] of b24.portal.methods) {
      if (name === 'batch') continue
      const handler = def.handler
      def.handler = (ctx) => {
        if (counting) commandsByMethod[name] = (commandsByMethod[name] ?? 0) + 1
        return handler(ctx)
      }
    }
    say(`seeded ${companies} companies; starting the bulk first sync`)

    runner = await startJobRunner({
      handle: database,
      definitions: bulkFirstSyncJobs,
      pollingIntervalSeconds: 0.5,
      superviseIntervalSeconds: 30,
      concurrency: 2,
      retryDelaysSeconds: [1, 2, 5],
    })
    // Install and connection checks are not part of the measurement: let the bucket drain, clear the logs.
    await new Promise((r) => setTimeout(r, Math.ceil((burst / drainRate) * 1000)))
    await clearRequestLogs(b24.url, md.url)

    counting = true
    const started = performance.now()
    const run = await startBulkFirstSync(database.db, b24.memberId)
    let progress: BulkSyncProgress | null = null
    let lastReport = 0
    for (;;) {
      await new Promise((r) => setTimeout(r, 500))
      progress = await bulkSyncProgress(database.db, b24.memberId)
      if (!progress || progress.runId !== run.runId) throw new Error('the run disappeared')
      if (performance.now() - lastReport > 15_000) {
        lastReport = performance.now()
        say(`  ${progress.done + progress.failed}/${progress.total} after ${((performance.now() - started) / 1000).toFixed(0)} s`)
      }
      if (progress.status !== 'running') break
      if (performance.now() - started > 4 * 3600_000) throw new Error('gave up after 4 hours')
    }
    const seconds = (performance.now() - started) / 1000
    counting = false
    const commands = Object.values(commandsByMethod).reduce((a, b) => a + b, 0)

    const log = (await requestLog(b24.url)).filter((r) => r.path.startsWith('/rest/'))
    const mdLog = await requestLog(md.url)
    const [row] = await database.db.select().from(syncRuns).where(eq(syncRuns.id, run.runId))
    const linked = (await database.db.select({ id: counterparties.id }).from(counterparties).where(eq(counterparties.memberId, b24.memberId))).length
    const requests = log.length
    return {
      companies,
      seconds,
      bitrix24Requests: requests,
      bitrix24BatchRequests: log.filter((r) => /\/rest\/+batch/.test(r.path)).length,
      requestsPerCompany: requests / companies,
      scanRequests: Number((row?.details as { scanRequests?: number } | null)?.scanRequests ?? 0),
      companiesPerSecond: companies / seconds,
      commands,
      commandsByMethod,
      commandsPerSecond: commands / seconds,
      ceilingCommandsPerSecond: 50 * drainRate,
      ceilingRatio: commands / seconds / (50 * drainRate),
      requestRateRatio: requests / seconds / drainRate,
      queryLimitExceeded: log.filter((r) => r.status === 503).length,
      moedeloRequests: mdLog.length,
      progress,
      linked,
    }
  } finally {
    await runner?.stop()
    await world.close()
  }
}

export function printBulkBench(r: BulkBenchResult): void {
  console.log('\nBulk first sync (emulators, leaky bucket 2 req/s burst 50, job runner, one machine)')
  console.log(`  companies ............... ${r.companies} (${r.progress?.done ?? 0} done, ${r.progress?.failed ?? 0} failed, ${r.linked} linked rows)`)
  console.log(`  wall time ............... ${r.seconds.toFixed(1)} s (${r.companiesPerSecond.toFixed(2)} companies/s)`)
  console.log(`  Bitrix24 requests ....... ${r.bitrix24Requests} (${r.bitrix24BatchRequests} batch; ${r.requestsPerCompany.toFixed(3)} per company; scan: ${r.scanRequests})`)
  console.log(`  request rate ............ ${(r.requestRateRatio * 100).toFixed(0)} % of the drain rate (2 req/s)`)
  console.log(`  commands ................ ${r.commands} (${r.commandsPerSecond.toFixed(1)}/s = ${(r.ceilingRatio * 100).toFixed(0)} % of the ${r.ceilingCommandsPerSecond} commands/s ceiling)`)
  console.log(`  by method ............... ${Object.entries(r.commandsByMethod).map(([m, n]) => `${m} ${n}`).join(', ')}`)
  console.log(`  QUERY_LIMIT_EXCEEDED .... ${r.queryLimitExceeded}`)
  console.log(`  MoeDelo requests ........ ${r.moedeloRequests}`)
}

if (process.argv[1] && /bulk-first-sync\.ts$/.test(process.argv[1])) {
  const companies = Number(process.argv[2] ?? process.env.BENCH_COMPANIES ?? 5000)
  benchBulkFirstSync({ companies, log: (line) => console.log(line) })
    .then((r) => printBulkBench(r))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
}
