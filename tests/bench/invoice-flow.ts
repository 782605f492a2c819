/**
 * Invoice benchmark: a deal enters its pipeline's invoice stage → the event job detects it → the bill
 * is made in MoeDelo → its number is in the deal. Through the real job runner, the Bitrix24 and
 * MoeDelo emulators over HTTP (no injected latency), the counterparty already mapped.
 *
 * Two runs: latency (deals moved one every `gapMs`, open loop) and throughput (all deals moved at once).
 * MoeDelo and Bitrix24 requests per invoice come from the emulators' request logs. The client's
 * Bitrix24 limiter and the emulator's are lifted: a real portal allows ~2 requests/s per app, and an
 * invoice costs 4 Bitrix24 requests, so one portal is capped near 0.5 invoices/s by Bitrix24 itself.
 *
 *   npx tsx tests/bench/invoice-flow.ts [deals]      (also exported for `npm run bench`)
 */
import { sql } from 'drizzle-orm'
import { dealStages } from '@/db/schema'
import { UF } from '@/lib/bitrix24/app-manifest'
import { b24EventJob } from '@/lib/bitrix24/event-jobs'
import { enqueue, startJobRunner, type JobRunner } from '@/lib/jobs'
import { allJobDefinitions } from '@/lib/jobs/definitions'
import { syncCompany } from '@/lib/sync/counterparties'
import type { Bitrix24Emulator } from '../emulators/bitrix24'
import { applyFields, KINDS, newRecord } from '../emulators/bitrix24/rest/entities'
import { buildRow, recalcDealFromRows } from '../emulators/bitrix24/rest/methods/crm-productrows'
import { seedCompanies } from './bulk-first-sync'
import { clearRequestLogs, requestLog, startBenchWorld } from './world'

const FROM_STAGE = 'PREPARATION'
const INVOICE_STAGE = 'PREPAYMENT_INVOICE'

