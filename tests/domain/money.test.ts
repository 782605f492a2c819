import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addMoney,
  divRoundHalfUp,
  formatMoney,
  formatMoneyRu,
  formatQuantity,
  kopecks,
  MoneyError,
  moneyToNumber,
  multiply,
  parseMoney,
  parseQuantity,
  percentOf,
  quantity,
  quantityToNumber,
  subtractMoney,
  sumMoney,
  tryParseMoney,
  tryParseQuantity,
  type Kopecks,
} from '@/lib/domain/money'

const k = (n: bigint | number) => kopecks(n)

describe('parseMoney', () => {
  it.each([
    ['1234.56', 123456n],
    ['1234,56', 123456n],
    ['1 234,56', 123456n],
    ['1\u00A0234,56', 123456n],
    ['1\u202F234.5', 123450n],
    ['0.1', 10n],
    ['.5', 50n],
    ['5.', 500n],
    ['10', 1000n],
    ['-0.05', -5n],
    ['\u22125', -500n],
    ['+7.00', 700n],
    ['1000000.00', 100000000n],
    ['12.3400', 1234n], // trailing zeros are not precision
    ['007', 700n],
  ])('%j → %s kopecks', (raw, expected) => {
    expect(parseMoney(raw)).toBe(expected)
  })

  it('reads JSON numbers through their decimal text', () => {
    expect(parseMoney(81818.18)).toBe(8181818n)
    expect(parseMoney(90000)).toBe(9000000n)
    expect(parseMoney(0.1 + 0.2, { rounding: 'half_up' })).toBe(30n)
    expect(parseMoney(1e21)).toBe(100000000000000000000000n)
    expect(parseMoney(5e-7, { rounding: 'half_up' })).toBe(0n)
  })

  it('refuses more than two decimals unless asked to round', () => {
    expect(tryParseMoney('12.345')).toEqual({ ok: false, problem: { code: 'too_precise', subject: 'amount', value: '12.345', maxDecimals: 2 } })
    expect(tryParseMoney(0.1 + 0.2)).toMatchObject({ ok: false, problem: { code: 'too_precise' } })
    expect(parseMoney('12.345', { rounding: 'half_up' })).toBe(1235n)
    expect(parseMoney('12.344999', { rounding: 'half_up' })).toBe(1234n)
    expect(parseMoney('-12.345', { rounding: 'half_up' })).toBe(-1235n)
    expect(parseMoney('90909.0909', { rounding: 'half_up' })).toBe(9090909n)
  })

  it.each(['abc', '12a', '1.2.3', '1,234.56', '1e5', 'Infinity', '--1', '.', '12 руб'])('%j is not a number', (raw) => {
    expect(tryParseMoney(raw)).toMatchObject({ ok: false, problem: { code: 'not_a_number', subject: 'amount' } })
  })

  it('empty input', () => {
    expect(tryParseMoney('')).toEqual({ ok: false, problem: { code: 'empty', subject: 'amount' } })
    expect(tryParseMoney('  ')).toEqual({ ok: false, problem: { code: 'empty', subject: 'amount' } })
    expect(tryParseMoney(null, { subject: 'price' })).toEqual({ ok: false, problem: { code: 'empty', subject: 'price' } })
    expect(tryParseMoney(Number.NaN)).toMatchObject({ ok: false, problem: { code: 'not_a_number' } })
  })

  it('throws MoneyError carrying the plain-language text', () => {
    try {
      parseMoney('12.345', { subject: 'price' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(MoneyError)
      const err = e as MoneyError
      expect(err.userMessage).toBe('Цена 12,345: допустимо не больше 2 знаков после запятой — исправьте её в товарах сделки')
      expect(err.retryable).toBe(false)
      expect(err.problem).toEqual({ code: 'too_precise', subject: 'price', value: '12.345', maxDecimals: 2 })
    }
  })
})

describe('formatting', () => {
  it.each([
    [123456n, '1234.56'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [1000n, '10.00'],
    [0n, '0.00'],
  ])('formatMoney(%s) = %s', (value, text) => {
    expect(formatMoney(k(value))).toBe(text)
  })

  it('formatMoneyRu groups with non-breaking spaces', () => {
    expect(formatMoneyRu(k(123456789n))).toBe('1\u00A0234\u00A0567,89\u00A0₽')
    expect(formatMoneyRu(k(-50n), { currency: false })).toBe('−0,50')
    expect(formatMoneyRu(k(100000n))).toBe('1\u00A0000,00\u00A0₽')
  })

  it('moneyToNumber gives JSON-exact numbers and refuses unsafe ones', () => {
    expect(moneyToNumber(k(123456n))).toBe(1234.56)
    expect(JSON.stringify({ Price: moneyToNumber(k(10n)) })).toBe('{"Price":0.1}')
    expect(() => moneyToNumber(k(10n ** 15n))).toThrow(RangeError)
    expect(moneyToNumber(k(10n ** 15n - 1n))).toBe(9999999999999.99)
  })

  it('kopecks() refuses fractional numbers', () => {
    expect(() => kopecks(1.5)).toThrow(RangeError)
    expect(kopecks(15)).toBe(15n)
  })
})

describe('quantities and multiply', () => {
  it('parses up to three decimals', () => {
    expect(parseQuantity('1.5')).toBe(1500n)
    expect(parseQuantity('0,125')).toBe(125n)
    expect(parseQuantity(3)).toBe(3000n)
    expect(quantity(3)).toBe(3000n)
    expect(tryParseQuantity('1.2345')).toEqual({ ok: false, problem: { code: 'too_precise', subject: 'quantity', value: '1.2345', maxDecimals: 3 } })
    expect(parseQuantity('1.2345', { rounding: 'half_up' })).toBe(1235n)
    expect(formatQuantity(parseQuantity('1.500'))).toBe('1.5')
    expect(formatQuantity(quantity(2))).toBe('2')
    expect(quantityToNumber(parseQuantity('0.125'))).toBe(0.125)
    expect(() => quantity(1.5)).toThrow(RangeError)
  })

  it.each([
    ['100.00', '3', '300.00'],
    ['33.33', '0.125', '4.17'], // 4.16625 → 4.17
    ['0.01', '0.5', '0.01'], // 0.005 → 0.01 (half-up)
    ['0.01', '0.499', '0.00'],
    ['99.99', '1.001', '100.09'], // 100.08999 → 100.09
    ['-10.01', '0.5', '-5.01'], // −5.005 → −5.01 (half away from zero)
    ['90000', '3', '270000.00'],
    ['0.10', '3', '0.30'], // no float drift: 0.1 × 3 = 0.3
  ])('%s × %s = %s', (price, qty, total) => {
    expect(formatMoney(multiply(parseMoney(price), parseQuantity(qty)))).toBe(total)
  })

  it('percentOf rounds half-up', () => {
    expect(percentOf(parseMoney('199.99'), 10)).toBe(2000n)
    expect(percentOf(parseMoney('100.00'), '12.5')).toBe(1250n)
    expect(() => percentOf(parseMoney('1'), 'x')).toThrow(RangeError)
  })
})

describe('divRoundHalfUp', () => {
  it.each([
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [-5n, 10n, -1n],
    [-4n, 10n, 0n],
    [15n, 10n, 2n],
    [0n, 7n, 0n],
  ])('%s / %s = %s', (n, d, q) => {
    expect(divRoundHalfUp(n, d)).toBe(q)
  })
  it('refuses non-positive divisors', () => {
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError)
  })
})

const amount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((n) => n as Kopecks)

describe('money — properties', () => {
  it('parse ∘ format is the identity (also with a comma and grouping)', () => {
    fc.assert(
      fc.property(amount, (x) => {
        expect(parseMoney(formatMoney(x))).toBe(x)
        expect(parseMoney(formatMoneyRu(x, { currency: false }))).toBe(x)
      }),
    )
  })

  it('JSON numbers round-trip exactly below 10^15 kopecks', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (n) => {
        const x = n as Kopecks
        expect(parseMoney(JSON.parse(JSON.stringify(moneyToNumber(x))) as number)).toBe(x)
      }),
    )
  })

  it('sums are associative and commutative in kopecks', () => {
    fc.assert(
      fc.property(amount, amount, amount, (a, b, c) => {
        expect(addMoney(addMoney(a, b), c)).toBe(addMoney(a, addMoney(b, c)))
        expect(addMoney(a, b)).toBe(addMoney(b, a))
        expect(sumMoney([a, b, c])).toBe(addMoney(a, b, c))
        expect(subtractMoney(addMoney(a, b), b)).toBe(a)
      }),
    )
  })

  it('no float drift: summing decimal strings equals the exact decimal sum', () => {
    // Amounts as strings with 2 decimals; the exact sum is computed on integers built by hand.
    const text = fc.tuple(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99 })).map(([r, c]) => `${r}.${String(c).padStart(2, '0')}`)
    fc.assert(
      fc.property(fc.array(text, { maxLength: 50 }), (texts) => {
        const exact = texts.reduce((s, t) => s + BigInt(t.replace('.', '')), 0n)
        expect(sumMoney(texts.map((t) => parseMoney(t)))).toBe(exact)
      }),
    )
    // The classic: ten times 0.10 is exactly 1.00.
    expect(formatMoney(sumMoney(Array.from({ length: 10 }, () => parseMoney('0.10'))))).toBe('1.00')
  })

  it('multiply is within half a kopeck of the exact product', () => {
    fc.assert(
      fc.property(amount, fc.bigInt({ min: 0n, max: 10n ** 9n }), (price, q) => {
        const exactTimes1000 = price * q
        const rounded = multiply(price, q as ReturnType<typeof parseQuantity>)
        const diff = rounded * 1000n - exactTimes1000
        expect(diff <= 500n && diff >= -500n).toBe(true)
        expect(multiply(-price as Kopecks, q as ReturnType<typeof parseQuantity>)).toBe(-rounded)
      }),
    )
  })
})
