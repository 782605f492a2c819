import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { billDraftFromDeal, productRowFromItem, type BillDraft, type BitrixProductRow, type DealSnapshot, type InvoiceOptions } from '@/lib/invoices'
import { buildRow, legacyRow, recalcDealFromRows } from '@/tests/emulators/bitrix24/rest/methods/crm-productrows'
import { PortalState, type AppState, type CrmRecord } from '@/tests/emulators/bitrix24/state'
import { deal, row, TODAY } from './invoices-fixtures'

const OPTS: InvoiceOptions = { today: TODAY }

function draftOf(d: DealSnapshot, opts: InvoiceOptions = OPTS): BillDraft {
  const r = billDraftFromDeal(d, opts)
  if (!r.ok) throw new Error(`unexpected problems: ${JSON.stringify(r.problems)}`)
  return r.draft
}
const itemSums = (b: BillDraft) => b.items.map((i) => [i.price, i.count, i.ndsType, i.sumWithoutNds, i.ndsSum, i.sum])

// ---------- reference: Bitrix24's OPPORTUNITY, written from the vendor docs, independent of lib/ ----------
// bitrix24.md §4.2: PRICE is the final unit price (after discount, with tax), kept to the kopeck;
// QUANTITY has up to 4 decimals; a row's sum is PRICE × QUANTITY rounded half-up to the kopeck
// (PHP round()); OPPORTUNITY is the sum of the rows' sums when not set by hand.

/** Decimal text → integer scaled by 10^scale, exact (throws on more decimals than scale). */
function scaled(text: string, scale: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (!m) throw new Error(`bad decimal ${text}`)
  const frac = (m[3] ?? '').replace(/0+$/, '')
  if (frac.length > scale) throw new Error(`too precise ${text}`)
  const v = BigInt((m[2] ?? '0') + frac.padEnd(scale, '0'))
  return m[1] === '-' ? -v : v
}
function roundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n
  const a = neg ? -n : n
  const q = a / d + ((a % d) * 2n >= d ? 1n : 0n)
  return neg ? -q : q
}
const kopText = (k: bigint) => `${k < 0n ? '-' : ''}${(k < 0n ? -k : k) / 100n}.${((k < 0n ? -k : k) % 100n).toString().padStart(2, '0')}`

function referenceOpportunity(rows: readonly { PRICE: unknown; QUANTITY: unknown }[]): string {
  let total = 0n
  for (const r of rows) {
    const price = scaled(String(r.PRICE), 2) // kopecks
    const qty = scaled(String(r.QUANTITY), 4) // ten-thousandths
    total += roundHalfUp(price * qty, 10_000n)
  }
  return kopText(total)
}

/** `a · (100 ± p) / 100` half-up, all in kopecks / hundredths of a percent. */
const applyPercent = (kop: bigint, pctHundredths: bigint, sign: 1n | -1n) => roundHalfUp(kop * (10_000n + sign * pctHundredths), 10_000n)
const withTax = (kop: bigint, rate: number | null) => (rate === null ? kop : roundHalfUp(kop * BigInt(100 + rate), 100n))
const withoutTax = (kop: bigint, rate: number | null) => (rate === null ? kop : roundHalfUp(kop * 100n, BigInt(100 + rate)))

interface GenRow {
  rate: number | null
  included: boolean
  base: bigint // kopecks: PRICE_NETTO (N) or PRICE_BRUTTO (Y)
  discount: { type: 'percent'; hundredths: bigint } | { type: 'absolute'; kop: bigint } | null
  qtyThousandths: bigint
}

