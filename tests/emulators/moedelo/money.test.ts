import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B } from './test-helpers'

const B = '/accounting/api/v1/sales/bill'
const REGISTRY = '/money/api/v1/Registry'
const PFC = '/money/api/v1/PaymentOrders/Incoming/PaymentFromCustomer'

let emu: MoeDeloEmulator
let kontragentId: number
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(emu.url, method, path, { key: KEY_A, ...options })
const ctl = (method: string, path: string, body?: unknown) => call(emu.url, method, `/__emulator${path}`, { body })
const createBill = async (price = 1000) => {
  const res = await api('POST', B, {
    body: { KontragentId: kontragentId, NdsPositionType: 1, Items: [{ Name: 'Услуга', Count: 1, Unit: 'усл', Type: 2, Price: price, NdsType: -1 }] },
  })
  expect(res.status).toBe(201)
  return res.body as { Id: number; Number: string }
}
const registry = (query: string) => api('GET', `${REGISTRY}?${query}`)
const today = () => emu.clock.now().toISOString().slice(0, 10)
const saveBody = (over: Record<string, unknown> = {}) => ({
  Date: today(),
  Number: '77',
  SettlementAccountId: 7558738,
  Contractor: { Id: kontragentId },
  Sum: 400,
  Description: 'Оплата по счёту',
  ...over,
})

beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'ООО "Альфа"', [KEY_B]: 'ООО "Бета"' } })
})
afterAll(async () => {
  await emu?.close()
})
beforeEach(async () => {
  await ctl('PATCH', '/config', {
    moneyJsonCase: 'camel',
    moneyValidationShape: 'list',
    registryRequiresDates: true,
    registryLimitCap: null,
    billLinkFields: 'BillBaseId/LinkSum',
    paymentLinkBumpsModifyDate: true,
  })
  await ctl('DELETE', `/firms/${KEY_A}/bills`)
  const k = await api('POST', K, { body: { Name: 'ООО "Покупатель"', Inn: '7707083893', Form: 1, Type: 2 } })
  kontragentId = k.body.Id
})

