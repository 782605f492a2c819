/**
 * Payments back into the deal, through the real parts: bills and bank receipts in the MoeDelo
 * emulator, the poller reading them over HTTP (afterDate list, byIds, money registry), the deal in the
 * Bitrix24 emulator (stage, «Оплачено» field, timeline), the database.
 */
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { syncJournal } from '@/db/schema'
import { UF } from '@/lib/bitrix24/app-manifest'
import { paymentsForDeal } from '@/lib/payments'
import { invoiceOf, MD_KEY, PAID_STAGE, setUpPaymentsWorld, WHOLESALE_PAID_STAGE, type PaymentsWorld } from '../payments/support'

let world: PaymentsWorld

const forbid = (services: string[]) =>
  fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/forbidden`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ services }),
  })
const journal = () => world.database.db.select().from(syncJournal).where(eq(syncJournal.memberId, world.memberId))
const today = () => world.moedelo.clock.now().toISOString().slice(0, 10)
const ddmm = (iso: string) => iso.split('-').reverse().join('.')

setUpPaymentsWorld((started) => (world = started))

describe('a bill paid in full', () => {
  it('moves the deal to the pipeline’s «Оплачено» stage, shows the receipt and the amount', async () => {
    const dealId = world.createDeal()
    const { invoiceId, billId, number } = await world.issueInvoice(dealId, { sum: '12000.00', deadline: '2026-12-31' })
    const paymentId = await world.pay(billId, '12000.00', { number: '345' })

    const summary = await world.poll()

    expect(summary).toMatchObject({ status: 'done', fetched: 1, receipts: 1, paid: 1, cancelled: 0 })
    expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(12000)
    expect(world.comments(dealId)).toEqual([
      `Поступила оплата по счёту № ${number} от ${ddmm(today())}: платёжный документ № 345 от ${ddmm(today())}, 12\u00a0000,00\u00a0₽. Счёт оплачен полностью.`,
    ])
    const { row, receipts } = await invoiceOf(world, invoiceId)
    expect(row).toMatchObject({ paidSum: '12000.00', billStatus: 6, state: 'created' })
    expect(receipts).toHaveLength(1)
    expect(receipts[0]).toMatchObject({ paymentId, number: '345', date: today(), sum: '12000.00' })
    expect(receipts[0]!.announcedAt).toBeInstanceOf(Date)
  })

  it('uses the stage chosen for the deal’s own pipeline', async () => {
    const dealId = world.createDeal({ CATEGORY_ID: 1, STAGE_ID: 'C1:FINAL_INVOICE' })
    const { billId } = await world.issueInvoice(dealId, { sum: '500.00' })
    await world.pay(billId, '500.00')
    await world.poll()
    expect(world.deal(dealId).STAGE_ID).toBe(WHOLESALE_PAID_STAGE)
  })
})

describe('partial payments', () => {
  it('keep the stage, fill «Оплачено», and each adds a timeline entry with the balance; the last one moves the deal', async () => {
    const dealId = world.createDeal()
    const { invoiceId, billId, number } = await world.issueInvoice(dealId, { sum: '10000.00', deadline: '2026-12-31' })

    await world.pay(billId, '4000.00', { number: '11' })
    await world.poll()
    expect(world.deal(dealId).STAGE_ID).toBe('PREPAYMENT_INVOICE')
    expect(world.deal(dealId)[UF.dealPaid]).toBe(4000)
    expect(world.comments(dealId)).toEqual([
      `Поступила оплата по счёту № ${number} от ${ddmm(today())}: платёжный документ № 11 от ${ddmm(today())}, 4\u00a0000,00\u00a0₽. Осталось оплатить 6\u00a0000,00\u00a0₽.`,
    ])

    await world.pay(billId, '3500.50', { number: '12' })
    await world.poll()
    expect(world.deal(dealId).STAGE_ID).toBe('PREPAYMENT_INVOICE')
    expect(world.deal(dealId)[UF.dealPaid]).toBe(7500.5)
    expect(world.comments(dealId)).toHaveLength(2)
    expect(world.comments(dealId)[1]).toContain('№ 12')
    expect(world.comments(dealId)[1]).toContain('Осталось оплатить 2\u00a0499,50\u00a0₽.')

    const [tab] = await paymentsForDeal(world.database.db, world.memberId, dealId)
    expect(tab).toMatchObject({ invoiceId, status: 'partially_paid', paid: '7500.50', due: '2499.50', sum: '10000.00', overdueDays: null })
    expect(tab!.receipts.map((r) => [r.number, r.sum, r.byHand])).toEqual([
      ['11', '4000.00', false],
      ['12', '3500.50', false],
    ])

    await world.pay(billId, '2499.50', { number: '13' })
    await world.poll()
    expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(10000)
    expect(world.comments(dealId)).toHaveLength(3)
    expect(world.comments(dealId)[2]).toContain('Счёт оплачен полностью.')
    expect((await paymentsForDeal(world.database.db, world.memberId, dealId))[0]).toMatchObject({ status: 'paid', due: '0.00' })
  })
})

describe('a bill marked paid by hand in MoeDelo', () => {
  it('counts as paid: the deal moves and the timeline says it was marked by hand', async () => {
    const dealId = world.createDeal()
    const { billId, number } = await world.issueInvoice(dealId, { sum: '800.00' })
    await world.markPaidByHand(billId)
    await world.poll()

    expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(800)
    expect(world.comments(dealId)).toEqual([
      `Счёт № ${number} от ${ddmm(today())} отмечен в «Моё дело» как оплаченный вручную, без платёжного документа (800,00\u00a0₽ не подтверждены банковской выпиской). Счёт считается оплаченным.`,
    ])
    const [tab] = await paymentsForDeal(world.database.db, world.memberId, dealId)
    expect(tab).toMatchObject({ status: 'paid', markedPaidByHand: true, paid: '800.00' })
    expect(tab!.receipts).toEqual([expect.objectContaining({ paymentId: 0, byHand: true, sum: '800.00' })])
  })
})

describe('a bill deleted in MoeDelo', () => {
  it('is found by the reconciliation (404), shown as cancelled; the deal stays where it is', async () => {
    const dealId = world.createDeal()
    const kept = await world.issueInvoice(dealId, { sum: '300.00' })
    const gone = await world.issueInvoice(dealId, { sum: '700.00' })
    await world.pay(kept.billId, '300.00')
    await world.pay(gone.billId, '200.00')
    await world.poll()
    expect(world.deal(dealId)[UF.dealPaid]).toBe(500)
    const stage = world.deal(dealId).STAGE_ID

    await world.deleteBill(gone.billId)
    // A normal poll does not see a deletion (the bill just stops being listed).
    expect(await world.poll()).toMatchObject({ cancelled: 0, reconciled: false })
    const summary = await world.poll({ reconcile: true })
    expect(summary).toMatchObject({ cancelled: 1, reconciled: true })

    expect(world.deal(dealId).STAGE_ID).toBe(stage)
    expect(world.deal(dealId)[UF.dealPaid]).toBe(300)
    expect(world.comments(dealId).at(-1)).toBe(
      `Счёт № ${gone.number} от ${ddmm(today())} на 700,00\u00a0₽ удалён в «Моё дело» — счёт аннулирован. Сделка осталась на своей стадии.`,
    )
    const { row } = await invoiceOf(world, gone.invoiceId)
    expect(row.state).toBe('cancelled')
    expect(row.cancelledAt).toBeInstanceOf(Date)
    const tab = await paymentsForDeal(world.database.db, world.memberId, dealId)
    expect(tab.find((t) => t.invoiceId === gone.invoiceId)).toMatchObject({ status: 'cancelled', overdueDays: null })

    // Once: later reconciliations do not repeat it.
    await world.poll({ reconcile: true })
    expect(world.comments(dealId).filter((c) => c.includes('удалён'))).toHaveLength(1)
  })

  it('a reconciliation is due after PAYMENT_RECONCILE_INTERVAL_SECONDS', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '100.00' })
    expect((await world.poll()).reconciled).toBe(true)
    await world.deleteBill(billId)
    const later = new Date(Date.now() + 7 * 3600_000)
    expect(await world.poll({ reconcileIntervalSeconds: 6 * 3600 })).toMatchObject({ reconciled: false, cancelled: 0 })
    expect(await world.poll({ reconcileIntervalSeconds: 6 * 3600, now: () => later })).toMatchObject({ reconciled: true, cancelled: 1 })
  })
})

describe('the deal is not moved back', () => {
  it('a won, lost or further-along deal keeps its stage, with a note', async () => {
    const won = world.createDeal({ STAGE_ID: 'WON' })
    const further = world.createDeal({ STAGE_ID: 'FINAL_INVOICE' })
    const a = await world.issueInvoice(won, { sum: '100.00' })
    const b = await world.issueInvoice(further, { sum: '100.00' })
    await world.pay(a.billId, '100.00')
    await world.pay(b.billId, '100.00')
    await world.poll()

    expect(world.deal(won).STAGE_ID).toBe('WON')
    expect(world.comments(won).at(-1)).toBe(
      `Счёт № ${a.number} оплачен полностью. Сделка уже закрыта (стадия «Сделка успешна»), поэтому она не перенесена на стадию «В работе».`,
    )
    expect(world.deal(further).STAGE_ID).toBe('FINAL_INVOICE')
    expect(world.comments(further).at(-1)).toBe(
      `Счёт № ${b.number} оплачен полностью. Сделка уже на стадии «Финальный счёт», которая идёт после стадии «В работе», поэтому стадия не изменена.`,
    )
    expect(world.deal(won)[UF.dealPaid]).toBe(100)
  })
})

describe('what the poller reads', () => {
  /** Moves our clock and MoeDelo's together, so earlier changes fall out of the overlap window. */
  let offsetMs = 0
  const now = () => new Date(Date.now() + offsetMs)
  const advanceHours = (hours: number) => {
    offsetMs += hours * 3600_000
    world.moedelo.clock.advance(hours * 3600_000)
  }
  beforeEach(() => {
    offsetMs = 0
  })

  it('finds a payment through the money registry when linking does not move the bill’s ModifyDate (spec §4.5 UNKNOWN)', async () => {
    const dealId = world.createDeal()
    const { billId, number } = await world.issueInvoice(dealId, { sum: '900.00' })
    await world.poll({ now })
    advanceHours(1)
    await world.poll({ now })
    await fetch(`${world.moedelo.url}/__emulator/config`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentLinkBumpsModifyDate: false }),
    })
    advanceHours(1)
    await world.pay(billId, '900.00', { description: `Оплата по счёту № ${number}` })
    const summary = await world.poll({ now })
    expect(summary).toMatchObject({ listed: 0, registryPayments: 1, fetched: 1, receipts: 1, paid: 1 })
    expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
    // Recorded: the same registry line does not send the bill to be read again.
    expect(await world.poll({ now })).toMatchObject({ registryPayments: 0, fetched: 0 })
  })

  it('an idle portal costs one list and one registry request; a change costs one byIds more', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '100.00' })
    await world.poll({ now })
    advanceHours(1)
    await world.poll({ now })
    advanceHours(1)
    await world.clearMoeDeloLog()
    expect(await world.poll({ now })).toMatchObject({ listed: 0, fetched: 0, receipts: 0 })
    expect((await world.moedeloRequests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /accounting/api/v1/sales/bill',
      'GET /money/api/v1/Registry',
    ])

    await world.clearMoeDeloLog()
    await world.pay(billId, '40.00')
    expect(await world.poll({ now })).toMatchObject({ listed: 1, fetched: 1, receipts: 1 })
    expect((await world.moedeloRequests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /accounting/api/v1/sales/bill',
      'GET /money/api/v1/Registry',
      'POST /accounting/api/v1/sales/bill/byIds',
    ])
  })

  it('a listed bill whose entry matches the mirror is not read again', async () => {
    const dealId = world.createDeal()
    await world.issueInvoice(dealId, { sum: '100.00' })
    await world.poll({ now })
    await world.clearMoeDeloLog()
    // Still inside the overlap window: listed again, but nothing differs from the mirror.
    expect(await world.poll({ now })).toMatchObject({ listed: 1, fetched: 0 })
    expect((await world.moedeloRequests()).some((r) => r.path.endsWith('/byIds'))).toBe(false)
  })

  it('a tariff without the money registry: payments are still found through the bills; the journal says so once', async () => {
    const dealId = world.createDeal()
    const { billId } = await world.issueInvoice(dealId, { sum: '250.00' })
    await forbid(['money'])
    try {
      await world.pay(billId, '250.00')
      expect(await world.poll()).toMatchObject({ registryRefused: true, receipts: 1, paid: 1 })
      await world.poll()
      expect(world.deal(dealId).STAGE_ID).toBe(PAID_STAGE)
      const warnings = (await journal()).filter((j) => j.message.startsWith('Реестр денежных операций «Моё дело» недоступен'))
      expect(warnings).toHaveLength(1)
    } finally {
      await forbid([])
    }
  })

  it('reads nothing from MoeDelo while the portal has no invoices', async () => {
    await world.clearMoeDeloLog()
    expect(await world.poll()).toMatchObject({ status: 'done', listed: 0, fetched: 0 })
    expect(await world.moedeloRequests()).toEqual([])
  })
})