export interface RunFigures {
  deals: number
  seconds: number
  invoicesPerSecond: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export interface InvoiceBenchResult {
  latency: RunFigures
  throughput: RunFigures
  moedeloRequestsPerInvoice: number
  moedeloByRoute: Record<string, number>
  bitrix24RequestsPerInvoice: number
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0

function seedDeals(emu: Bitrix24Emulator, companyId: number, count: number): number[] {
  const kind = KINDS.deal
  const ids: number[] = []
  for (let i = 0; i < count; i += 1) {
    const record = newRecord(emu.portal, kind, 1)
    applyFields(emu.portal, kind, record, { TITLE: `Поставка №${i + 1}`, STAGE_ID: FROM_STAGE, COMPANY_ID: companyId, CURRENCY_ID: 'RUB', ASSIGNED_BY_ID: 1 }, { itemMode: false, userId: 1, isNew: true, allowCategoryChange: true })
    record.IS_NEW = 'N'
    kind.store(emu.state).set(record.ID, record)
    const rows = [
      { PRODUCT_NAME: 'Ноутбук', PRICE: 95_000, QUANTITY: 1 + (i % 3), TAX_RATE: 22, TAX_INCLUDED: 'Y' },
      { PRODUCT_NAME: 'Настройка', PRICE: 3_000.5, QUANTITY: 1.5, TAX_RATE: 22, TAX_INCLUDED: 'Y', MEASURE_NAME: 'ч' },
    ]
    emu.state.productRows.set(record.ID, rows.map((r, index) => buildRow(emu.state, record.ID, r, index)))
    recalcDealFromRows(emu.state, record)
    ids.push(record.ID)
  }
  return ids
}


/** Moves each deal into the invoice stage (as the portal would, then the event), and times it until its number is in the deal. */
async function run(emu: Bitrix24Emulator, memberId: string, deals: number[], gapMs: number): Promise<RunFigures> {
  const startedAt = new Map<number, number>()
  const doneAt = new Map<number, number>()
  const started = performance.now()
  const watcher = setInterval(() => {
    for (const [id, t0] of startedAt) {
      if (doneAt.has(id)) continue
      if (emu.state.deals.get(id)?.[UF.dealInvoiceNo]) doneAt.set(id, performance.now() - t0)
    }
  }, 2)
  try {
    let ts = Date.now()
    for (const id of deals) {
      emu.state.deals.get(id)!.STAGE_ID = INVOICE_STAGE
      startedAt.set(id, performance.now())
      void enqueue(b24EventJob, { memberId, event: 'ONCRMDEALUPDATE', entityId: id, ts: ts++ })
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs))
    }
    const deadline = performance.now() + 15 * 60_000
    while (doneAt.size < deals.length) {
      if (performance.now() > deadline) throw new Error(`only ${doneAt.size} of ${deals.length} invoices after 15 minutes`)
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    clearInterval(watcher)
  }
  const seconds = (performance.now() - started) / 1000
  const sorted = [...doneAt.values()].sort((a, b) => a - b)
  return { deals: deals.length, seconds, invoicesPerSecond: deals.length / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0 }
}

export async function benchInvoiceFlow(options: { deals?: number; latencyDeals?: number; gapMs?: number } = {}): Promise<InvoiceBenchResult> {
  const deals = options.deals ?? 1000
  const latencyDeals = options.latencyDeals ?? 200
  const world = await startBenchWorld({ name: 'invoices', rateLimit: null })
  const { database, b24, md } = world
  let runner: JobRunner | undefined
  try {
    const memberId = b24.memberId
    await database.db.execute(sql`update portals set settings = ${JSON.stringify({ pipelines: { '0': { invoiceStageId: INVOICE_STAGE } } })}::jsonb`)

    // One mapped counterparty for every deal.
    const [company] = seedCompanies(b24, 1)
    const linked = await syncCompany(database.db, memberId, company!.companyId, { trigger: 'manual' })
    if (linked.kind !== 'created' && linked.kind !== 'linked') throw new Error(`the company was not linked: ${linked.kind}`)
    const latencyIds = seedDeals(b24, company!.companyId, latencyDeals)
    const throughputIds = seedDeals(b24, company!.companyId, deals)
    // The app has seen every deal in its first stage (as after an earlier event).
    for (const id of [...latencyIds, ...throughputIds]) {
      await database.db.insert(dealStages).values({ memberId, dealId: id, categoryId: 0, stageId: FROM_STAGE })
    }

    runner = await startJobRunner({ handle: database, definitions: allJobDefinitions, pollingIntervalSeconds: 0.5, concurrency: 16, retryDelaysSeconds: [1, 2, 5] })
    await clearRequestLogs(b24.url, md.url)

    const latency = await run(b24, memberId, latencyIds, options.gapMs ?? 100)
    const throughput = await run(b24, memberId, throughputIds, 0)

    const invoices = latencyIds.length + throughputIds.length
    const mdLog = await requestLog(md.url)
    const moedeloByRoute: Record<string, number> = {}
    for (const r of mdLog) {
      const route = r.path.replace(/\/\d+/g, '/{id}')
      moedeloByRoute[route] = (moedeloByRoute[route] ?? 0) + 1
    }
    const b24Log = (await requestLog(b24.url)).filter((r) => r.path.startsWith('/rest/'))
    return {
      latency,
      throughput,
      moedeloRequestsPerInvoice: mdLog.length / invoices,
      moedeloByRoute,
      bitrix24RequestsPerInvoice: b24Log.length / invoices,
    }
  } finally {
    await runner?.stop()
    await world.close()
  }
}

export function printInvoiceBench(r: InvoiceBenchResult): void {
  const line = (f: RunFigures) =>
    `${f.deals} deals in ${f.seconds.toFixed(1)} s (${f.invoicesPerSecond.toFixed(1)} invoices/s); stage → number in the deal p50 ${f.p50Ms.toFixed(0)} ms, p99 ${f.p99Ms.toFixed(0)} ms, max ${f.maxMs.toFixed(0)} ms`
  console.log('\nInvoices (stage event → MoeDelo bill → number in the deal; job runner, emulators, counterparty mapped)')
  console.log(`  latency run ............. ${line(r.latency)}`)
  console.log(`  throughput run .......... ${line(r.throughput)}`)
  console.log(`  MoeDelo requests ........ ${r.moedeloRequestsPerInvoice.toFixed(2)} per invoice ${JSON.stringify(r.moedeloByRoute)}`)
  console.log(`  Bitrix24 requests ....... ${r.bitrix24RequestsPerInvoice.toFixed(2)} per invoice`)
}

if (process.argv[1]?.endsWith('invoice-flow.ts')) {
  benchInvoiceFlow({ deals: Number(process.argv[2] ?? 1000) })
    .then(printInvoiceBench)
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
}