describe('GET /money/api/v1/Registry (spec §6.1)', () => {
  it('lists imported payments, linked or not, as type-16 operations in the {data, offset, limit, totalCount} envelope', async () => {
    const bill = await createBill()
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 300, BillId: bill.Id, Number: '11' })
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 50, KontragentId: kontragentId, Number: '12', Description: 'Без счёта' })
    const res = await registry(`StartDate=${today()}&EndDate=${today()}&OperationSource=1&OperationTypes=16&Offset=0&Limit=1000`)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['data', 'limit', 'offset', 'totalCount'])
    expect(res.body).toMatchObject({ offset: 0, limit: 1000, totalCount: 2 })
    const [linked, unlinked] = res.body.data
    expect(linked).toMatchObject({
      number: '11',
      sum: 300,
      operationType: 16,
      direction: 1,
      isPaid: true,
      description: `Оплата по счёту № ${bill.Number} от ${today()}`,
      contractor: { id: String(kontragentId), name: 'ООО "Покупатель"' },
      source: { type: 1 },
    })
    expect(linked.date).toBe(`${today()}T00:00:00`)
    expect(linked.documentBaseId).toBeGreaterThan(315_000_000)
    expect(linked.modifyDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+03:00$/)
    expect(unlinked).toMatchObject({ number: '12', sum: 50, description: 'Без счёта' })
  })

  it('filters by payment date, operation type and source, and pages by Offset/Limit', async () => {
    for (const [date, number] of [['2026-01-10', '1'], ['2026-01-11', '2'], ['2026-01-12', '3'], ['2026-02-01', '4']]) {
      await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 10, KontragentId: kontragentId, Number: number, Date: date })
    }
    const january = await registry('StartDate=2026-01-01&EndDate=2026-01-31&OperationTypes=16&Limit=2&Offset=0')
    expect(january.body.totalCount).toBe(3)
    expect(january.body.data.map((o: { number: string }) => o.number)).toEqual(['1', '2'])
    const second = await registry('StartDate=2026-01-01&EndDate=2026-01-31&OperationTypes=16&Limit=2&Offset=2')
    expect(second.body.data.map((o: { number: string }) => o.number)).toEqual(['3'])
    expect((await registry('StartDate=2026-01-01&EndDate=2026-12-31&OperationTypes=14')).body.totalCount).toBe(0)
    expect((await registry('StartDate=2026-01-01&EndDate=2026-12-31&OperationTypes=14&OperationTypes=16')).body.totalCount).toBe(4)
    expect((await registry('StartDate=2026-01-01&EndDate=2026-12-31&OperationSource=2')).body.totalCount).toBe(0)
    // ASP.NET Core binds query names case-insensitively.
    expect((await registry('startdate=2026-01-11&enddate=2026-01-11')).body.totalCount).toBe(1)
  })

  it('answers 422 for missing or bad dates (switchable) and keeps other firms apart', async () => {
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 10, KontragentId: kontragentId, Date: '2026-03-01' })
    const missing = await registry('OperationTypes=16')
    expect(missing.status).toBe(422)
    expect(missing.body.errors.map((e: { key: string }) => e.key).sort()).toEqual(['EndDate', 'StartDate'])
    expect((await registry('StartDate=2026-13-01&EndDate=2026-03-01')).status).toBe(422)
    await ctl('PATCH', '/config', { registryRequiresDates: false })
    expect((await registry('OperationTypes=16')).body.totalCount).toBeGreaterThanOrEqual(1)
    const other = await call(emu.url, 'GET', `${REGISTRY}?StartDate=2026-01-01&EndDate=2026-12-31`, { key: KEY_B })
    expect(other.body.totalCount).toBe(0)
    expect((await call(emu.url, 'GET', `${REGISTRY}?StartDate=2026-01-01&EndDate=2026-12-31`)).status).toBe(401)
  })

  it('writes PascalCase members inside the camelCase envelope when switched', async () => {
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 10, KontragentId: kontragentId, Date: '2026-03-02' })
    await ctl('PATCH', '/config', { moneyJsonCase: 'pascal' })
    const res = await registry('StartDate=2026-03-02&EndDate=2026-03-02')
    expect(Object.keys(res.body).sort()).toEqual(['data', 'limit', 'offset', 'totalCount'])
    expect(res.body.data[0]).toMatchObject({ Sum: 10, OperationType: 16, Contractor: { Id: String(kontragentId) } })
  })

  it('moves an operation ModifyDate forward when a bill link is added or removed', async () => {
    const bill = await createBill()
    const imported = await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 100, KontragentId: kontragentId, Date: '2026-03-03' })
    const before = (await registry('StartDate=2026-03-03&EndDate=2026-03-03')).body.data[0].modifyDate
    emu.clock.advance(60_000)
    await ctl('POST', `/firms/${KEY_A}/payments/${imported.body.payment.DocumentBaseId}/links`, { BillId: bill.Id })
    const after = (await registry('StartDate=2026-03-03&EndDate=2026-03-03')).body.data[0].modifyDate
    expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(60_000)
  })
})

