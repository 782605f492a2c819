/**
 * The invoice flow end to end against the emulators: deal → checks → counterparty → one MoeDelo bill
 * → number, date, sum, link and PDF in the deal, timeline comment with the file; problems reported
 * and nothing sent; exactly one bill for double clicks, duplicate events and a lost response; MoeDelo's
 * refusal and outage in plain Russian; the repeat invoice.
 */
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoices } from '@/db/schema'
import { UF } from '@/lib/bitrix24/app-manifest'
import { handleB24Event } from '@/lib/bitrix24/event-jobs'
import { resetConfigForTests } from '@/lib/config'
import { requestInvoice } from '@/lib/invoicing/jobs'
import { getInvoice } from '@/lib/invoicing/store'
import { dealInvoices, previewInvoice } from '@/lib/invoicing/view'
import { getActivePortal } from '@/lib/portals/repository'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { addProduct, moedeloGoods, resetCatalog, VAT } from '../catalog/support'
import { allJobDefinitions } from '@/lib/jobs/definitions'
import { MoeDeloError } from '@/lib/moedelo'
import { notificationsFor, startWorld, useRegistry, type World } from '../counterparties/support'
import {
  billsInMoeDelo,
  createBuyer,
  createDeal,
  dealComments,
  dealOf,
  issue,
  MANAGER,
  MD_KEY,
  resetInvoices,
  STANDARD_ROWS,
} from '../invoicing/support'

let world: World
let sender: JobRunner

// Jobs are queued for real but not worked: each test runs the job body itself, step by step.
beforeAll(async () => {
  world = await startWorld()
  sender = await startJobRunner({ handle: world.database, definitions: allJobDefinitions, work: false })
})

afterAll(async () => {
  await sender?.stop()
  await world?.close()
})

beforeEach(async () => {
  await resetInvoices(world)
  await useRegistry(world, 'dadata')
})

const request = (dealId: number, extra: Partial<Parameters<typeof requestInvoice>[1]> = {}) =>
  requestInvoice(world.database.db, { memberId: world.memberId, dealId, trigger: 'button', requestedBy: MANAGER, ...extra })

async function requested(dealId: number, extra: Partial<Parameters<typeof requestInvoice>[1]> = {}): Promise<string> {
  const outcome = await request(dealId, extra)
  if (outcome.kind !== 'queued') throw new Error(`not queued: ${outcome.kind}`)
  return outcome.invoice.id
}

async function portal() {
  return (await getActivePortal(world.database.db, world.memberId))!
}

