import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { minimalPdf } from './bills'
import { startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B } from './test-helpers'

const B = '/accounting/api/v1/sales/bill'
const COLLECTION_FIELDS = [
  'Id', 'Number', 'DocDate', 'Type', 'Status', 'KontragentId', 'SettlementAccount', 'ProjectId', 'StockId', 'DeadLine',
  'AdditionalInfo', 'ContractSubject', 'NdsPositionType', 'IsCovered', 'Sum', 'PaidSum', 'Comment',
]
const FULL_EXTRA = ['UseStampAndSign', 'Online', 'Items', 'Payments', 'Context']

let emu: MoeDeloEmulator
let kontragentId: number
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(emu.url, method, path, { key: KEY_A, ...options })
const ctl = (method: string, path: string, body?: unknown) => call(emu.url, method, `/__emulator${path}`, { body })
const item = (over: Record<string, unknown> = {}) => ({ Name: 'Услуга', Count: 1, Unit: 'усл', Type: 2, Price: 1000, NdsType: -1, ...over })
const createBill = (body: Record<string, unknown>) => api('POST', B, { body: { KontragentId: kontragentId, NdsPositionType: 1, Items: [item()], ...body } })

/** Checks that every xref entry points at its `n 0 obj` and startxref at `xref`. */
function assertValidPdf(pdf: Buffer): string {
  const text = pdf.toString('latin1')
  expect(text.startsWith('%PDF-1.')).toBe(true)
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1])
  expect(text.slice(startxref, startxref + 4)).toBe('xref')
  const header = /xref\n0 (\d+)\n/.exec(text.slice(startxref))!
  const size = Number(header[1])
  const entries = text.slice(startxref + header[0].length).split('\n').slice(0, size)
  expect(entries[0]).toBe('0000000000 65535 f ')
  for (let n = 1; n < size; n += 1) {
    const offset = Number(entries[n]!.slice(0, 10))
    expect(text.slice(offset, offset + `${n} 0 obj`.length)).toBe(`${n} 0 obj`)
  }
  return text
}

beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'ООО "Альфа"', [KEY_B]: 'ООО "Бета"' } })
})
afterAll(() => emu.close())
beforeEach(async () => {
  await ctl('DELETE', `/firms/${KEY_A}/bills`)
  await ctl('POST', '/clock', { reset: true })
  await ctl('PATCH', '/config', {
    billByIdsMax: 100,
    paymentLinkBumpsModifyDate: true,
    billPdfPath: '/accounting/api/v1/sales/bill/:id/pdf',
    billPdfAvailable: true,
    billNumberDuplicates: 'reject',
    validationErrorsShape: 'map',
  })
  const k = await api('POST', K, { body: { Name: 'ООО "Покупатель"', Form: 1 } })
  kontragentId = k.body.Id
})

