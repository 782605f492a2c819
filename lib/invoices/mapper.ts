/**
 * Deal → MoeDelo bill draft, with exact sums. Runs `checkDealForInvoice` first: with any problem
 * nothing is produced. Every line reproduces Bitrix24's row sum (`PRICE × QUANTITY`, half-up to
 * the kopeck), so the bill's total equals the deal's products total — and so OPPORTUNITY — to the
 * kopeck. The VAT mode is chosen by `billVatMode` (lib/invoices/vat-mode.ts):
 * - «без НДС» (1) and «в т.ч.» (3): price = `PRICE`; VAT is taken out of the line sum;
 * - «сверху» (2): price = `PRICE_EXCLUSIVE` for taxed rows; VAT is added to the line sum.
 * Prices are already after the discount, so no `DiscountRate` is sent (see `BillItemDraft.price`).
 */
import { formatMoney, formatQuantity, type Kopecks } from '../domain/kopecks'
import { lineAmounts, totalAmounts, type VatMode, type VatSplit } from '../domain/vat'
import { readBuyer } from './buyer'
import { checkDealForInvoice, type CheckOptions } from './checks'
import { ndsTypeOf, type BillDraft, type BillItemDraft, type DealSnapshot, type InvoiceOptions, type NdsPositionType } from './model'
import type { InvoiceProblem } from './problems'
import { readRows, type ParsedRow } from './rows'
import { billVatMode } from './vat-mode'

export const DEFAULT_PAYMENT_TERM_DAYS = 5

export type BillDraftResult = { ok: true; draft: BillDraft } | { ok: false; problems: [InvoiceProblem, ...InvoiceProblem[]] }

const POSITION_TYPE: Record<VatMode, NdsPositionType> = { none: 1, on_top: 2, included: 3 }

/** `'2026-01-30'` + 5 days → `'2026-02-04'` (calendar days, no time zones involved). */
export function addDays(isoDate: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (!m || !Number.isSafeInteger(days)) throw new RangeError(`not a date: ${isoDate}`)
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days))
  return d.toISOString().slice(0, 10)
}

/** One line's unit price and sums in the bill's mode. */
export function lineOf(row: ParsedRow, mode: VatMode): { price: Kopecks; split: VatSplit } {
  if (mode === 'on_top' && row.rate !== 'none' && row.priceExclusive !== null) {
    return { price: row.priceExclusive, split: lineAmounts({ price: row.priceExclusive, quantity: row.quantity, rate: row.rate }, 'on_top') }
  }
  // PRICE is with tax: «в т.ч.», or a row without VAT in any mode (its net and gross are the same).
  const split = lineAmounts({ price: row.price, quantity: row.quantity, rate: row.rate }, mode === 'none' ? 'none' : 'included')
  return { price: row.price, split }
}

function itemOf(row: ParsedRow, mode: VatMode, { price, split }: { price: Kopecks; split: VatSplit }): BillItemDraft {
  return {
    row: row.row,
    name: row.name,
    count: formatQuantity(row.quantity),
    unit: row.unit,
    type: row.type,
    price: formatMoney(price),
    ndsType: mode === 'none' ? -1 : ndsTypeOf(row.rate),
    sumWithoutNds: formatMoney(split.net),
    ndsSum: formatMoney(split.vat),
    sum: formatMoney(split.gross),
    productId: row.productId,
  }
}

/** The bill for a deal, or every problem that stops it (then nothing is made). */
export function billDraftFromDeal(snapshot: DealSnapshot, opts: InvoiceOptions): BillDraftResult {
  const check = checkDealForInvoice(snapshot, opts satisfies CheckOptions)
  if (!check.ok) return check
  const buyer = readBuyer(snapshot)
  const { rows, problems } = readRows(snapshot, opts)
  const mode = billVatMode(rows, opts)
  // The check above has already seen all of these; this keeps the types honest.
  if (!buyer.ok || problems.length > 0 || !mode.ok) throw new Error('invoice check passed but the deal cannot be read')

  const lines = rows.map((row) => ({ row, ...lineOf(row, mode.mode) }))
  const totals = totalAmounts(lines.map((l) => l.split))
  const term = opts.paymentTermDays ?? DEFAULT_PAYMENT_TERM_DAYS
  return {
    ok: true,
    draft: {
      dealId: snapshot.id,
      kontragent: buyer.value,
      docDate: addDays(opts.today, 0),
      deadline: addDays(opts.today, term),
      ndsPositionType: POSITION_TYPE[mode.mode],
      items: lines.map((l) => itemOf(l.row, mode.mode, l)),
      totals: { sumWithoutNds: formatMoney(totals.net), ndsSum: formatMoney(totals.vat), sum: formatMoney(totals.gross) },
      conversions: mode.conversions,
    },
  }
}
