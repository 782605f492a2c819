/**
 * Payment poll benchmark: 100,000 open bills in the MoeDelo emulator (seeded in process) mirrored as
 * 100,000 invoices in the database; N of them paid since the last poll. One poll cycle is measured:
 * MoeDelo requests (the emulator's request log), Bitrix24 requests, wall time. Target: ≤ 3 MoeDelo
 * requests and < 2 s for 100 changed bills. The Bitrix24 emulator and the client's limiter run at the
 * real 2 requests/s (burst 50 / stop at 40).
 *
 * Then the latency from "payment recorded in MoeDelo" to "deal moved" through the real job chain at
 * the default interval (PAYMENT_POLL_INTERVAL_SECONDS, 60 s): payments recorded at random moments.
 *
 *   npx tsx tests/bench/payment-poll.ts [bills] [changed]      (also exported for `npm run bench`)
 *
 * Env: BENCH_PAYMENT_LATENCY_SAMPLES (default 2; 0 = skip). Database: PostgreSQL when DATABASE_URL
 * is set, an in-memory PGlite otherwise.
 */
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { invoices, paymentPollState, portals } from '@/db/schema'
import { config } from '@/lib/config'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { paymentJobs, runPaymentPoll, schedulePaymentPoll, type PaymentPollSummary } from '@/lib/payments'
import { clearRequestLogs, requestLog, startBenchWorld } from './world'

const PAID_STAGE = 'EXECUTING'
const DAY_MS = 86_400_000

export interface PaymentPollBenchResult {
  driver: 'pglite' | 'postgres'
  bills: number
  changed: number
  seedSeconds: number
  /** The measured cycle. */
  seconds: number
  moedeloRequests: number
  moedeloByRoute: Record<string, number>
  bitrix24Requests: number
  summary: PaymentPollSummary
  dealsMoved: number
  idleSeconds: number
  idleMoedeloRequests: number
  intervalSeconds: number
  /** Payment recorded in MoeDelo → deal moved, through the job chain, seconds. */
  latencies: number[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function benchPaymentPoll(
  options: { bills?: number; changed?: number; latencySamples?: number; log?: (line: string) => void } = {},
): Promise<PaymentPollBenchResult> {
  const bills = options.bills ?? 100_000
  const changed = Math.min(options.changed ?? 100, bills)
  const latencySamples = options.latencySamples ?? 2
  const say = options.log ?? (() => {})
  const world = await startBenchWorld({ name: 'payments', rateLimit: { drainRate: 2, burst: 50 }, eventDelayMs: 5, logLevel: 'fatal' })
  const { database, b24, md, mdApiKey, memberId } = world
  const db = database.db
  let runner: JobRunner | undefined
  try {
    await db.update(portals).set({ settings: { pipelines: { '0': { paidStageId: PAID_STAGE } } } }).where(eq(portals.memberId, memberId))

    // ---- seed: bills in MoeDelo, invoices in the database, deals for the ones that get paid ----
    const seedStarted = performance.now()
    const seededAt = new Date(Date.now() - 2 * DAY_MS)
    const kontragentId = 18_000_001
    const seeded = md.seedBills(
      mdApiKey,
      Array.from({ length: bills }, (_, i) => ({
        Number: String(i + 1),
        DocDate: '2026-01-15',
        DeadLine: '2026-12-31',
        KontragentId: kontragentId,
        Sum: `${1000 + (i % 1000)}.00`,
        modifyDate: seededAt,
      })),
    )
    const deals = Array.from({ length: changed }, (_, i) =>
      b24.uiCreate('deal', { TITLE: `Сделка ${i + 1}`, STAGE_ID: 'PREPAYMENT_INVOICE', ASSIGNED_BY_ID: 1 }, 1).ID,
    )
    const modifiedText = seededAt.toISOString()
    for (let i = 0; i < bills; i += 2000) {
      await db.insert(invoices).values(
        seeded.slice(i, i + 2000).map((bill, j) => ({
          id: randomUUID(),
          memberId,
          dealId: i + j < changed ? deals[i + j]! : 1_000_000 + i + j,
          trigger: 'button' as const,
          state: 'created' as const,
          kontragentId,
          billId: bill.Id,
          number: bill.Number,
          docDate: bill.DocDate,
          deadline: bill.DeadLine,
          sum: `${1000 + ((i + j) % 1000)}.00`,
          paidSum: '0.00',
          billStatus: 4,
          billModifiedAt: modifiedText,
          createdAt: seededAt,
        })),
      )
    }
    // The portal has been polled before: the cursor is a day old, the reconciliation is not due.
    await db
      .insert(paymentPollState)
      .values({ memberId, cursor: new Date(Date.now() - DAY_MS).toISOString(), lastReconciledAt: new Date() })
      .onConflictDoUpdate({ target: paymentPollState.memberId, set: { cursor: new Date(Date.now() - DAY_MS).toISOString(), lastReconciledAt: new Date() } })
    const seedSeconds = (performance.now() - seedStarted) / 1000
    say(`seeded ${bills} bills and invoices in ${seedSeconds.toFixed(1)} s`)

    // An idle cycle first (a poller that has been running): also measured.
    await runPaymentPoll(db, memberId)
    await clearRequestLogs(md.url)
    const idleStarted = performance.now()
    await runPaymentPoll(db, memberId)
    const idleSeconds = (performance.now() - idleStarted) / 1000
    const idleMoedeloRequests = (await requestLog(md.url)).length

    // ---- N bills paid in MoeDelo since the last poll ----
    for (let i = 0; i < changed; i += 1) {
      const response = await fetch(`${md.url}/__emulator/firms/${mdApiKey}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ BillId: seeded[i]!.Id, Sum: `${1000 + (i % 1000)}.00`, Number: `П-${i + 1}` }),
      })
      if (response.status !== 201) throw new Error(`payment import failed: ${response.status}`)
    }
    // Install and seeding requests are not part of the measurement: let the bucket drain, clear the logs.
    await sleep(Math.ceil((50 / 2) * 1000))
    await clearRequestLogs(md.url, b24.url)

    const started = performance.now()
    const summary = await runPaymentPoll(db, memberId)
    const seconds = (performance.now() - started) / 1000
    const mdLog = await requestLog(md.url)
    const moedeloByRoute: Record<string, number> = {}
    for (const r of mdLog) moedeloByRoute[`${r.method} ${r.path}`] = (moedeloByRoute[`${r.method} ${r.path}`] ?? 0) + 1
    const bitrix24Requests = (await requestLog(b24.url)).filter((r) => r.path.startsWith('/rest/')).length
    const dealsMoved = deals.filter((id) => b24.state.deals.get(id)?.STAGE_ID === PAID_STAGE).length

    // ---- latency through the job chain at the default interval ----
    const intervalSeconds = config().PAYMENT_POLL_INTERVAL_SECONDS
    const latencies: number[] = []
    if (latencySamples > 0) {
      const extra = Array.from({ length: latencySamples }, (_, i) =>
        b24.uiCreate('deal', { TITLE: `Задержка ${i + 1}`, STAGE_ID: 'PREPAYMENT_INVOICE', ASSIGNED_BY_ID: 1 }, 1).ID,
      )
      const targets = extra.map((dealId, k) => ({ dealId, bill: seeded[changed + k]!, sum: `${1000 + ((changed + k) % 1000)}.00` }))
      for (const t of targets) await db.update(invoices).set({ dealId: t.dealId }).where(eq(invoices.billId, t.bill.Id))
      runner = await startJobRunner({ handle: database, definitions: paymentJobs })
      await schedulePaymentPoll(memberId)
      say(`latency: ${latencySamples} payment(s) at random moments, polling every ${intervalSeconds} s`)
      for (const t of targets) {
        await sleep(Math.random() * intervalSeconds * 1000)
        const response = await fetch(`${md.url}/__emulator/firms/${mdApiKey}/payments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ BillId: t.bill.Id, Sum: t.sum }),
        })
        if (response.status !== 201) throw new Error(`payment import failed: ${response.status}`)
        const paidAt = performance.now()
        for (;;) {
          if (b24.state.deals.get(t.dealId)?.STAGE_ID === PAID_STAGE) break
          if (performance.now() - paidAt > 5 * intervalSeconds * 1000) throw new Error('the deal did not move within 5 intervals')
          await sleep(50)
        }
        latencies.push((performance.now() - paidAt) / 1000)
        say(`  sample ${latencies.length}: ${latencies.at(-1)!.toFixed(1)} s`)
      }
    }

    return {
      driver: database.driver,
      bills,
      changed,
      seedSeconds,
      seconds,
      moedeloRequests: mdLog.length,
      moedeloByRoute,
      bitrix24Requests,
      summary,
      dealsMoved,
      idleSeconds,
      idleMoedeloRequests,
      intervalSeconds,
      latencies,
    }
  } finally {
    await runner?.stop()
    await world.close()
  }
}

