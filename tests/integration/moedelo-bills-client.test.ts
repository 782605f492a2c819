/**
 * The MoeDelo client's bill methods against the emulator over HTTP (spec §4): sums to the kopeck per
 * VAT mode, numbering per year, Russian validation messages, incremental listing, byIds chunking,
 * payments → status, PDF.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatMoney, parseMoney, parseQuantity, quantity, type Kopecks } from '@/lib/domain/money'
import { ApiKeyCredentials, MoeDeloClient, type BillDraft, type BillItemDraft } from '@/lib/moedelo'
import type { MoeDeloEmulator } from '@/tests/emulators/moedelo'
import type { EmulatorControl } from '../support/emulator-control'
import { moedeloError, startEmulatedClient } from '../support/moedelo-client'

const KEY = '7d2c9e01-5b1a-4c3e-9f00-b111b111b111'

let emu: MoeDeloEmulator
let client: MoeDeloClient
let control: EmulatorControl
let kontragentId: number

const rub = (text: string): Kopecks => parseMoney(text)
const money = (k: Kopecks) => formatMoney(k)
const line = (over: Partial<BillItemDraft> = {}): BillItemDraft => ({
  name: 'Консультация',
  quantity: quantity(1),
  unit: 'ч',
  kind: 'service',
  price: rub('1000.00'),
  vatRate: 'none',
  ...over,
})
const draft = (over: Partial<BillDraft> = {}): BillDraft => ({ kontragentId, vatMode: 'none', items: [line()], ...over })

/** Mixed rates 22/10/0/none with a discount, fractional quantities and half-kopeck cases. */
const mixedLines = (): BillItemDraft[] => [
  line({ name: 'Товар А', kind: 'goods', unit: 'шт', price: rub('333.33'), quantity: quantity(3), vatRate: 22 }),
  line({ name: 'Услуга Б', price: rub('99.99'), quantity: parseQuantity('1.5'), vatRate: 10, discountPercent: '10' }),
  line({ name: 'Экспорт', price: rub('100.00'), vatRate: 0 }),
  line({ name: 'Без НДС', price: rub('50.50'), quantity: quantity(2), vatRate: 'none' }),
]

beforeAll(async () => {
  ;({ emu, client, control } = await startEmulatedClient({ apiKeys: { [KEY]: 'ООО "Продавец"' } }, { apiKey: KEY }))
  const seeded = await control('POST', `/firms/${KEY}/kontragents`, { Name: 'ООО "Покупатель"', Inn: '7707083893', Form: 1 })
  kontragentId = seeded.body.created[0].Id
})
afterAll(() => emu.close())
beforeEach(async () => {
  await control('DELETE', `/firms/${KEY}/bills`)
  await control('POST', '/clock', { reset: true })
  await control('PATCH', '/config', { billPdfAvailable: true, billPdfPath: '/accounting/api/v1/sales/bill/:id/pdf', paymentLinkBumpsModifyDate: true })
})