describe('a bill from the deal', () => {
  it('makes one bill equal to the deal to the kopeck and writes number, date, sum, id, link and PDF back', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    const invoiceId = await requested(dealId)

    const outcome = await issue(world, invoiceId)
    expect(outcome.kind).toBe('issued')
    const [bill] = billsInMoeDelo(world)
    expect(billsInMoeDelo(world)).toHaveLength(1)
    const deal = dealOf(world, dealId)
    // 2 × 95 000 + 1.5 × 3 000.50 = 194 500.75
    expect(String(deal.OPPORTUNITY)).toBe('194500.75')
    expect(bill!.sumKopecks).toBe(19_450_075n)
    expect(bill!.NdsPositionType).toBe(3)
    expect(bill!.Items.map((i) => [i.Name, i.Count, i.Type, i.NdsType])).toEqual([
      ['Ноутбук', 2, 2, 22],
      ['Настройка', 1.5, 2, 22],
    ])

    const row = (await getInvoice(world.database.db, world.memberId, invoiceId))!
    expect(row).toMatchObject({ state: 'created', billId: bill!.Id, number: bill!.Number, sum: '194500.75', pdf: 'attached' })
    expect(deal[UF.dealInvoiceNo]).toBe(bill!.Number)
    expect(deal[UF.dealBillId]).toBe(String(bill!.Id))
    expect(Number(deal[UF.dealInvoiceSum])).toBe(194500.75)
    expect(String(deal[UF.dealInvoiceDate])).toContain(bill!.DocDate.slice(0, 4))
    expect(String(deal[UF.dealInvoiceUrl])).toContain(`/bill/online/${bill!.onlineToken}`)
    const fileId = Number(deal[UF.dealInvoicePdf])
    const file = world.portal.state.files.get(fileId)!
    expect(file.content.subarray(0, 5).toString()).toBe('%PDF-')
    expect(file.content.toString('latin1')).toContain(`Bill No. ${bill!.Number}`)

    const [comment] = dealComments(world, dealId)
    expect(comment!.COMMENT).toContain(`Выставлен счёт № ${bill!.Number}`)
    expect(comment!.COMMENT).toContain('194\u00A0500,75\u00A0₽')
    expect(comment!.FILES).toHaveLength(1)
    expect(world.portal.state.files.get(comment!.FILES[0]!)!.content.subarray(0, 5).toString()).toBe('%PDF-')

    // Running the job again (a replay) changes nothing.
    expect((await issue(world, invoiceId)).kind).toBe('issued')
    expect(billsInMoeDelo(world)).toHaveLength(1)
    expect(dealComments(world, dealId)).toHaveLength(1)

    const view = await dealInvoices(world.database.db, await portal(), dealId)
    expect(view.invoices[0]).toMatchObject({ number: bill!.Number, sum: '194500.75', pdf: 'attached', state: 'created', payment: 'unpaid', due: '194500.75' })
    expect(view.canRepeat).toBe(true)
  })

  it('no PDF from MoeDelo: the deal gets the link, and the timeline says the PDF could not be had', async () => {
    world.moedelo.switches.billPdfAvailable = false
    try {
      const { companyId } = await createBuyer(world)
      const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
      const invoiceId = await requested(dealId)
      expect((await issue(world, invoiceId)).kind).toBe('issued')
      const [bill] = billsInMoeDelo(world)
      expect((await getInvoice(world.database.db, world.memberId, invoiceId))!.pdf).toBe('unavailable')
      const deal = dealOf(world, dealId)
      expect(deal[UF.dealInvoiceNo]).toBe(bill!.Number)
      expect(String(deal[UF.dealInvoiceUrl])).toContain(`/bill/online/${bill!.onlineToken}`)
      expect(deal[UF.dealInvoicePdf] ?? null).toBeNull()
      const [comment] = dealComments(world, dealId)
      expect(comment!.COMMENT).toContain('PDF счёта получить из «Моё дело» не удалось — откройте счёт по ссылке выше.')
      expect(comment!.COMMENT).toContain(`/bill/online/${bill!.onlineToken}`)
      expect(comment!.FILES).toHaveLength(0)
    } finally {
      world.moedelo.switches.billPdfAvailable = true
    }
  })

  it('VAT on top with a discount, and rows without VAT: MoeDelo computes exactly the deal sum', async () => {
    const { companyId } = await createBuyer(world)
    const onTop = await createDeal(world, {
      companyId,
      rows: [
        { PRODUCT_NAME: 'Монитор', PRICE: 28_500, QUANTITY: 3, TAX_RATE: 20, TAX_INCLUDED: 'N', DISCOUNT_TYPE_ID: 2, DISCOUNT_RATE: 10 },
        { PRODUCT_NAME: 'Кабель', PRICE: 499.99, QUANTITY: 7, TAX_RATE: 20, TAX_INCLUDED: 'N' },
      ],
    })
    const noVat = await createDeal(world, { companyId, rows: [{ PRODUCT_NAME: 'Книга', PRICE: 880, QUANTITY: 3, TAX_RATE: null }] })
    expect((await issue(world, await requested(onTop))).kind).toBe('issued')
    const bill = billsInMoeDelo(world)[0]!
    expect((Number(bill.sumKopecks) / 100).toFixed(2)).toBe(Number(dealOf(world, onTop).OPPORTUNITY).toFixed(2))

    // A row without a VAT rate is a problem by default: nothing is sent.
    const outcome = await issue(world, await requested(noVat))
    expect(outcome.kind).toBe('rejected')
    expect(billsInMoeDelo(world)).toHaveLength(1)
  })
})