describe('create and read (spec §4.1–§4.4)', () => {
  it('answers 201 with the full bill: PascalCase, document id ≥ 315,000,000, generated number, Online, Context', async () => {
    const res = await createBill({ DocDate: '2025-03-10', DeadLine: '2025-03-20T00:00:00+03:00' })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual([...COLLECTION_FIELDS, ...FULL_EXTRA])
    expect(res.body.Id).toBeGreaterThan(315_000_000)
    expect(res.body).toMatchObject({ Number: '1', DocDate: '2025-03-10', DeadLine: '2025-03-20', Type: 1, Status: 4, Sum: 1000, PaidSum: 0, Payments: [] })
    expect(res.body.Online).toMatch(/^\/bill\/online\/[0-9a-f]{32}$/)
    expect(res.body.Context).toEqual({ CreateDate: expect.stringMatching(/\+03:00$/), ModifyDate: expect.any(String), ModifyUser: 'API' })
    expect(Object.keys(res.body.Items[0])).toEqual(expect.arrayContaining(['Id', 'Name', 'Count', 'Unit', 'Type', 'Price', 'NdsType', 'SumWithoutNds', 'NdsSum', 'SumWithNds', 'DiscountRate']))
    const got = await api('GET', `${B}/${res.body.Id}`)
    expect(got.status).toBe(200)
    expect(got.body).toEqual(res.body)
    expect((await api('GET', `${B}/999`)).status).toBe(404)
    expect((await call(emu.url, 'GET', `${B}/${res.body.Id}`, { key: KEY_B })).status).toBe(404)
  })

  it('serves the buyer\'s public page at the Online path without a key (an emulator choice)', async () => {
    const res = await createBill({ DocDate: '2025-03-11', Items: [item({ Name: 'Аудит', Price: 2500 })] })
    const page = await fetch(`${emu.url}${res.body.Online}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toContain(`Счёт на оплату № ${res.body.Number}`)
    expect(html).toContain('Аудит')
    expect((await fetch(`${emu.url}/bill/online/${'0'.repeat(32)}`)).status).toBe(404)
  })

  it('computes sums per NdsPositionType, rounding each line to the kopeck', async () => {
    const items = [
      item({ Price: 333.33, Count: 3, NdsType: 22 }),
      item({ Price: 99.99, Count: 1.5, NdsType: 10, DiscountRate: 10 }),
      item({ Price: 100, Count: 1, NdsType: 0 }),
      item({ Price: 50.5, Count: 2, NdsType: -1 }),
    ]
    const none = await createBill({ NdsPositionType: 1, Items: items })
    expect(none.body.Items.map((i: any) => [i.SumWithoutNds, i.NdsSum, i.SumWithNds])).toEqual([
      [999.99, 0, 999.99], [134.99, 0, 134.99], [100, 0, 100], [101, 0, 101],
    ])
    expect(none.body.Sum).toBe(1335.98)
    const top = await createBill({ NdsPositionType: 2, Items: items })
    // 999.99·22% = 219.9978 → 220.00; 149.985 → 149.99, −10% = 134.991 → 134.99, ·10% = 13.499 → 13.50
    expect(top.body.Items.map((i: any) => [i.SumWithoutNds, i.NdsSum, i.SumWithNds])).toEqual([
      [999.99, 220, 1219.99], [134.99, 13.5, 148.49], [100, 0, 100], [101, 0, 101],
    ])
    expect(top.body.Sum).toBe(1569.48)
    const inside = await createBill({ NdsPositionType: 3, Items: items })
    // 999.99·22/122 = 180.3261 → 180.33; 134.99·10/110 = 12.2718 → 12.27
    expect(inside.body.Items.map((i: any) => [i.SumWithoutNds, i.NdsSum, i.SumWithNds])).toEqual([
      [819.66, 180.33, 999.99], [122.72, 12.27, 134.99], [100, 0, 100], [101, 0, 101],
    ])
    expect(inside.body.Sum).toBe(1335.98)
  })

  it('numbers bills per calendar year and rejects a duplicate number in the same year', async () => {
    expect((await createBill({ DocDate: '2025-12-30' })).body.Number).toBe('1')
    expect((await createBill({ DocDate: '2025-12-31' })).body.Number).toBe('2')
    await ctl('POST', '/clock', { set: '2026-01-02T09:00:00Z' })
    const next = await createBill({})
    expect(next.body).toMatchObject({ Number: '1', DocDate: '2026-01-02' })
    const dup = await createBill({ Number: '1' })
    expect(dup.status).toBe(400)
    expect(dup.body.ValidationErrors.Number).toHaveLength(1)
    expect((await createBill({ Number: '1', DocDate: '2024-05-05' })).status).toBe(201)
  })

  it('validates per §13 with the legacy shape', async () => {
    const res = await api('POST', B, {
      body: {
        KontragentId: 1,
        Items: [
          { Name: '', Count: 0, Unit: '', Type: 3, Price: -1, NdsType: 12, DiscountRate: 100 },
          item({ Price: 1.23456 }),
        ],
      },
    })
    expect(res.status).toBe(400)
    expect(res.body.Message).toEqual(expect.any(String))
    expect(Object.keys(res.body.ValidationErrors).sort()).toEqual(
      ['KontragentId', 'Items[0].Name', 'Items[0].Count', 'Items[0].Unit', 'Items[0].Type', 'Items[0].Price', 'Items[0].NdsType', 'Items[0].DiscountRate', 'Items[1].Price'].sort(),
    )
    const empty = await createBill({ Items: [] })
    expect(empty.body.ValidationErrors.Items).toHaveLength(1)
    for (const NdsType of [-1, 0, 5, 7, 10, 18, 20, 22]) expect((await createBill({ Items: [item({ NdsType })] })).status).toBe(201)
    expect((await createBill({ Items: [item({ DiscountRate: 99.9 })] })).status).toBe(201)
  })

  it('updates with a full replace, keeps sent item ids and the number', async () => {
    const created = await createBill({ Items: [item(), item({ Name: 'Вторая' })] })
    const keep = created.body.Items[0]
    const put = await api('PUT', `${B}/${created.body.Id}`, {
      body: { KontragentId: kontragentId, NdsPositionType: 2, Items: [{ ...item({ NdsType: 20 }), Id: keep.Id }] },
    })
    expect(put.status).toBe(200)
    expect(put.body.Items).toHaveLength(1)
    expect(put.body.Items[0].Id).toBe(keep.Id)
    expect(put.body).toMatchObject({ Number: created.body.Number, Sum: 1200 })
    expect((await api('PUT', `${B}/1`, { body: { KontragentId: kontragentId, Items: [item()] } })).status).toBe(404)
  })
})

describe('lists, filters and byIds', () => {
  it('lists collection items without Items/Payments and filters by ModifyDate, DocDate, number and kontragent', async () => {
    const first = await createBill({ DocDate: '2025-01-15' })
    await ctl('POST', '/clock', { advanceMs: 60_000 })
    const since = (await ctl('GET', '/clock')).body.now as string
    const second = await createBill({ DocDate: '2025-02-15' })
    const list = await api('GET', `${B}?pageNo=1&pageSize=10`)
    expect(list.body).toMatchObject({ Count: 2, TotalCount: 2 })
    expect(Object.keys(list.body.ResourceList[0])).toEqual(COLLECTION_FIELDS)
    const changed = await api('GET', `${B}?afterDate=${encodeURIComponent(since)}`)
    expect(changed.body.ResourceList.map((b: any) => b.Id)).toEqual([second.body.Id])
    const before = await api('GET', `${B}?beforeDate=${encodeURIComponent(since)}`)
    expect(before.body.ResourceList.map((b: any) => b.Id)).toEqual([first.body.Id])
    const doc = await api('GET', `${B}?docAfterDate=2025-02-01&docBeforeDate=2025-02-28`)
    expect(doc.body.ResourceList.map((b: any) => b.Id)).toEqual([second.body.Id])
    expect((await api('GET', `${B}?number=${first.body.Number}&kontragentId=${kontragentId}`)).body.TotalCount).toBe(1)
    expect((await api('GET', `${B}?kontragentId=1`)).body.TotalCount).toBe(0)
    expect((await api('GET', `${B}?pageSize=1&pageNo=2`)).body).toMatchObject({ Count: 1, TotalCount: 2 })
    expect((await api('GET', `${B}?afterDate=yesterday`)).status).toBe(400)
  })

  it('byIds returns full bills, skips unknown ids and rejects more than the limit', async () => {
    const a = await createBill({})
    const b = await createBill({})
    const res = await api('POST', `${B}/byIds`, { body: [b.body.Id, 12345, a.body.Id] })
    expect(res.status).toBe(200)
    expect(res.body.map((x: any) => x.Id)).toEqual([b.body.Id, a.body.Id])
    expect(Object.keys(res.body[0])).toEqual([...COLLECTION_FIELDS, ...FULL_EXTRA])
    const tooMany = await api('POST', `${B}/byIds`, { body: Array.from({ length: 101 }, (_, i) => i + 1) })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.ValidationErrors).toBeDefined()
    await ctl('PATCH', '/config', { billByIdsMax: 1 })
    expect((await api('POST', `${B}/byIds`, { body: [a.body.Id, b.body.Id] })).status).toBe(400)
  })
})

describe('payments and status (spec §4.5, §6.3)', () => {
  it('moves 4 → 5 → 6 with imported payments, lists Payments[] and bumps ModifyDate', async () => {
    const bill = (await createBill({ Items: [item({ Price: 1000 })] })).body
    await ctl('POST', '/clock', { advanceMs: 5_000 })
    const part = await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 400, BillId: bill.Id, Number: '17', Date: '2025-03-11' })
    expect(part.status).toBe(201)
    expect(part.body.payment).toMatchObject({ OperationType: 16, Sum: 400, BillLinks: [{ BillBaseId: bill.Id, LinkSum: 400 }] })
    let got = (await api('GET', `${B}/${bill.Id}`)).body
    expect(got).toMatchObject({ Status: 5, PaidSum: 400, Payments: [{ Id: part.body.payment.DocumentBaseId, Number: '17', Date: '2025-03-11', Sum: 400 }] })
    expect(got.Context.ModifyDate).not.toBe(bill.Context.ModifyDate)
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 600, BillId: bill.Id })
    got = (await api('GET', `${B}/${bill.Id}`)).body
    expect(got).toMatchObject({ Status: 6, PaidSum: 1000 })
    expect(got.Payments).toHaveLength(2)
    await ctl('DELETE', `/firms/${KEY_A}/payments/${part.body.payment.DocumentBaseId}/links/${bill.Id}`)
    expect((await api('GET', `${B}/${bill.Id}`)).body).toMatchObject({ Status: 5, PaidSum: 600 })
    const unlinked = await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 50 })
    expect(unlinked.body).toMatchObject({ bill: null, payment: { BillLinks: [] } })
  })

  it('honours a manual Status until the next payment event; the ModifyDate bump is a switch', async () => {
    const bill = (await createBill({ Status: 6 })).body
    expect(bill).toMatchObject({ Status: 6, PaidSum: 0 })
    await ctl('PATCH', '/config', { paymentLinkBumpsModifyDate: false })
    await ctl('POST', '/clock', { advanceMs: 5_000 })
    await ctl('POST', `/firms/${KEY_A}/payments`, { Sum: 100, BillId: bill.Id })
    const got = (await api('GET', `${B}/${bill.Id}`)).body
    expect(got).toMatchObject({ Status: 5, PaidSum: 100 })
    expect(got.Context.ModifyDate).toBe(bill.Context.ModifyDate)
    const dump = await ctl('GET', `/firms/${KEY_A}/bills`)
    expect(dump.body.bills).toHaveLength(1)
    expect(dump.body.payments).toHaveLength(1)
  })

  it('deletes bills over the API and the control route', async () => {
    const a = (await createBill({})).body
    const b = (await createBill({})).body
    expect((await api('DELETE', `${B}/${a.Id}`)).status).toBe(204)
    expect((await api('GET', `${B}/${a.Id}`)).status).toBe(404)
    expect((await ctl('DELETE', `/firms/${KEY_A}/bills/${b.Id}`)).status).toBe(204)
    expect((await api('GET', B)).body.TotalCount).toBe(0)
  })
})

describe('PDF (spec §4.6: an emulator choice)', () => {
  it('serves a valid PDF with the bill number at the configured route, or 404 when switched off', async () => {
    const bill = (await createBill({ Number: 'A-77' })).body
    const res = await fetch(`${emu.url}${B}/${bill.Id}/pdf`, { headers: { 'md-api-key': KEY_A } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const text = assertValidPdf(Buffer.from(await res.arrayBuffer()))
    expect(text).toContain('A-77')
    expect((await fetch(`${emu.url}${B}/${bill.Id}/pdf`)).status).toBe(401)

    await ctl('PATCH', '/config', { billPdfPath: '/accounting/api/v1/sales/bill/:id/print' })
    expect((await api('GET', `${B}/${bill.Id}/pdf`)).status).toBe(404)
    expect((await fetch(`${emu.url}${B}/${bill.Id}/print`, { headers: { 'md-api-key': KEY_A } })).status).toBe(200)
    await ctl('PATCH', '/config', { billPdfAvailable: false })
    expect((await api('GET', `${B}/${bill.Id}/print`)).status).toBe(404)
  })

  it('builds PDFs whose cross-reference table is exact', () => {
    assertValidPdf(minimalPdf(['Hello (world) \\ test', 'Счёт'], 'T'))
  })
})