describe('createBill / getBill / updateBill', () => {
  it('computes totals to the kopeck for each VAT mode with mixed rates and discounts', async () => {
    const none = await client.createBill(draft({ vatMode: 'none', items: mixedLines() }))
    expect(none.id).toBeGreaterThan(315_000_000)
    expect(none).toMatchObject({ vatMode: 'none', status: 'unpaid', kind: 'bill', kontragentId })
    expect(none.items.map((i) => [money(i.net), money(i.vat), money(i.gross)])).toEqual([
      ['999.99', '0.00', '999.99'],
      ['134.99', '0.00', '134.99'],
      ['100.00', '0.00', '100.00'],
      ['101.00', '0.00', '101.00'],
    ])
    expect([money(none.total), money(none.vatTotal), money(none.paid)]).toEqual(['1335.98', '0.00', '0.00'])

    const onTop = await client.createBill(draft({ vatMode: 'on_top', items: mixedLines() }))
    expect(onTop.items.map((i) => [money(i.net), money(i.vat), money(i.gross)])).toEqual([
      ['999.99', '220.00', '1219.99'],
      ['134.99', '13.50', '148.49'],
      ['100.00', '0.00', '100.00'],
      ['101.00', '0.00', '101.00'],
    ])
    expect([money(onTop.total), money(onTop.vatTotal)]).toEqual(['1569.48', '233.50'])

    const included = await client.createBill(draft({ vatMode: 'included', items: mixedLines() }))
    expect(included.items.map((i) => [money(i.net), money(i.vat), money(i.gross)])).toEqual([
      ['819.66', '180.33', '999.99'],
      ['122.72', '12.27', '134.99'],
      ['100.00', '0.00', '100.00'],
      ['101.00', '0.00', '101.00'],
    ])
    expect([money(included.total), money(included.vatTotal)]).toEqual(['1335.98', '192.60'])

    const item = included.items[1]!
    expect(item).toMatchObject({ name: 'Услуга Б', kind: 'service', vatRate: 10, discountPercent: '10', unit: 'ч' })
    expect(item.quantity).toBe(parseQuantity('1.5'))
    expect(item.price).toBe(rub('99.99'))
    expect(typeof included.total).toBe('bigint')
    expect(included.onlineUrl).toMatch(/^https:\/\/www\.moedelo\.org\/bill\/online\/[0-9a-f]+$/)

    const again = await client.getBill(included.id)
    expect(again).toEqual(included)
    expect(await client.getBill(1)).toBeNull()
  })

  it('updates with a full replace and keeps the line ids sent back', async () => {
    const bill = await client.createBill(draft({ items: [line(), line({ name: 'Вторая' })], deadline: '2025-04-01', docDate: '2025-03-20' }))
    const kept = bill.items[0]!
    const updated = await client.updateBill(bill.id, {
      ...draft({ vatMode: 'on_top', docDate: '2025-03-20' }),
      items: [line({ id: kept.id ?? undefined, vatRate: 22, price: rub('1000.00') })],
      additionalInfo: 'Оплата в течение 5 дней',
    })
    expect(updated.items.map((i) => i.id)).toEqual([kept.id])
    expect(updated).toMatchObject({ number: bill.number, additionalInfo: 'Оплата в течение 5 дней', vatMode: 'on_top' })
    expect(money(updated.total)).toBe('1220.00')
    expect(money(updated.vatTotal)).toBe('220.00')
  })

  it('numbers bills per calendar year across a clock jump', async () => {
    await control('POST', '/clock', { set: '2025-12-31T08:00:00Z' })
    const first = await client.createBill(draft())
    const second = await client.createBill(draft())
    expect([first.number, second.number]).toEqual(['1', '2'])
    expect(first.docDate).toBe('2025-12-31')
    await control('POST', '/clock', { set: '2026-01-01T09:00:00Z' })
    const newYear = await client.createBill(draft())
    expect(newYear).toMatchObject({ number: '1', docDate: '2026-01-01' })
    const explicit = await client.createBill(draft({ number: 'ИМ-15' }))
    expect(explicit.number).toBe('ИМ-15')
  })

  it('turns validation errors into plain Russian with field labels', async () => {
    const error = await moedeloError(
      client.createBill(draft({ items: [line({ price: rub('-5.00') }), line({ name: '', unit: '' })] })),
    )
    expect(error).toMatchObject({ kind: 'validation', status: 400, retryable: false })
    expect(error.userMessage).toContain('Позиция 1: Цена — Цена не может быть отрицательной.')
    expect(error.userMessage).toContain('Позиция 2: Наименование — Не указано наименование.')
    expect(error.userMessage).toContain('Позиция 2: Единица измерения — Не указана единица измерения.')
    expect(error.userMessage).not.toMatch(/Items\[|Price/)
    expect(error.issues).toContainEqual({ field: 'Items[0].Price', message: 'Цена не может быть отрицательной.' })

    const noKontragent = await moedeloError(client.createBill(draft({ kontragentId: 42 })))
    expect(noKontragent.userMessage).toBe('«Моё дело» не приняло данные: Контрагент — Контрагент не найден.')
  })
})

describe('findBills / billsByIds', () => {
  it('lists what changed since a moment (afterDate) and filters by number, counterparty and document date', async () => {
    const a = await client.createBill(draft({ docDate: '2025-05-05' }))
    await control('POST', '/clock', { advanceMs: 60_000 })
    const since = new Date((await control('GET', '/clock')).body.now as string)
    const b = await client.createBill(draft({ docDate: '2025-06-06' }))

    const changed = await client.findBills({ afterDate: since })
    expect(changed.items.map((x) => x.id)).toEqual([b.id])
    expect(changed.totalCount).toBe(1)
    expect(changed.items[0]).not.toHaveProperty('items')
    expect(money(changed.items[0]!.total)).toBe('1000.00')

    await control('POST', '/clock', { advanceMs: 60_000 })
    await client.updateBill(a.id, draft({ docDate: '2025-05-05', items: [line({ price: rub('10.00') })] }))
    expect((await client.findBills({ afterDate: since })).items.map((x) => x.id)).toEqual([a.id, b.id])

    expect((await client.findBills({ number: b.number, kontragentId })).items.map((x) => x.id)).toEqual([b.id])
    expect((await client.findBills({ kontragentId: 1 })).totalCount).toBe(0)
    expect((await client.findBills({ docAfterDate: '2025-06-01' })).items.map((x) => x.id)).toEqual([b.id])
    const page2 = await client.findBills({ pageNo: 2, pageSize: 1 })
    expect(page2).toMatchObject({ count: 1, totalCount: 2, pageNo: 2, pageSize: 1 })
  })

  it('fetches full bills in chunks of at most 100 ids', async () => {
    const ids: number[] = []
    for (let i = 0; i < 130; i += 1) ids.push((await client.createBill(draft({ items: [line({ price: rub(`${i + 1}.00`) })] }))).id)
    await control('DELETE', '/requests')
    const bills = await client.billsByIds([...ids, ids[0]!, 999])
    expect(bills).toHaveLength(130)
    expect(bills.map((b) => b.id)).toEqual(ids)
    expect(money(bills[129]!.total)).toBe('130.00')
    expect(bills[0]!.items).toHaveLength(1)
    const calls = (await control('GET', '/requests')).body.requests.filter((r: { path: string }) => r.path.endsWith('/byIds'))
    expect(calls).toHaveLength(2)
    expect(calls.every((r: { status: number }) => r.status === 200)).toBe(true)

    const small = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials(KEY), billsByIdsChunkSize: 50 })
    await control('DELETE', '/requests')
    expect(await small.billsByIds(ids)).toHaveLength(130)
    expect((await control('GET', '/requests')).body.requests.filter((r: { path: string }) => r.path.endsWith('/byIds'))).toHaveLength(3)
    expect(await client.billsByIds([])).toEqual([])
  })
})