describe('catalog goods on the bill', () => {
  it('goods lines reference their MoeDelo stock good (made on the way if new), services go as service lines; a good deleted in MoeDelo is made again', async () => {
    await resetCatalog(world)
    const laptop = await addProduct(world, { name: 'Ноутбук Lenovo ThinkPad E14', price: 95000, vatId: VAT.twentyTwo, vatIncluded: 'Y' })
    const consulting = await addProduct(world, { name: 'Консультация бухгалтера', price: 3000, vatId: VAT.twentyTwo, vatIncluded: 'Y' }, 'service')
    const { companyId } = await createBuyer(world)
    const rows = [
      { PRODUCT_ID: laptop, PRICE: 95000, QUANTITY: 2, TAX_RATE: 22, TAX_INCLUDED: 'Y' as const },
      { PRODUCT_ID: consulting, PRICE: 3000, QUANTITY: 4, TAX_RATE: 22, TAX_INCLUDED: 'Y' as const, MEASURE_NAME: 'ч' },
    ]
    const first = await createDeal(world, { companyId, rows })
    expect((await issue(world, await requested(first))).kind).toBe('issued')
    const [good] = moedeloGoods(world)
    expect(moedeloGoods(world)).toHaveLength(1)
    expect(billsInMoeDelo(world)[0]!.Items.map((i) => [i.Type, i.StockProductId ?? null])).toEqual([
      [1, good!.Id],
      [2, null],
    ])

    // The accountant deletes the good in MoeDelo; the next bill makes it again instead of failing.
    world.moedelo.firm(MD_KEY).goods.delete(good!.Id)
    const second = await createDeal(world, { companyId, rows })
    expect((await issue(world, await requested(second))).kind).toBe('issued')
    const [again] = moedeloGoods(world)
    expect(again!.Id).not.toBe(good!.Id)
    expect(billsInMoeDelo(world)[1]!.Items[0]!.StockProductId).toBe(again!.Id)
  })
})

describe('checks before anything is sent', () => {
  it('lists every problem at once in plain Russian; nothing is created anywhere', async () => {
    const dealId = await createDeal(world, { currency: 'USD' })
    const preview = await previewInvoice(world.database.db, await portal(), dealId, 'new')
    expect(preview.ok).toBe(false)
    const problems = (preview as { problems: string[] }).problems
    expect(problems).toEqual([
      'В сделке не выбран клиент — укажите компанию (или контакт с реквизитами физлица) в поле «Клиент» сделки',
      expect.stringContaining('только в рублях'),
      'В сделке нет товаров — добавьте хотя бы одну позицию на вкладке «Товары»',
    ])

    const outcome = await issue(world, await requested(dealId))
    expect(outcome.kind).toBe('rejected')
    expect(billsInMoeDelo(world)).toHaveLength(0)
    expect(world.moedelo.firm('33333333-cccc-4ccc-8ccc-000000000003').kontragents.size).toBe(0)
    const view = await dealInvoices(world.database.db, await portal(), dealId)
    expect(view.invoices[0]!.state).toBe('rejected')
    expect(view.invoices[0]!.problems).toEqual(problems)
    // From the button the manager sees it in the tab: no notification, no comment.
    expect(notificationsFor(world, MANAGER)).toHaveLength(0)
    expect(dealComments(world, dealId)).toHaveLength(0)
  })

  it('from a stage trigger the responsible manager gets a notification and the deal a comment, once', async () => {
    const settings = { pipelines: { '0': { invoiceStageId: 'PREPAYMENT_INVOICE' } } }
    await setSettings(settings)
    const { companyId } = await createBuyer(world, 'Яндекс (стадия)')
    const dealId = await createDeal(world, { companyId })
    await handleB24Event(world.database.db, { memberId: world.memberId, event: 'ONCRMDEALUPDATE', entityId: dealId, ts: 1 })
    await world.asManager('crm.deal.update', { id: dealId, fields: { STAGE_ID: 'PREPAYMENT_INVOICE' } })
    const outcome = await handleB24Event(world.database.db, { memberId: world.memberId, event: 'ONCRMDEALUPDATE', entityId: dealId, ts: 2 })
    expect(outcome).toMatchObject({ kind: 'stage', invoice: { kind: 'queued' } })
    // The same event delivered twice: the stage did not change again, nothing new is requested.
    expect(await handleB24Event(world.database.db, { memberId: world.memberId, event: 'ONCRMDEALUPDATE', entityId: dealId, ts: 2 })).toMatchObject({ kind: 'stage', change: { changed: false } })

    const rows = await world.database.db.select().from(invoices).where(eq(invoices.dealId, dealId))
    expect(rows).toHaveLength(1)
    // Made (here: refused) right in the event job; the queued safety-net job finds nothing left to do.
    expect(rows[0]!.state).toBe('rejected')
    expect((await issue(world, rows[0]!.id)).kind).toBe('skipped')
    const notes = notificationsFor(world, MANAGER)
    expect(notes).toHaveLength(1)
    expect(notes[0]!.message).toContain('В сделке нет товаров')
    expect(dealComments(world, dealId).map((c) => c.COMMENT)).toEqual([expect.stringContaining('Счёт в «Моё дело» не выставлен')])
    await setSettings({})
  })
})

