import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  documentVatMode,
  formatMoney,
  kopecks,
  lineAmounts,
  parseMoney,
  parseQuantity,
  splitVat,
  totalAmounts,
  tryParseVatRate,
  VAT_RATES,
  vatIncluded,
  vatOnTop,
  type Kopecks,
  type VatRate,
} from '@/lib/domain/money'

const m = (s: string) => parseMoney(s)
const show = (s: { net: Kopecks; vat: Kopecks; gross: Kopecks }) => [formatMoney(s.net), formatMoney(s.vat), formatMoney(s.gross)]

describe('vatIncluded / vatOnTop — examples', () => {
  it.each([
    ['120.00', 20, ['100.00', '20.00', '120.00']],
    ['122.00', 22, ['100.00', '22.00', '122.00']],
    ['100.00', 22, ['81.97', '18.03', '100.00']], // 18.0327…
    ['100.00', 20, ['83.33', '16.67', '100.00']], // 16.666…
    ['110.00', 10, ['100.00', '10.00', '110.00']],
    ['105.00', 5, ['100.00', '5.00', '105.00']],
    ['107.00', 7, ['100.00', '7.00', '107.00']],
    ['1.00', 20, ['0.83', '0.17', '1.00']],
    ['100.00', 0, ['100.00', '0.00', '100.00']],
    ['100.00', 'none', ['100.00', '0.00', '100.00']],
    ['270000.00', 10, ['245454.55', '24545.45', '270000.00']],
  ] as [string, VatRate, string[]][])('vatIncluded(%s, %s)', (amount, rate, expected) => {
    const s = vatIncluded(m(amount), rate)
    expect(show(s)).toEqual(expected)
    expect(s.rate).toBe(rate)
  })

  it.each([
    ['100.00', 20, ['100.00', '20.00', '120.00']],
    ['100.00', 22, ['100.00', '22.00', '122.00']],
    ['0.05', 10, ['0.05', '0.01', '0.06']], // 0.005 → 0.01, half-up
    ['0.04', 10, ['0.04', '0.00', '0.04']],
    ['33.33', 7, ['33.33', '2.33', '35.66']], // 2.3331
    ['81818.18', 10, ['81818.18', '8181.82', '90000.00']],
    ['100.00', 0, ['100.00', '0.00', '100.00']],
    ['100.00', 'none', ['100.00', '0.00', '100.00']],
  ] as [string, VatRate, string[]][])('vatOnTop(%s, %s)', (amount, rate, expected) => {
    expect(show(vatOnTop(m(amount), rate))).toEqual(expected)
  })

  it('negative amounts (corrections) round symmetrically', () => {
    expect(show(vatOnTop(m('-0.05'), 10))).toEqual(['-0.05', '-0.01', '-0.06'])
    expect(show(vatIncluded(m('-100.00'), 20))).toEqual(['-83.33', '-16.67', '-100.00'])
  })
})

