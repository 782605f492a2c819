import { describe, expect, it } from 'vitest'
import { parseMoney, type Kopecks } from '@/lib/domain/money'
import type { Bill, BillPayment, BillSummary } from '@/lib/moedelo'
import { compareWithBill, isFullyPaid, MARKED_BY_HAND, paidAmount, receiptIdOf, summaryDiffers, type MirroredInvoice } from '@/lib/payments/mirror'

const rub = (text: string): Kopecks => parseMoney(text)

const invoice = (over: Partial<MirroredInvoice> = {}): MirroredInvoice => ({
  id: 'inv-1',
  dealId: 7,
  billId: 315000001,
  number: '12',
  docDate: '2026-02-01',
  deadline: '2026-02-11',
  sum: '10000.00',
  paidSum: '0.00',
  billStatus: 4,
  billModifiedAt: '2026-02-01T10:00:00.000+03:00',
  ...over,
})

const payment = (id: number, date: string, amount: string, number = String(id)): BillPayment => ({ id, number, date, amount: rub(amount) })

function bill(over: Partial<Bill> = {}): Bill {
  return {
    id: 315000001,
    number: '12',
    docDate: '2026-02-01',
    deadline: '2026-02-11',
    kind: 'bill',
    status: 'unpaid',
    kontragentId: 18000001,
    projectId: null,
    stockId: null,
    settlementAccountId: null,
    vatMode: 'none',
    isCovered: false,
    additionalInfo: null,
    contractSubject: null,
    comment: null,
    total: rub('10000.00'),
    paid: rub('0.00'),
    items: [],
    vatTotal: rub('0'),
    payments: [],
    useStampAndSign: false,
    onlinePath: null,
    onlineUrl: null,
    createdAt: '2026-02-01T10:00:00.000+03:00',
    modifiedAt: '2026-02-01T10:00:00.000+03:00',
    ...over,
  }
}

describe('compareWithBill', () => {
  it('finds nothing to do when MoeDelo says what the mirror says', () => {
    expect(compareWithBill(invoice(), [], bill())).toMatchObject({ changed: false, receipts: [], becamePaid: false, paidAmountChanged: false })
  })

  it('records a partial payment with the balance left, and no stage move', () => {
    const result = compareWithBill(
      invoice(),
      [],
      bill({ status: 'partially_paid', paid: rub('4000.00'), payments: [payment(901, '2026-02-03', '4000.00', 'П-1')], modifiedAt: '2026-02-03T12:00:00.000+03:00' }),
    )
    expect(result.changed).toBe(true)
    expect(result.becamePaid).toBe(false)
    expect(result.paidAmountChanged).toBe(true)
    expect(result.update).toMatchObject({ paidSum: '4000.00', billStatus: 5, billModifiedAt: '2026-02-03T12:00:00.000+03:00' })
    expect(result.receipts).toEqual([
      {
        paymentId: 901,
        number: 'П-1',
        date: '2026-02-03',
        sum: '4000.00',
        comment: 'Поступила оплата по счёту № 12 от 01.02.2026: платёжный документ № П-1 от 03.02.2026, 4\u00a0000,00\u00a0₽. Осталось оплатить 6\u00a0000,00\u00a0₽.',
      },
    ])
  })

  it('two receipts seen at once: each with the balance after it, in date order; fully paid', () => {
    const result = compareWithBill(
      invoice(),
      [],
      bill({ status: 'paid', paid: rub('10000.00'), payments: [payment(902, '2026-02-05', '6000.00'), payment(901, '2026-02-03', '4000.00')] }),
    )
    expect(result.receipts.map((r) => [r.paymentId, r.comment.split('. ').pop()])).toEqual([
      [901, 'Осталось оплатить 6\u00a0000,00\u00a0₽.'],
      [902, 'Счёт оплачен полностью.'],
    ])
    expect(result.becamePaid).toBe(true)
  })

  it('does not announce a receipt twice and counts the balance from PaidSum', () => {
    const recorded = [{ paymentId: 901, sum: '4000.00' }]
    const result = compareWithBill(
      invoice({ paidSum: '4000.00', billStatus: 5 }),
      recorded,
      bill({ status: 'partially_paid', paid: rub('7000.00'), payments: [payment(901, '2026-02-03', '4000.00'), payment(903, '2026-02-07', '3000.00')] }),
    )
    expect(result.receipts.map((r) => r.paymentId)).toEqual([903])
    expect(result.receipts[0]!.comment).toContain('Осталось оплатить 3\u00a0000,00\u00a0₽')
  })

  it('a bill marked paid by hand without documents counts as paid, once, and says so', () => {
    const marked = bill({ status: 'paid', paid: rub('0'), modifiedAt: '2026-02-04T09:00:00.000+03:00' })
    const result = compareWithBill(invoice(), [], marked)
    expect(result.becamePaid).toBe(true)
    expect(result.receipts).toHaveLength(1)
    expect(result.receipts[0]).toMatchObject({ paymentId: MARKED_BY_HAND, sum: '10000.00', date: '2026-02-04', number: null })
    expect(result.receipts[0]!.comment).toBe(
      'Счёт № 12 от 01.02.2026 отмечен в «Моё дело» как оплаченный вручную, без платёжного документа (10\u00a0000,00\u00a0₽ не подтверждены банковской выпиской). Счёт считается оплаченным.',
    )
    const again = compareWithBill(invoice({ billStatus: 6, billModifiedAt: marked.modifiedAt }), [{ paymentId: MARKED_BY_HAND, sum: '10000.00' }], marked)
    expect(again).toMatchObject({ changed: false, receipts: [], becamePaid: false })
  })

  it('marked paid by hand after a partial payment: only the gap is unconfirmed', () => {
    const result = compareWithBill(
      invoice({ paidSum: '4000.00', billStatus: 5 }),
      [{ paymentId: 901, sum: '4000.00' }],
      bill({ status: 'paid', paid: rub('4000.00'), payments: [payment(901, '2026-02-03', '4000.00')] }),
    )
    expect(result.receipts.map((r) => [r.paymentId, r.sum])).toEqual([[MARKED_BY_HAND, '6000.00']])
    expect(result.becamePaid).toBe(true)
  })

  it('an overpayment leaves nothing to pay', () => {
    const result = compareWithBill(invoice(), [], bill({ status: 'paid', paid: rub('10500.00'), payments: [payment(1, '2026-02-03', '10500.00')] }))
    expect(result.receipts[0]!.comment).toContain('Счёт оплачен полностью.')
    expect(result.receipts.some((r) => r.paymentId === MARKED_BY_HAND)).toBe(false)
  })

  it('follows edits of number, deadline and sum in MoeDelo', () => {
    const result = compareWithBill(invoice(), [], bill({ number: '12-А', deadline: '2026-03-01', total: rub('12000.00') }))
    expect(result.changed).toBe(true)
    expect(result.update).toMatchObject({ number: '12-А', deadline: '2026-03-01', sum: '12000.00' })
    expect(result.receipts).toEqual([])
  })
})

