/** `npm run bench`: prints figures; never part of `npm test`. */
import buildAppIfStale from '../support/global-setup'
import { benchBulkFirstSync, printBulkBench } from './bulk-first-sync'
import { benchEventIntake } from './event-intake'
import { benchInvoiceFlow, printInvoiceBench } from './invoice-flow'
import { benchPaymentPoll, printPaymentPollBench } from './payment-poll'

async function main(): Promise<void> {
  buildAppIfStale()
  const events = Number(process.env.BENCH_EVENTS ?? 10_000)
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16)
  const intake = await benchEventIntake({ events, concurrency, warmup: 500 })
  console.log(`\nEvent intake (the npm start server, PostgreSQL, workers off, one machine, load from ${intake.generator})`)
  console.log(`  events acknowledged ..... ${intake.events - intake.failed} of ${intake.events} (${intake.concurrency} connections)`)
  console.log(`  throughput .............. ${intake.eventsPerSecond.toFixed(0)} events/s over ${intake.seconds.toFixed(1)} s`)
  console.log(`  ack latency ............. p50 ${intake.p50Ms.toFixed(1)} ms, p99 ${intake.p99Ms.toFixed(1)} ms`)
  console.log(`  durably queued .......... ${intake.durablyQueued} jobs in pgboss.job`)
  if (intake.serverCpuMsPerEvent !== undefined) console.log(`  server CPU .............. ${intake.serverCpuMsPerEvent.toFixed(2)} ms per event (user + system)`)

  const invoices = Number(process.env.BENCH_INVOICES ?? 1000)
  if (invoices > 0) printInvoiceBench(await benchInvoiceFlow({ deals: invoices }))

  // The bulk first sync runs at Bitrix24's real rate limit: 5,000 companies take minutes.
  const companies = Number(process.env.BENCH_COMPANIES ?? 5000)
  if (companies > 0) printBulkBench(await benchBulkFirstSync({ companies }))

  // One payment poll cycle over 100,000 open bills, then the payment → deal latency at the default interval (≈ 1–2 min).
  const bills = Number(process.env.BENCH_PAYMENT_BILLS ?? 100_000)
  if (bills > 0) {
    printPaymentPollBench(
      await benchPaymentPoll({
        bills,
        changed: Number(process.env.BENCH_PAYMENT_CHANGED ?? 100),
        latencySamples: Number(process.env.BENCH_PAYMENT_LATENCY_SAMPLES ?? 2),
      }),
    )
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
