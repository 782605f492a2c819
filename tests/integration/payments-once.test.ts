/**
 * Nothing twice, nothing lost: each receipt gives exactly one timeline entry and one stage move however
 * often the poller sees it (runs repeated, runs at once, deliveries at once, the job chain), and the
 * cursor only moves past what is safely recorded — a run that dies mid-way, a Bitrix24 outage after
 * recording, a send whose answer was lost.
 */
import { and, eq, sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { paymentEffects, paymentPollState, syncJournal } from '@/db/schema'
import { bitrix24For, forgetBitrix24Client } from '@/lib/bitrix24/client'
import { UF } from '@/lib/bitrix24/app-manifest'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { deliverPaymentEffects, paymentJobs, paymentPollJob, schedulePaymentJobs, schedulePaymentPoll } from '@/lib/payments'
import { recordBill } from '@/lib/payments/store'
import { count, waitFor } from '../support/jobs/helpers'
import { invoiceOf, MD_KEY, PAID_STAGE, setUpPaymentsWorld, type PaymentsWorld } from '../payments/support'

let world: PaymentsWorld

const movesTo = (dealId: number, stageId: string) =>
  world.portal.state.stageHistory.filter((h) => h.OWNER_ID === dealId && h.TYPE_ID === 2 && h.STAGE_ID === stageId).length
const pollState = async () => (await world.database.db.select().from(paymentPollState).where(eq(paymentPollState.memberId, world.memberId)))[0]
const openEffects = async () =>
  (await world.database.db.select().from(paymentEffects).where(eq(paymentEffects.memberId, world.memberId))).filter((e) => e.state !== 'done')
/** A stopped runner leaves the chain's next run queued: drop it, so it cannot run under a later test. */
const dropPaymentJobs = () => world.database.db.execute(sql`delete from pgboss.job where name in ('payments.poll', 'payments.overdue')`)
const fault = (url: string, rule: Record<string, unknown>) =>
  fetch(`${url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) })

setUpPaymentsWorld((started) => (world = started))
beforeEach(async () => {
  forgetBitrix24Client(world.database.db)
})

describe('each receipt once', () => {
  it('polling again, and several polls at once, add no second entry and no second move', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '1000.00' })
    await world.pay(billId, '400.00')
    await world.poll()
    await world.poll()
    await world.poll({ reconcile: true })
    expect(world.comments(dealId)).toHaveLength(1)

    await world.pay(billId, '600.00')
    const runs = await Promise.all([world.poll(), world.poll(), world.poll()])
    expect(runs.filter((r) => r.status === 'done').length).toBeGreaterThanOrEqual(1)
    await world.poll()
    expect(world.comments(dealId)).toHaveLength(2)
    expect(movesTo(dealId, PAID_STAGE)).toBe(1)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(1000)
  })

  it('two deliverers at once (two workers) send each recorded effect once', async () => {
    const deals = [world.createDeal(), world.createDeal(), world.createDeal()]
    const md = (await moedeloClientFor(world.database.db, world.memberId))!
    for (const dealId of deals) {
      const { billId } = await world.issueInvoice(dealId, { sum: '50.00' })
      await world.pay(billId, '50.00')
      // Recorded as a poll would, but not delivered yet.
      await recordBill(world.database.db, world.memberId, (await md.getBill(billId))!)
    }
    const client = await bitrix24For(world.database.db, world.memberId)
    const deliver = () => deliverPaymentEffects(world.database.db, world.memberId, async () => client, { takeoverAfterMs: 60_000 })
    const [a, b] = await Promise.all([deliver(), deliver()])
    expect(a.comments + b.comments).toBe(3)
    expect(a.moved + b.moved).toBe(3)
    for (const dealId of deals) {
      expect(world.comments(dealId)).toHaveLength(1)
      expect(movesTo(dealId, PAID_STAGE)).toBe(1)
    }
    expect(await openEffects()).toEqual([])
  })

  it('scheduling a portal again (another worker starting, a restart) keeps one queued run', async () => {
    const sender = await startJobRunner({ handle: world.database, definitions: paymentJobs, work: false, registerGlobal: true })
    try {
      await schedulePaymentJobs(world.database.db, world.memberId)
      await schedulePaymentJobs(world.database.db, world.memberId)
      await schedulePaymentPoll(world.memberId)
      const queued = (name: string) =>
        count(world.database.db, sql`select count(*) as n from pgboss.job where name = ${name} and state in ('created', 'retry')`)
      expect(await queued('payments.poll')).toBe(1)
      expect(await queued('payments.overdue')).toBe(1)
    } finally {
      await sender.stop()
      await dropPaymentJobs()
    }
  })

  it('the job chain polls on its interval', async () => {
    const runner: JobRunner = await startJobRunner({
      handle: world.database,
      definitions: paymentJobs,
      pollingIntervalSeconds: 0.5,
      retryDelaysSeconds: [1, 1, 1],
      registerGlobal: true,
    })
    try {
      const dealId = world.createDeal()
      const { billId } = await world.issueInvoice(dealId, { sum: '75.00' })
      await runner.enqueue(paymentPollJob, { memberId: world.memberId, intervalSeconds: 1 }, { singletonKey: `payments-poll:${world.memberId}` })
      await waitFor('the first poll', async () => (await pollState())?.lastRunAt)
      await world.pay(billId, '75.00')
      await waitFor('the deal to move', () => world.deal(dealId).STAGE_ID === PAID_STAGE, { timeoutMs: 20_000 })
      const lastRun = (await pollState())!.lastRunAt!.getTime()
      await waitFor('the chain to run again', async () => ((await pollState())!.lastRunAt!.getTime() > lastRun ? true : undefined), { timeoutMs: 20_000 })
      expect(world.comments(dealId)).toHaveLength(1)
      expect(movesTo(dealId, PAID_STAGE)).toBe(1)
    } finally {
      await runner.stop()
      await dropPaymentJobs()
    }
  })
})

describe('when MoeDelo refuses the key', () => {
  it('the chain goes on, the journal says so once, and payments flow again once it is fixed', async () => {
    const forbid = (services: string[]) =>
      fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/forbidden`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ services }),
      })
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '60.00' })
    await forbid(['accounting'])
    const runner = await startJobRunner({ handle: world.database, definitions: paymentJobs, pollingIntervalSeconds: 0.5, retryDelaysSeconds: [1, 1, 1] })
    try {
      await world.clearMoeDeloLog()
      await runner.enqueue(paymentPollJob, { memberId: world.memberId, intervalSeconds: 1 }, { singletonKey: `payments-poll:${world.memberId}` })
      await waitFor('three refused polls', async () => ((await world.moedeloRequests()).filter((r) => r.status === 403).length >= 3 ? true : undefined), {
        timeoutMs: 20_000,
      })
      const refused = (await world.database.db.select().from(syncJournal).where(eq(syncJournal.memberId, world.memberId))).filter((j) =>
        j.message.startsWith('Оплаты из «Моё дело» не проверяются'),
      )
      expect(refused).toHaveLength(1)
      expect(refused[0]!.message).toContain('Тариф или права пользователя в «Моё дело» не дают доступа')

      await forbid([])
      await world.pay(billId, '60.00')
      await waitFor('the deal to move', () => world.deal(dealId).STAGE_ID === PAID_STAGE, { timeoutMs: 20_000 })
    } finally {
      await runner.stop()
      await dropPaymentJobs()
      await forbid([])
    }
  })
})

