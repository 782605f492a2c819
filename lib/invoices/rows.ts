/**
 * Reads Bitrix24 product rows into exact values, and Bitrix24's own row arithmetic
 * (bitrix24.md §4.2): `PRICE` is the final unit price (after the discount, with tax), kept to the
 * kopeck; a row's sum is `PRICE × QUANTITY` rounded half-up to the kopeck; the deal's OPPORTUNITY
 * (when not manual) is the sum of the rows' sums. `PRICE_EXCLUSIVE` is the unit price after the
 * discount and before tax. Discount fields are informational: both prices already include it.
 */
import { multiply, sumMoney, tryParseMoney, tryParseQuantity, type Kopecks, type Quantity } from '../domain/kopecks'
import { tryParseVatRate, type VatRate } from '../domain/vat'
import { CATALOG_TYPE_SERVICE, type BillItemType, type BitrixProductRow, type DealSnapshot, type InvoiceOptions } from './model'
import type { InvoiceProblem } from './problems'

/** MoeDelo item `Name`: required, up to 1000 characters (moedelo.md §4.3). */
export const MAX_ITEM_NAME = 1000

export interface ParsedRow {
  /** 1-based position on the «Товары» tab. */
  row: number
  name: string
  productId: number
  /** `PRICE`: unit price after the discount, with tax. */
  price: Kopecks
  /** `PRICE_EXCLUSIVE`, when given: unit price after the discount, before tax. */
  priceExclusive: Kopecks | null
  quantity: Quantity
  rate: VatRate
  /** `TAX_INCLUDED === 'Y'`. */
  included: boolean
  type: BillItemType
  unit: string
}

export type RowResult = { ok: true; value: ParsedRow } | { ok: false; problems: InvoiceProblem[] }

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')
const int = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN
  return Number.isSafeInteger(n) ? n : null
}

/** Goods or service: the catalog product's type (7 = service), else the row's TYPE; free rows by option. */
export function rowItemType(row: BitrixProductRow, snapshot: Pick<DealSnapshot, 'catalogProductTypes'>, opts: Pick<InvoiceOptions, 'freeRowType'>): BillItemType {
  const productId = int(row.PRODUCT_ID) ?? 0
  if (productId === 0) return opts.freeRowType === 'goods' ? 1 : 2
  const catalogType = snapshot.catalogProductTypes?.[productId] ?? int(row.TYPE)
  return catalogType === CATALOG_TYPE_SERVICE ? 2 : 1
}

/** One row read exactly, or every problem it has. */
export function readRow(raw: BitrixProductRow, index: number, snapshot: Pick<DealSnapshot, 'catalogProductTypes'>, opts: Pick<InvoiceOptions, 'missingVatRate' | 'freeRowType'>): RowResult {
  const row = index + 1
  const name = text(raw.PRODUCT_NAME)
  const problems: InvoiceProblem[] = []
  if (name === '') problems.push({ code: 'row_name_missing', row })
  else if (Array.from(name).length > MAX_ITEM_NAME) problems.push({ code: 'row_name_too_long', row, name, length: Array.from(name).length })

  // PRICE is kept by Bitrix24 to the kopeck; a longer decimal is rounded as Bitrix24 does (GetPrice: round(…, 2)).
  const price = tryParseMoney(raw.PRICE, { subject: 'price', rounding: 'half_up' })
  if (!price.ok) problems.push({ code: 'row_value', row, name, problem: price.problem })
  else if (price.value <= 0n) problems.push({ code: 'row_price_not_positive', row, name, value: text(raw.PRICE) || '0' })

  const quantity = tryParseQuantity(raw.QUANTITY)
  if (!quantity.ok) problems.push({ code: 'row_value', row, name, problem: quantity.problem })
  else if (quantity.value <= 0n) problems.push({ code: 'row_quantity_not_positive', row, name, value: text(raw.QUANTITY) || '0' })

  let rate: VatRate = 'none'
  if (isBlank(raw.TAX_RATE)) {
    if (opts.missingVatRate !== 'without_vat') problems.push({ code: 'row_vat_missing', row, name })
  } else {
    const r = tryParseVatRate(raw.TAX_RATE ?? null)
    if (r.ok) rate = r.value
    else problems.push({ code: 'row_value', row, name, problem: r.problem })
  }

  const exclusive = isBlank(raw.PRICE_EXCLUSIVE) ? null : tryParseMoney(raw.PRICE_EXCLUSIVE, { subject: 'price', rounding: 'half_up' })

  if (problems.length > 0 || !price.ok || !quantity.ok) return { ok: false, problems }
  const type = rowItemType(raw, snapshot, opts)
  return {
    ok: true,
    value: {
      row,
      name,
      productId: int(raw.PRODUCT_ID) ?? 0,
      price: price.value,
      priceExclusive: exclusive?.ok ? exclusive.value : null,
      quantity: quantity.value,
      rate,
      included: text(raw.TAX_INCLUDED).toUpperCase() === 'Y',
      type,
      unit: text(raw.MEASURE_NAME) || (type === 2 ? 'усл' : 'шт'),
    },
  }
}

/** All rows, or all problems of all rows. */
export function readRows(snapshot: DealSnapshot, opts: Pick<InvoiceOptions, 'missingVatRate' | 'freeRowType'>): { rows: ParsedRow[]; problems: InvoiceProblem[] } {
  const rows: ParsedRow[] = []
  const problems: InvoiceProblem[] = []
  snapshot.productRows.forEach((raw, i) => {
    const r = readRow(raw, i, snapshot, opts)
    if (r.ok) rows.push(r.value)
    else problems.push(...r.problems)
  })
  return { rows, problems }
}

/** A row's sum as Bitrix24 counts it: `PRICE × QUANTITY`, half-up to the kopeck. */
export const rowGross = (row: Pick<ParsedRow, 'price' | 'quantity'>): Kopecks => multiply(row.price, row.quantity)

/** The products' total: what OPPORTUNITY is when the deal sum is not set by hand. */
export const productsTotal = (rows: readonly Pick<ParsedRow, 'price' | 'quantity'>[]): Kopecks => sumMoney(rows.map(rowGross))