/** A product row as Bitrix24 stores it (all prices to the kopeck), from what a manager enters. */
function bitrixRow(g: GenRow, i: number): BitrixProductRow {
  const discounted = (k: bigint) =>
    g.discount === null ? k : g.discount.type === 'percent' ? applyPercent(k, g.discount.hundredths, -1n) : k - g.discount.kop
  let netto: bigint, brutto: bigint, exclusive: bigint, price: bigint
  if (g.included) {
    brutto = g.base
    price = discounted(brutto)
    exclusive = withoutTax(price, g.rate)
    netto = withoutTax(brutto, g.rate)
  } else {
    netto = g.base
    exclusive = discounted(netto)
    price = withTax(exclusive, g.rate)
    brutto = withTax(netto, g.rate)
  }
  const num = (k: bigint) => Number(kopText(k)) // JSON numbers, as crm.deal.productrows.get sends them
  const qty = g.qtyThousandths
  return {
    ID: String(i + 1),
    PRODUCT_ID: i % 3 === 0 ? 0 : 100 + i,
    PRODUCT_NAME: `Позиция ${i + 1}`,
    PRICE: num(price),
    PRICE_EXCLUSIVE: num(exclusive),
    PRICE_NETTO: num(netto),
    PRICE_BRUTTO: num(brutto),
    QUANTITY: Number(`${qty / 1000n}.${(qty % 1000n).toString().padStart(3, '0')}`),
    DISCOUNT_TYPE_ID: g.discount?.type === 'absolute' ? 1 : 2,
    DISCOUNT_RATE: g.discount?.type === 'percent' ? Number(g.discount.hundredths) / 100 : 0,
    DISCOUNT_SUM: num(netto - exclusive),
    TAX_RATE: g.rate,
    TAX_INCLUDED: g.included ? 'Y' : 'N',
    MEASURE_CODE: 796,
    MEASURE_NAME: 'шт',
  }
}

const genRow: fc.Arbitrary<GenRow> = fc
  .record({
    rate: fc.constantFrom<number | null>(null, 0, 5, 7, 10, 20, 22, 22, 22),
    included: fc.boolean(),
    base: fc.bigInt({ min: 1n, max: 100_000_000n }), // up to 1 000 000,00 ₽
    discount: fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.constant('percent' as const), hundredths: fc.bigInt({ min: 1n, max: 9_900n }) }),
      fc.record({ type: fc.constant('absolute' as const), kop: fc.bigInt({ min: 1n, max: 10_000n }) }),
    ),
    qtyThousandths: fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.bigInt({ min: 1n, max: 20n }).map((n) => n * 1000n)),
  })
  .map((g) => (g.discount?.type === 'absolute' && g.discount.kop >= g.base ? { ...g, discount: null } : g))
  // a percent discount can round a tiny price to zero: such a row is not a product anyone sells
  .filter((g) => bitrixRowPrice(g) > 0n)

function bitrixRowPrice(g: GenRow): bigint {
  return scaled(String(bitrixRow(g, 0).PRICE), 2)
}

const dealWith = (rows: BitrixProductRow[]): DealSnapshot => deal({ productRows: rows, opportunity: referenceOpportunity(rows) })
const RELAXED: InvoiceOptions = { today: TODAY, missingVatRate: 'without_vat' }

// ---------- examples ----------