describe('the cursor moves only past what is recorded', () => {
  it('a run that fails reading MoeDelo leaves cursor and mirror; the next run records the payment once', async () => {
    const dealId = world.createDeal()
    const { invoiceId, billId } = await world.issueInvoice(dealId, { sum: '500.00' })
    await world.poll()
    const before = (await pollState())!.cursor
    await world.pay(billId, '500.00')
    await fault(world.moedelo.url, { kind: 'status', status: 500, pathPrefix: '/accounting/api/v1/sales/bill/byIds', times: 1 })

    await expect(world.poll()).rejects.toMatchObject({ retryable: true })
    expect((await pollState())!.cursor).toBe(before)
    expect((await invoiceOf(world, invoiceId)).receipts).toEqual([])
    expect(world.comments(dealId)).toEqual([])

    await world.poll()
    expect(world.comments(dealId)).toHaveLength(1)
    expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
    expect(Date.parse((await pollState())!.cursor!)).toBeGreaterThan(Date.parse(before!))
  })

  it('a run that died after recording but before moving the cursor is repeated without duplicates', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '500.00' })
    await world.poll()
    const before = (await pollState())!.cursor
    await world.pay(billId, '200.00')
    const md = (await moedeloClientFor(world.database.db, world.memberId))!
    // What the dead run managed: the bill recorded with its effects; cursor untouched, nothing sent.
    await recordBill(world.database.db, world.memberId, (await md.getBill(billId))!)
    expect((await pollState())!.cursor).toBe(before)

    await world.poll()
    expect(world.comments(dealId)).toHaveLength(1)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(200)
  })

  it('a Bitrix24 outage after recording: the cursor moves, the effects wait and are sent once when it is back', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '500.00' })
    await world.poll()
    await world.pay(billId, '500.00')
    await fault(world.portal.url, { kind: 'status', status: 503, body: { error: 'OVERLOAD_LIMIT', error_description: 'down' }, pathPrefix: '/rest/' })

    await expect(world.poll()).rejects.toMatchObject({ retryable: true })
    expect((await invoiceOf(world, (await world.database.db.select().from(paymentEffects))[0]!.invoiceId!)).row.paidSum).toBe('500.00')
    expect((await openEffects()).map((e) => e.kind).sort()).toEqual(['paid', 'paid_field', 'receipt'])
    expect(world.comments(dealId)).toEqual([])

    await fetch(`${world.portal.url}/__emulator/faults`, { method: 'DELETE' })
    await world.poll()
    await world.poll()
    expect(world.comments(dealId)).toHaveLength(1)
    expect(movesTo(dealId, PAID_STAGE)).toBe(1)
    expect(await openEffects()).toEqual([])
  })

  it('a send whose answer was lost is looked up in the timeline, not sent again', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '900.00' })
    await world.poll()
    await world.pay(billId, '300.00')
    // Bitrix24 takes the batch (timeline entry + «Оплачено») but answers after the client gave up.
    forgetBitrix24Client(world.database.db)
    const impatient = await bitrix24For(world.database.db, world.memberId, { timeoutMs: 500 })
    await fault(world.portal.url, { kind: 'latency', delayMs: 1500, pathPrefix: '/rest/', method: 'POST', times: 1 })

    await expect(world.poll({ bitrix24: impatient })).rejects.toBeTruthy()
    await waitFor('the delayed batch to land', () => world.comments(dealId).length === 1)
    expect((await openEffects()).every((e) => e.state === 'sending')).toBe(true)

    forgetBitrix24Client(world.database.db)
    // Within the takeover time an unconfirmed send is left alone…
    await world.poll({ takeoverAfterMs: 60_000 })
    expect((await openEffects()).length).toBe(2)
    // …after it, it is checked: found in the timeline, so only the idempotent field write is repeated.
    const summary = await world.poll({ takeoverAfterMs: 0 })
    expect(summary.delivery).toMatchObject({ confirmed: 1, comments: 0, fields: 1 })
    expect(world.comments(dealId)).toHaveLength(1)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(300)
    expect(await openEffects()).toEqual([])
    const receiptEffect = (
      await world.database.db
        .select()
        .from(paymentEffects)
        .where(and(eq(paymentEffects.memberId, world.memberId), eq(paymentEffects.kind, 'receipt')))
    )[0]
    expect(receiptEffect).toMatchObject({ state: 'done', outcome: 'written' })
  })
})