async function setSettings(settings: Record<string, unknown>): Promise<void> {
  await world.database.db.execute(sql`update portals set settings = ${JSON.stringify(settings)}::jsonb`)
}

describe('once and only once', () => {
  it('a double click (same request id) and a second click (new id) while the first runs: one request, one bill', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    const requestId = '6f1c1e8e-3a3b-4b7a-9a53-0a0a0a0a0a01'
    const [a, b, c] = await Promise.all([
      request(dealId, { requestId }),
      request(dealId, { requestId }),
      request(dealId, { requestId: '6f1c1e8e-3a3b-4b7a-9a53-0a0a0a0a0a02' }),
    ])
    expect(a).toMatchObject({ kind: 'queued' })
    expect(b).toMatchObject({ kind: 'queued' })
    expect([a, b].filter((o) => o.kind === 'queued' && !o.duplicate)).toHaveLength(1)
    expect(c).toMatchObject({ kind: 'in-flight', invoice: { id: requestId } })
    await Promise.all([issue(world, requestId), issue(world, requestId)].map((p) => p.catch((e: unknown) => e)))
    await issue(world, requestId)
    expect(billsInMoeDelo(world)).toHaveLength(1)
    expect(dealComments(world, dealId)).toHaveLength(1)
  })

  it('MoeDelo made the bill but the answer was lost: the retry finds it instead of making another', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    const invoiceId = await requested(dealId)
    // Counterparty first, so only the bill request is slowed down.
    await previewInvoice(world.database.db, await portal(), dealId, 'new')
    process.env.HTTP_TIMEOUT_MS = '400'
    resetConfigForTests()
    world.moedelo.faults.add({ kind: 'latency', delayMs: 900, pathPrefix: '/accounting/api/v1/sales/bill', method: 'POST', times: 1 })
    try {
      await expect(issue(world, invoiceId)).rejects.toBeInstanceOf(MoeDeloError)
    } finally {
      process.env.HTTP_TIMEOUT_MS = '15000'
      resetConfigForTests()
    }
    // The emulator finishes the request after our client gave up: the bill exists, we did not record it.
    await waitUntil(() => billsInMoeDelo(world).length === 1)
    expect((await getInvoice(world.database.db, world.memberId, invoiceId))!.state).toBe('waiting')

    expect((await issue(world, invoiceId)).kind).toBe('issued')
    expect(billsInMoeDelo(world)).toHaveLength(1)
    expect((await getInvoice(world.database.db, world.memberId, invoiceId))!.billId).toBe(billsInMoeDelo(world)[0]!.Id)
  })
})

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('MoeDelo says no, or does not answer', () => {
  it('a validation refusal reaches the manager as a plain sentence, without codes', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    await previewInvoice(world.database.db, await portal(), dealId, 'new')
    const invoiceId = await requested(dealId)
    world.moedelo.faults.add({
      kind: 'status',
      status: 400,
      pathPrefix: '/accounting/api/v1/sales/bill',
      method: 'POST',
      body: { Message: 'The request is invalid.', ValidationErrors: { 'Items[0].Unit': ['Поле обязательно'] } },
    })
    const outcome = await issue(world, invoiceId)
    expect(outcome.kind).toBe('failed')
    const message = (outcome as { message: string }).message
    expect(message).not.toMatch(/400|ValidationErrors|Items\[0\]/)
    expect(message.length).toBeGreaterThan(10)
    const view = await dealInvoices(world.database.db, await portal(), dealId)
    expect(view.invoices[0]).toMatchObject({ state: 'failed', message })
  })

  it('MoeDelo down: the manager sees "счёт будет выставлен, когда сервис ответит", and it is made when MoeDelo is back', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    const invoiceId = await requested(dealId)
    world.moedelo.faults.add({ kind: 'status', status: 503, pathPrefix: '/' })
    await expect(issue(world, invoiceId)).rejects.toMatchObject({ retryable: true })
    const view = await dealInvoices(world.database.db, await portal(), dealId)
    expect(view.invoices[0]!.state).toBe('waiting')
    expect(view.invoices[0]!.message).toContain('Счёт будет выставлен, когда сервис ответит')
    expect(view.inFlight).toBe(true)

    world.moedelo.faults.clear()
    expect((await issue(world, invoiceId)).kind).toBe('issued')
    expect(billsInMoeDelo(world)).toHaveLength(1)
  })
})