describe('billDraftFromDeal — VAT on top', () => {
  it('one row at 22 % on top', () => {
    const b = draftOf(deal())
    expect(b.ndsPositionType).toBe(2)
    expect(b.conversions).toEqual([])
    expect(b.items).toEqual([
      { row: 1, name: 'Консультация', count: '1', unit: 'шт', type: 2, price: '1000.00', ndsType: 22, sumWithoutNds: '1000.00', ndsSum: '220.00', sum: '1220.00', productId: 0 },
    ])
    expect(b.totals).toEqual({ sumWithoutNds: '1000.00', ndsSum: '220.00', sum: '1220.00' })
  })

  it('mixed rates 22, 10, 0 on top', () => {
    const rows = [
      row({ PRICE: 1220, PRICE_EXCLUSIVE: 1000, QUANTITY: 2 }),
      row({ PRODUCT_NAME: 'Книга', PRICE: 110, PRICE_EXCLUSIVE: 100, TAX_RATE: 10, QUANTITY: 3 }),
      row({ PRODUCT_NAME: 'Экспорт', PRICE: 50, PRICE_EXCLUSIVE: 50, TAX_RATE: 0, QUANTITY: 1 }),
    ]
    const b = draftOf(dealWith(rows))
    expect(b.ndsPositionType).toBe(2)
    expect(itemSums(b)).toEqual([
      ['1000.00', '2', 22, '2000.00', '440.00', '2440.00'],
      ['100.00', '3', 10, '300.00', '30.00', '330.00'],
      ['50.00', '1', 0, '50.00', '0.00', '50.00'],
    ])
    expect(b.totals).toEqual({ sumWithoutNds: '2350.00', ndsSum: '470.00', sum: '2820.00' })
  })

  it('percent discount: the price is already after it', () => {
    // PRICE_NETTO 1000, −10 % → PRICE_EXCLUSIVE 900, PRICE 1098 (22 %)
    const b = draftOf(dealWith([row({ PRICE_NETTO: 1000, PRICE_BRUTTO: 1220, DISCOUNT_RATE: 10, DISCOUNT_SUM: 100, PRICE_EXCLUSIVE: 900, PRICE: 1098, QUANTITY: 3 })]))
    expect(itemSums(b)).toEqual([['900.00', '3', 22, '2700.00', '594.00', '3294.00']])
    expect(b.items[0]?.discountRate).toBeUndefined()
  })

  it('absolute discount whose rounded unit PRICE makes «сверху» miss by a kopeck → «в т.ч.» with the deal’s total', () => {
    // PRICE_NETTO 999.99, −100.00 → PRICE_EXCLUSIVE 899.99; PRICE = 899.99 × 1.22 = 1097.9878 → 1097.99
    const rows = [row({ PRICE_NETTO: 999.99, DISCOUNT_TYPE_ID: 1, DISCOUNT_SUM: 100, PRICE_EXCLUSIVE: 899.99, PRICE: 1097.99, QUANTITY: 3 })]
    const d = dealWith(rows)
    expect(d.opportunity).toBe('3293.97')
    const b = draftOf(d)
    expect(b.ndsPositionType).toBe(3)
    expect(b.conversions).toEqual(['on_top_rounding_as_included'])
    // 3293.97 · 22/122 = 593.9946 → 593.99
    expect(itemSums(b)).toEqual([['1097.99', '3', 22, '2699.98', '593.99', '3293.97']])
    expect(b.totals.sum).toBe('3293.97')
  })
})