describe('/money/api/v1/PaymentOrders/Incoming/PaymentFromCustomer (spec §6.2)', () => {
  it('creates (201), reads, updates and deletes (200) in the {data} envelope, and the bills follow the links', async () => {
    const bill = await createBill(1000)
    const created = await api('POST', PFC, { body: saveBody({ Bills: [{ BillBaseId: bill.Id, LinkSum: 400 }] }) })
    expect(created.status).toBe(201)
    expect(Object.keys(created.body)).toEqual(['data'])
    const id = created.body.data.documentBaseId
    expect(created.body.data).toMatchObject({
      number: '77',
      sum: 400,
      settlementAccountId: 7558738,
      contractor: { id: String(kontragentId) },
      bills: [{ billBaseId: bill.Id, linkSum: 400 }],
      isMainContractor: true,
      provideInAccounting: true,
    })
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 5, PaidSum: 400, Payments: [{ Id: id, Number: '77', Sum: 400 }] })
    expect((await api('GET', `${PFC}/${id}`)).body.data.documentBaseId).toBe(id)

    const updated = await api('PUT', `${PFC}/${id}`, { body: saveBody({ Sum: 1000, Bills: [{ BillBaseId: bill.Id, LinkSum: 1000 }] }) })
    expect(updated.status).toBe(200)
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 6, PaidSum: 1000 })
    expect((await registry(`StartDate=${today()}&EndDate=${today()}`)).body.data.map((o: { sum: number }) => o.sum)).toEqual([1000])

    expect((await api('DELETE', `${PFC}/${id}`)).status).toBe(200)
    expect((await api('GET', `${PFC}/${id}`)).status).toBe(404)
    expect((await api('PUT', `${PFC}/${id}`, { body: saveBody() })).status).toBe(404)
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 4, PaidSum: 0, Payments: [] })
  })

  it('validates with 422 in the configured shape', async () => {
    const bill = await createBill(1000)
    const bad = await api('POST', PFC, {
      body: { Date: 'вчера', Sum: -1, Contractor: { Id: 1 }, Bills: [{ BillBaseId: 1, LinkSum: 5 }, { BillBaseId: bill.Id, LinkSum: 0 }] },
    })
    expect(bad.status).toBe(422)
    const keys = bad.body.errors.map((e: { key: string }) => e.key)
    expect(keys).toEqual(expect.arrayContaining(['Date', 'Number', 'SettlementAccountId', 'Contractor.Id', 'Sum', 'Bills[0].BillBaseId', 'Bills[1].LinkSum']))
    expect(bad.body.errors.every((e: { message: string }) => typeof e.message === 'string' && e.message.length > 0)).toBe(true)
    const over = await api('POST', PFC, { body: saveBody({ Sum: 10, Bills: [{ BillBaseId: bill.Id, LinkSum: 20 }] }) })
    expect(over.body.errors).toEqual([{ key: 'Bills', message: 'Сумма по счетам больше суммы платежа.' }])

    await ctl('PATCH', '/config', { moneyValidationShape: 'map' })
    const mapped = await api('POST', PFC, { body: saveBody({ Number: '' }) })
    expect(mapped.status).toBe(422)
    expect(mapped.body).toMatchObject({ status: 422, errors: { Number: ['Не указан номер.'] } })
  })

  it('takes the bill link under the field names the switch names, and sets a reserve', async () => {
    const bill = await createBill(500)
    await ctl('PATCH', '/config', { billLinkFields: 'DocumentBaseId/Sum' })
    const created = await api('POST', PFC, { body: saveBody({ Sum: 500, Bills: [{ DocumentBaseId: bill.Id, Sum: 500 }] }) })
    expect(created.status).toBe(201)
    expect(created.body.data.bills).toEqual([{ documentBaseId: bill.Id, sum: 500 }])
    expect((await api('GET', `${B}/${bill.Id}`)).body.Status).toBe(6)
    const reserved = await api('POST', `${PFC}/${created.body.data.documentBaseId}/SetReserve`, { body: { ReserveSum: 100 } })
    expect(reserved.body.data.reserveSum).toBe(100)
    expect((await api('POST', `${PFC}/${created.body.data.documentBaseId}/SetReserve`, { body: { ReserveSum: 600 } })).status).toBe(422)
  })
})

describe('GET /__emulator/ui', () => {
  const form = (path: string, fields: Record<string, string>) =>
    fetch(`${emu.url}/__emulator/ui/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    })

  it('lists bills and pays, marks paid by hand and deletes them through forms', async () => {
    const bill = await createBill(1200)
    const page = await (await fetch(`${emu.url}/__emulator/ui`)).text()
    expect(page).toContain(`data-bill="${bill.Id}"`)
    expect(page).toContain('Оплатить')

    const paid = await form('pay', { firm: KEY_A, billId: String(bill.Id), sum: '200,00', date: '2026-04-01' })
    expect(paid.status).toBe(303)
    expect(paid.headers.get('location')).toMatch(/^\/__emulator\/ui\?done=/)
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 5, PaidSum: 200, Payments: [{ Date: '2026-04-01', Sum: 200 }] })

    expect((await form('mark-paid', { firm: KEY_A, billId: String(bill.Id) })).status).toBe(303)
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 6, PaidSum: 200 })

    expect((await form('delete', { firm: KEY_A, billId: String(bill.Id) })).status).toBe(303)
    expect((await api('GET', `${B}/${bill.Id}`)).status).toBe(404)
    expect((await form('pay', { firm: KEY_A, billId: String(bill.Id), sum: '1' })).status).toBe(404)
  })
})