describe('payments and status', () => {
  it('follows imported bank payments: unpaid → partially_paid → paid, with paid sum and receipts', async () => {
    const bill = await client.createBill(draft({ vatMode: 'on_top', items: [line({ price: rub('1000.00'), vatRate: 22 })] }))
    expect(money(bill.total)).toBe('1220.00')
    await control('POST', '/clock', { advanceMs: 10_000 })
    const beforePayment = new Date((await control('GET', '/clock')).body.now as string)
    const first = await control('POST', `/firms/${KEY}/payments`, { Sum: 500.5, BillId: bill.id, Number: '301', Date: '2026-02-03' })
    expect(first.status).toBe(201)
    let got = (await client.getBill(bill.id))!
    expect(got.status).toBe('partially_paid')
    expect(money(got.paid)).toBe('500.50')
    expect(got.payments).toEqual([{ id: first.body.payment.DocumentBaseId, number: '301', date: '2026-02-03', amount: rub('500.50') }])
    expect(got.modifiedAt).not.toBe(bill.modifiedAt)
    const changed = await client.findBills({ afterDate: beforePayment })
    expect(changed.items.map((x) => x.id)).toEqual([bill.id])

    await control('POST', `/firms/${KEY}/payments`, { Sum: 719.5, BillId: bill.id })
    got = (await client.getBill(bill.id))!
    expect(got.status).toBe('paid')
    expect(money(got.paid)).toBe('1220.00')
    expect(got.payments).toHaveLength(2)
  })

  it('reads a hand-set paid status without payments, until a payment event recomputes it', async () => {
    const bill = await client.createBill(draft({ status: 'paid' }))
    expect(bill.status).toBe('paid')
    expect(bill.payments).toEqual([])
    expect(money(bill.paid)).toBe('0.00')
    await control('POST', `/firms/${KEY}/payments`, { Sum: 100, BillId: bill.id })
    const got = (await client.getBill(bill.id))!
    expect(got.status).toBe('partially_paid')
    expect(money(got.paid)).toBe('100.00')
  })
})

describe('billPdf', () => {
  it('downloads a valid PDF containing the bill number, and reports unavailable PDFs', async () => {
    const bill = await client.createBill(draft({ number: 'PDF-42' }))
    const result = await client.billPdf(bill.id)
    expect('pdf' in result).toBe(true)
    const pdf = (result as { pdf: Buffer }).pdf
    const text = pdf.toString('latin1')
    expect(text.startsWith('%PDF-')).toBe(true)
    expect(text).toContain('PDF-42')
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1])
    expect(text.slice(startxref, startxref + 4)).toBe('xref')

    expect(await client.billPdf(1)).toEqual({ unavailable: true })
    await control('PATCH', '/config', { billPdfAvailable: false })
    expect(await client.billPdf(bill.id)).toEqual({ unavailable: true })

    await control('PATCH', '/config', { billPdfAvailable: true, billPdfPath: '/accounting/api/v1/sales/bill/:id/print' })
    expect(await client.billPdf(bill.id)).toEqual({ unavailable: true })
    const rerouted = new MoeDeloClient({
      baseUrl: emu.url,
      credentials: new ApiKeyCredentials(KEY),
      billPdfPath: '/accounting/api/v1/sales/bill/{id}/print',
    })
    expect('pdf' in (await rerouted.billPdf(bill.id))).toBe(true)
    const none = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials(KEY), billPdfPath: null })
    expect(await none.billPdf(bill.id)).toEqual({ unavailable: true })
  })

  it('throws a typed error when the PDF route fails for another reason', async () => {
    const bill = await client.createBill(draft())
    const forbidden = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials('wrong-key') })
    expect(await moedeloError(forbidden.billPdf(bill.id))).toMatchObject({ kind: 'unauthorized', status: 401 })
  })
})