describe('billDraftFromDeal — VAT included, none, mixed flags', () => {
  it('20 % included', () => {
    const b = draftOf(dealWith([row({ PRICE: 1200, PRICE_EXCLUSIVE: 1000, TAX_RATE: 20, TAX_INCLUDED: 'Y', QUANTITY: 2 })]))
    expect(b.ndsPositionType).toBe(3)
    expect(itemSums(b)).toEqual([['1200.00', '2', 20, '2000.00', '400.00', '2400.00']])
  })

  it('22 % included with an awkward sum', () => {
    const b = draftOf(dealWith([row({ PRICE: 100, PRICE_EXCLUSIVE: 81.97, TAX_INCLUDED: 'Y' })]))
    expect(itemSums(b)).toEqual([['100.00', '1', 22, '81.97', '18.03', '100.00']])
  })

  it('the spec’s crm.item.productrow.list sample (10 % included, 10 % discount)', () => {
    const r = productRowFromItem({ id: 17649, productId: 9621, productName: 'Станок', price: 90000, priceExclusive: 81818.18, priceNetto: 90909.09, priceBrutto: 100000, quantity: 3, discountTypeId: 2, discountRate: 10, discountSum: 9090.91, taxRate: 10, taxIncluded: 'Y', measureCode: 796, measureName: 'шт', type: 4 })
    const b = draftOf({ ...dealWith([r]), catalogProductTypes: { 9621: 1 } })
    expect(b.items).toEqual([
      { row: 1, name: 'Станок', count: '3', unit: 'шт', type: 1, price: '90000.00', ndsType: 10, sumWithoutNds: '245454.55', ndsSum: '24545.45', sum: '270000.00', productId: 9621 },
    ])
  })

  it('no VAT at all → NdsPositionType 1, NdsType −1', () => {
    const b = draftOf(dealWith([row({ TAX_RATE: null, PRICE: 1500, PRICE_EXCLUSIVE: 1500, QUANTITY: 2 })]), RELAXED)
    expect(b.ndsPositionType).toBe(1)
    expect(itemSums(b)).toEqual([['1500.00', '2', -1, '3000.00', '0.00', '3000.00']])
  })

  it('a «Без НДС» row inside a taxed bill keeps NdsType −1', () => {
    const b = draftOf(dealWith([row(), row({ PRODUCT_NAME: 'Услуга без НДС', TAX_RATE: null, PRICE: 300, PRICE_EXCLUSIVE: 300 })]), RELAXED)
    expect(b.ndsPositionType).toBe(2)
    expect(itemSums(b)).toEqual([
      ['1000.00', '1', 22, '1000.00', '220.00', '1220.00'],
      ['300.00', '1', -1, '300.00', '0.00', '300.00'],
    ])
  })

  it('mixed «включён»/«сверху» → one «в т.ч.» bill from PRICE, same total', () => {
    const rows = [row(), row({ PRODUCT_NAME: 'Доставка', PRICE: 500, PRICE_EXCLUSIVE: 409.84, TAX_INCLUDED: 'Y' })]
    const b = draftOf(dealWith(rows))
    expect(b.ndsPositionType).toBe(3)
    expect(b.conversions).toEqual(['mixed_vat_modes_as_included'])
    // 1220 · 22/122 = 220; 500 · 22/122 = 90.1639 → 90.16
    expect(itemSums(b)).toEqual([
      ['1220.00', '1', 22, '1000.00', '220.00', '1220.00'],
      ['500.00', '1', 22, '409.84', '90.16', '500.00'],
    ])
    expect(b.totals).toEqual({ sumWithoutNds: '1409.84', ndsSum: '310.16', sum: '1720.00' })
  })

  it('fractional quantity: 33.33 × 0.125 = 4.16625 → 4.17', () => {
    const b = draftOf(dealWith([row({ PRICE: 33.33, PRICE_EXCLUSIVE: 33.33, TAX_RATE: 0, QUANTITY: 0.125, MEASURE_NAME: 'кг' })]))
    expect(b.items[0]).toMatchObject({ count: '0.125', unit: 'кг', price: '33.33', sum: '4.17' })
    expect(b.totals.sum).toBe('4.17')
  })
})

describe('billDraftFromDeal — goods and services, units, dates, buyer', () => {
  it('goods vs services from the catalog type, default units', () => {
    const rows = [
      row({ PRODUCT_ID: 5, PRODUCT_NAME: 'Стул', MEASURE_NAME: '' }),
      row({ PRODUCT_ID: 6, PRODUCT_NAME: 'Монтаж', MEASURE_NAME: null }),
      row({ PRODUCT_ID: 0, PRODUCT_NAME: 'Доставка', MEASURE_NAME: '' }),
      row({ PRODUCT_ID: '9', PRODUCT_NAME: 'Без каталога', TYPE: 7 }),
    ]
    const d = { ...dealWith(rows), catalogProductTypes: { 5: 1, 6: 7 } }
    expect(draftOf(d).items.map((i) => [i.name, i.type, i.unit, i.productId])).toEqual([
      ['Стул', 1, 'шт', 5],
      ['Монтаж', 2, 'усл', 6],
      ['Доставка', 2, 'усл', 0],
      ['Без каталога', 2, 'шт', 9],
    ])
    expect(draftOf(d, { ...OPTS, freeRowType: 'goods' }).items[2]?.type).toBe(1)
  })

  it('doc date, deadline by the payment term, buyer', () => {
    const b = draftOf(deal(), { today: '2026-12-29', paymentTermDays: 10 })
    expect([b.docDate, b.deadline]).toEqual(['2026-12-29', '2027-01-08'])
    expect(draftOf(deal()).deadline).toBe('2026-04-04') // default term: 5 days
    expect(b.dealId).toBe(42)
    expect(b.kontragent).toEqual({ entity: 'company', id: 7, title: 'ООО «Ромашка»', inn: '7717586110', kpp: '770501001', kind: 'legal_entity' })
  })

  it('contact buyer', () => {
    const b = draftOf(deal({ company: null, contact: { id: 3, name: 'Иван Петров', requisite: { inn: '500100732259', presetKind: 'individual' } } }))
    expect(b.kontragent).toEqual({ entity: 'contact', id: 3, title: 'Иван Петров', inn: '500100732259', kpp: null, kind: 'individual' })
  })

  it('nothing is made when the check fails', () => {
    const r = billDraftFromDeal(deal({ productRows: [] }), OPTS)
    expect(r).toEqual({ ok: false, problems: [{ code: 'no_products' }] })
  })
})