describe('lines, documents and modes (NdsPositionType)', () => {
  it('lineAmounts: price × quantity first, then VAT on the line sum', () => {
    const line = { price: m('90000'), quantity: parseQuantity('3'), rate: 10 as const }
    expect(show(lineAmounts(line, 'included'))).toEqual(['245454.55', '24545.45', '270000.00'])
    expect(show(lineAmounts({ ...line, price: m('81818.18') }, 'on_top'))).toEqual(['245454.54', '24545.45', '269999.99'])
    expect(show(lineAmounts(line, 'none'))).toEqual(['270000.00', '0.00', '270000.00'])
    expect(lineAmounts(line, 'none').rate).toBe('none')
    expect(show(lineAmounts({ price: m('33.33'), quantity: parseQuantity('0.125'), rate: 20 }, 'on_top'))).toEqual(['4.17', '0.83', '5.00'])
  })

  it('totals are sums of the lines’ figures', () => {
    const lines = [
      lineAmounts({ price: m('100.00'), quantity: parseQuantity('1'), rate: 20 }, 'included'),
      lineAmounts({ price: m('100.00'), quantity: parseQuantity('1'), rate: 20 }, 'included'),
      lineAmounts({ price: m('100.00'), quantity: parseQuantity('1'), rate: 20 }, 'included'),
    ]
    expect(show(totalAmounts(lines))).toEqual(['249.99', '50.01', '300.00'])
  })

  it('splitVat follows the mode', () => {
    expect(splitVat(m('120'), 20, 'included').vat).toBe(2000n)
    expect(splitVat(m('120'), 20, 'on_top').vat).toBe(2400n)
    expect(splitVat(m('120'), 20, 'none').vat).toBe(0n)
  })

  it('documentVatMode', () => {
    expect(documentVatMode([])).toEqual({ ok: true, value: 'none' })
    expect(documentVatMode([{ rate: 'none', included: true }, { rate: 'none', included: false }])).toEqual({ ok: true, value: 'none' })
    expect(documentVatMode([{ rate: 20, included: true }, { rate: 'none', included: false }])).toEqual({ ok: true, value: 'included' })
    expect(documentVatMode([{ rate: 22, included: false }, { rate: 10, included: false }])).toEqual({ ok: true, value: 'on_top' })
    expect(documentVatMode([{ rate: 0, included: false }])).toEqual({ ok: true, value: 'on_top' })
    expect(documentVatMode([{ rate: 20, included: true }, { rate: 10, included: false }])).toEqual({ ok: false, problem: { code: 'mixed_vat_modes' } })
  })

  it('tryParseVatRate reads Bitrix24 percentages and catalog fractions', () => {
    expect(tryParseVatRate(22)).toEqual({ ok: true, value: 22 })
    expect(tryParseVatRate('20')).toEqual({ ok: true, value: 20 })
    expect(tryParseVatRate('10%')).toEqual({ ok: true, value: 10 })
    expect(tryParseVatRate(0)).toEqual({ ok: true, value: 0 })
    expect(tryParseVatRate(null)).toEqual({ ok: true, value: 'none' })
    expect(tryParseVatRate(undefined)).toEqual({ ok: true, value: 'none' })
    expect(tryParseVatRate('')).toEqual({ ok: true, value: 'none' })
    expect(tryParseVatRate(0.22, 'fraction')).toEqual({ ok: true, value: 22 })
    expect(tryParseVatRate(0.07, 'fraction')).toEqual({ ok: true, value: 7 })
    expect(tryParseVatRate('0,05', 'fraction')).toEqual({ ok: true, value: 5 })
    expect(tryParseVatRate(18)).toEqual({ ok: false, problem: { code: 'unsupported_vat_rate', value: '18' } })
    expect(tryParseVatRate(0.18, 'fraction')).toEqual({ ok: false, problem: { code: 'unsupported_vat_rate', value: '0.18' } })
    expect(tryParseVatRate('abc')).toMatchObject({ ok: false, problem: { code: 'unsupported_vat_rate' } })
  })
})

const amount = fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }).map((n) => kopecks(n))
const rate = fc.constantFrom(...VAT_RATES)
const abs = (x: bigint) => (x < 0n ? -x : x)

describe('VAT — properties', () => {
  it('net + vat = gross, always', () => {
    fc.assert(
      fc.property(amount, rate, (x, r) => {
        for (const s of [vatIncluded(x, r), vatOnTop(x, r)]) expect(s.net + s.vat).toBe(s.gross)
      }),
    )
  })

  it('vatOnTop, then extracting VAT back from the gross, returns the net within a kopeck', () => {
    fc.assert(
      fc.property(amount, rate, (x, r) => {
        const top = vatOnTop(x, r)
        const back = vatIncluded(top.gross, r)
        expect(abs(back.net - x) <= 1n).toBe(true)
        expect(abs(back.vat - top.vat) <= 1n).toBe(true)
      }),
    )
  })

  it('VAT is within half a kopeck of the exact fraction', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(5, 7, 10, 20, 22), (x, r) => {
        const R = BigInt(r)
        // on top: |vat·100 − x·r| ≤ 50
        expect(abs(vatOnTop(x, r).vat * 100n - x * R) * 2n <= 100n).toBe(true)
        // included: |vat·(100+r) − x·r| ≤ (100+r)/2
        expect(abs(vatIncluded(x, r).vat * (100n + R) - x * R) * 2n <= 100n + R).toBe(true)
      }),
    )
  })

  it('rounding is symmetric for negative amounts', () => {
    fc.assert(
      fc.property(amount, rate, (x, r) => {
        expect(vatOnTop(kopecks(-x), r).vat).toBe(-vatOnTop(x, r).vat)
        expect(vatIncluded(kopecks(-x), r).vat).toBe(-vatIncluded(x, r).vat)
      }),
    )
  })

  it('rate 0 and «без НДС» never add VAT', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom<VatRate>(0, 'none'), (x, r) => {
        expect(vatOnTop(x, r)).toEqual({ net: x, vat: 0n, gross: x, rate: r })
        expect(vatIncluded(x, r)).toEqual({ net: x, vat: 0n, gross: x, rate: r })
      }),
    )
  })

  it('works on amounts far beyond 2^53 kopecks (no float anywhere)', () => {
    const huge = parseMoney('123456789012345678901234.56')
    const s = vatOnTop(huge, 22)
    expect(formatMoney(s.vat)).toBe('27160493582716049358271.60')
    expect(formatMoney(s.gross)).toBe('150617282595061728259506.16')
  })
})