describe('repeat invoice', () => {
  it('copies the previous bill with today’s date, a new number and the deadline moved by the same term', async () => {
    const { companyId } = await createBuyer(world)
    const dealId = await createDeal(world, { companyId, rows: STANDARD_ROWS })
    const firstId = await requested(dealId)
    await issue(world, firstId)
    const first = billsInMoeDelo(world)[0]!
    // The first bill was issued ten days ago (its dates moved back in MoeDelo).
    first.DocDate = shiftDate(first.DocDate, -10)
    first.DeadLine = shiftDate(first.DocDate, 7)

    const preview = await previewInvoice(world.database.db, await portal(), dealId, 'repeat')
    expect(preview).toMatchObject({ ok: true, preview: { kind: 'repeat', sourceNumber: first.Number, totals: { sum: '194500.75' } } })
    const repeatId = await requested(dealId, { trigger: 'repeat' })
    expect((await issue(world, repeatId)).kind).toBe('issued')
    const [, second] = billsInMoeDelo(world)
    expect(second!.Number).not.toBe(first.Number)
    expect(second!.DocDate).toBe(shiftDate(first.DocDate, 10))
    expect(second!.DeadLine).toBe(shiftDate(second!.DocDate, 7))
    expect(second!.sumKopecks).toBe(first.sumKopecks)
    expect(second!.Items.map((i) => i.Name)).toEqual(first.Items.map((i) => i.Name))
    expect(dealOf(world, dealId)[UF.dealInvoiceNo]).toBe(second!.Number)
    expect(dealComments(world, dealId).at(-1)!.COMMENT).toContain(`Выставлен повторный счёт № ${second!.Number}`)
  })

  it('nothing to repeat without an issued invoice', async () => {
    const dealId = await createDeal(world)
    expect(await request(dealId, { trigger: 'repeat' })).toEqual({ kind: 'nothing-to-repeat' })
  })
})

function shiftDate(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