// ---------- properties ----------

describe('property: our bill total equals Bitrix24’s OPPORTUNITY', () => {
  it('random rows: prices with kopecks, quantities with 3 decimals, discounts, all rates, included or not', () => {
    fc.assert(
      fc.property(fc.array(genRow, { minLength: 1, maxLength: 8 }), (gens) => {
        const rows = gens.map(bitrixRow)
        const d = dealWith(rows)
        const b = draftOf(d, RELAXED)
        expect(b.totals.sum).toBe(d.opportunity)

        // every line is consistent on its own, with the legal VAT formula of the bill's mode
        let net = 0n, vat = 0n, gross = 0n
        for (const item of b.items) {
          const [s, n, v] = [scaled(item.sum, 2), scaled(item.sumWithoutNds, 2), scaled(item.ndsSum, 2)]
          expect(n + v).toBe(s)
          const priced = roundHalfUp(scaled(item.price, 2) * scaled(item.count, 3), 1000n)
          const rate = item.ndsType === -1 ? 0n : BigInt(item.ndsType)
          if (b.ndsPositionType === 2 && item.ndsType !== -1) {
            expect(n).toBe(priced)
            expect(v).toBe(roundHalfUp(n * rate, 100n))
          } else {
            expect(s).toBe(priced)
            expect(v).toBe(roundHalfUp(s * rate, 100n + rate))
          }
          net += n; vat += v; gross += s
        }
        expect([kopText(net), kopText(vat), kopText(gross)]).toEqual([b.totals.sumWithoutNds, b.totals.ndsSum, b.totals.sum])

        // the mode follows the rows' flags
        const taxed = gens.filter((g) => g.rate !== null)
        const flags = new Set(taxed.map((g) => g.included))
        if (taxed.length === 0) expect(b.ndsPositionType).toBe(1)
        else if (flags.size === 2) expect([b.ndsPositionType, b.conversions]).toEqual([3, ['mixed_vat_modes_as_included']])
        else if (flags.has(true)) expect([b.ndsPositionType, b.conversions]).toEqual([3, []])
        else expect(b.ndsPositionType === 2 ? b.conversions : [b.ndsPositionType, b.conversions]).toEqual(b.ndsPositionType === 2 ? [] : [3, ['on_top_rounding_as_included']])

        // a deal sum one kopeck off is caught by the check
        expect(billDraftFromDeal({ ...d, opportunity: kopText(scaled(String(d.opportunity), 2) + 1n) }, RELAXED).ok).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('«сверху» is kept whenever the rows allow it (whole prices, no discount)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ rub: fc.integer({ min: 1, max: 100_000 }), rate: fc.constantFrom(0, 5, 10, 20, 22), qty: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 5 }),
        (specs) => {
          // 100 ₽ multiples: rate × price is a whole number of kopecks, so PRICE is exact
          const rows = specs.map((s, i) => bitrixRow({ rate: s.rate, included: false, base: BigInt(s.rub) * 10_000n, discount: null, qtyThousandths: BigInt(s.qty) * 1000n }, i))
          const b = draftOf(dealWith(rows))
          expect([b.ndsPositionType, b.conversions]).toEqual([2, []])
        },
      ),
      { numRuns: 100 },
    )
  })
})

// ---------- cross-check with the Bitrix24 emulator's product-row computation ----------

function emulate(raws: Record<string, unknown>[]): { rows: BitrixProductRow[]; opportunity: string } {
  const state = new PortalState({} as AppState)
  const dealRecord: CrmRecord = { ID: 1, IS_MANUAL_OPPORTUNITY: 'N', OPPORTUNITY: 0 }
  const built = raws.map((r, i) => buildRow(state, 1, r, i))
  state.productRows.set(1, built)
  recalcDealFromRows(state, dealRecord)
  return { rows: built.map(legacyRow) as BitrixProductRow[], opportunity: String(dealRecord.OPPORTUNITY) }
}

describe('cross-check with the emulator (crm.deal.productrows.set → OPPORTUNITY)', () => {
  it.each([
    ['22 % on top', [{ PRODUCT_NAME: 'A', PRICE: 1000, TAX_RATE: 22, TAX_INCLUDED: 'N', QUANTITY: 3 }]],
    ['20 % included with 10 % discount', [{ PRODUCT_NAME: 'B', PRICE: 1200, TAX_RATE: 20, TAX_INCLUDED: 'Y', DISCOUNT_TYPE_ID: 2, DISCOUNT_RATE: 10, QUANTITY: 2 }]],
    ['several rates and no VAT', [
      { PRODUCT_NAME: 'C', PRICE: 99.99, TAX_RATE: 22, TAX_INCLUDED: 'N', QUANTITY: 7 },
      { PRODUCT_NAME: 'D', PRICE: 0.01, TAX_RATE: 10, TAX_INCLUDED: 'Y', QUANTITY: 1 },
      { PRODUCT_NAME: 'E', PRICE: 1234.56, TAX_RATE: null, QUANTITY: 2 },
    ]],
    ['absolute discount', [{ PRODUCT_NAME: 'F', PRICE: 899.99, PRICE_EXCLUSIVE: 899.99, TAX_RATE: 22, TAX_INCLUDED: 'N', DISCOUNT_TYPE_ID: 1, DISCOUNT_SUM: 100, QUANTITY: 3 }]],
  ])('%s', (_name, raws) => {
    const { rows, opportunity } = emulate(raws)
    const d = deal({ productRows: rows, opportunity })
    expect(draftOf(d, RELAXED).totals.sum).toBe(kopText(scaled(opportunity, 2)))
    expect(referenceOpportunity(rows)).toBe(kopText(scaled(opportunity, 2)))
  })

  it('random rows with whole quantities: emulator OPPORTUNITY == our bill total', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            PRICE: fc.integer({ min: 1, max: 10_000_000 }).map((k) => k / 100),
            TAX_RATE: fc.constantFrom(null, 0, 5, 7, 10, 20, 22),
            TAX_INCLUDED: fc.constantFrom('Y', 'N'),
            QUANTITY: fc.integer({ min: 1, max: 100 }),
            DISCOUNT_RATE: fc.constantFrom(0, 5, 10, 12.5),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (raws) => {
          const { rows, opportunity } = emulate(raws.map((r, i) => ({ ...r, PRODUCT_NAME: `P${i}`, DISCOUNT_TYPE_ID: 2 })))
          fc.pre(rows.every((r) => Number(r.PRICE) > 0))
          const d = deal({ productRows: rows, opportunity })
          expect(draftOf(d, RELAXED).totals.sum).toBe(kopText(scaled(opportunity, 2)))
        },
      ),
      { numRuns: 200 },
    )
  })
})