export function printPaymentPollBench(r: PaymentPollBenchResult): void {
  const db = r.driver === 'postgres' ? 'PostgreSQL' : 'PGlite'
  console.log(`\nPayment poll (${db}, ${r.bills.toLocaleString('en')} open bills in MoeDelo, ${r.changed} paid since the last poll)`)
  console.log(`  MoeDelo requests ........ ${r.moedeloRequests} (${Object.entries(r.moedeloByRoute).map(([k, n]) => `${k} ×${n}`).join(', ')}) — target ≤ 3`)
  console.log(`  wall time ............... ${r.seconds.toFixed(2)} s — target < 2 s`)
  console.log(`  recorded ................ ${r.summary.receipts} receipts, ${r.summary.paid} paid, ${r.dealsMoved} deals moved`)
  console.log(`  Bitrix24 requests ....... ${r.bitrix24Requests} (batches of ≤ 50 commands, limiter 2 req/s)`)
  console.log(`  idle cycle .............. ${r.idleMoedeloRequests} MoeDelo requests, ${r.idleSeconds.toFixed(2)} s`)
  if (r.latencies.length > 0) {
    const mean = r.latencies.reduce((a, b) => a + b, 0) / r.latencies.length
    console.log(`\nPayment → deal moved, job chain at the default interval (${r.intervalSeconds} s)`)
    console.log(`  samples ................. ${r.latencies.map((s) => `${s.toFixed(1)} s`).join(', ')} (mean ${mean.toFixed(1)} s)`)
    console.log(
      `  expected ................ mean ≈ ${r.intervalSeconds / 2} s + a cycle, worst ≈ ${r.intervalSeconds} s + worker pick-up (≤ 2 s) + a cycle`,
    )
  }
}

if (process.argv[1] && /payment-poll\.ts$/.test(process.argv[1])) {
  const bills = Number(process.argv[2] ?? process.env.BENCH_PAYMENT_BILLS ?? 100_000)
  const changed = Number(process.argv[3] ?? process.env.BENCH_PAYMENT_CHANGED ?? 100)
  const latencySamples = Number(process.env.BENCH_PAYMENT_LATENCY_SAMPLES ?? 2)
  benchPaymentPoll({ bills, changed, latencySamples, log: (line) => console.log(line) })
    .then((r) => printPaymentPollBench(r))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error)
      process.exit(1)
    })
}