describe('paid amount and status helpers', () => {
  it('a bill is fully paid by status 6 or by payments covering a positive sum', () => {
    expect(isFullyPaid(6, rub('0'), rub('100'))).toBe(true)
    expect(isFullyPaid(5, rub('100'), rub('100'))).toBe(true)
    expect(isFullyPaid(4, rub('0'), rub('0'))).toBe(false)
    expect(isFullyPaid(5, rub('99.99'), rub('100'))).toBe(false)
  })

  it('the deal shows the sum for a bill marked paid by hand, else what was received', () => {
    expect(paidAmount({ billStatus: 6, paidSum: '0.00', sum: '100.00' })).toBe(rub('100.00'))
    expect(paidAmount({ billStatus: 5, paidSum: '40.00', sum: '100.00' })).toBe(rub('40.00'))
    expect(paidAmount({ billStatus: 6, paidSum: '120.00', sum: '100.00' })).toBe(rub('120.00'))
  })

  it('a payment without an id gets a stable negative key from its content', () => {
    const p = { id: null, number: '5', date: '2026-02-03', amount: rub('10.00') }
    expect(receiptIdOf(p)).toBeLessThan(0)
    expect(receiptIdOf(p)).toBe(receiptIdOf({ ...p }))
    expect(receiptIdOf({ ...p, amount: rub('10.01') })).not.toBe(receiptIdOf(p))
    expect(receiptIdOf(payment(42, '2026-02-03', '1'))).toBe(42)
  })

  it('summaryDiffers reads a bill in full only when its list entry moved', () => {
    const s: BillSummary = { ...bill() }
    expect(summaryDiffers(invoice(), s)).toBe(false)
    expect(summaryDiffers(invoice(), { ...s, paid: rub('1.00') })).toBe(true)
    expect(summaryDiffers(invoice(), { ...s, status: 'paid' })).toBe(true)
    expect(summaryDiffers(invoice(), { ...s, deadline: '2026-02-12' })).toBe(true)
    expect(summaryDiffers(invoice({ billModifiedAt: null }), s)).toBe(true)
  })
})
