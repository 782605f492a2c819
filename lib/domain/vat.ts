/**
 * VAT (НДС) on kopeck amounts. Rates are percentages as MoeDelo's item `NdsType` has them
 * (moedelo.md §4.3, §10.1): 0, 5, 7, 10, 20, 22, or `'none'` («Без НДС», `NdsType = -1`).
 * 18 % is historical and deliberately not accepted for new documents.
 *
 * Document modes follow MoeDelo's `NdsPositionType`: `'none'` (1), `'on_top'` (2, «сверху»),
 * `'included'` (3, «в т.ч.»). From Bitrix24 product rows (bitrix24.md §4.2): with VAT included
 * use `PRICE` (with tax) and `vatIncluded`; with VAT on top use `PRICE_EXCLUSIVE` and `vatOnTop`.
 * VAT is computed on the line sum (price × quantity), rounded half-up to a kopeck.
 */
import { divRoundHalfUp } from './decimal'
import { multiply, sumMoney, type Kopecks, type MoneyResult, type Quantity } from './kopecks'

export const VAT_PERCENTS = [0, 5, 7, 10, 20, 22] as const
export type VatPercent = (typeof VAT_PERCENTS)[number]
export type VatRate = VatPercent | 'none'
export const VAT_RATES: readonly VatRate[] = [...VAT_PERCENTS, 'none']

export type VatMode = 'none' | 'on_top' | 'included'

/** One amount split into net (без НДС), VAT and gross (с НДС): `net + vat === gross` always. */
export interface VatSplit {
  net: Kopecks
  vat: Kopecks
  gross: Kopecks
  rate: VatRate
}

export const isVatRate = (value: unknown): value is VatRate => (VAT_RATES as readonly unknown[]).includes(value)

/**
 * Reads a rate as Bitrix24 gives it: a percentage (`taxRate: 22`, `TAX_RATE: "20"`), or with
 * `unit: 'fraction'` the catalog's `VAT_RATE: 0.22`. `null`, `undefined` and `''` mean «без НДС».
 */
export function tryParseVatRate(value: number | string | null | undefined, unit: 'percent' | 'fraction' = 'percent'): MoneyResult<VatRate> {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: 'none' }
  const n = typeof value === 'number' ? value : Number(value.trim().replace(',', '.').replace(/%$/, ''))
  const percent = unit === 'fraction' ? Math.round(n * 10_000) / 100 : n
  if (isVatRate(percent)) return { ok: true, value: percent }
  return { ok: false, problem: { code: 'unsupported_vat_rate', value: String(value) } }
}

const vatOf = (base: Kopecks, percent: bigint, divisor: bigint): Kopecks => divRoundHalfUp(base * percent, divisor) as Kopecks

/** `amount` already contains VAT: vat = amount · r / (100 + r), rounded; net = amount − vat. */
export function vatIncluded(amount: Kopecks, rate: VatRate): VatSplit {
  if (rate === 'none' || rate === 0) return { net: amount, vat: 0n as Kopecks, gross: amount, rate }
  const r = BigInt(rate)
  const vat = vatOf(amount, r, 100n + r)
  return { net: (amount - vat) as Kopecks, vat, gross: amount, rate }
}

/** VAT is added to `amount`: vat = amount · r / 100, rounded; gross = amount + vat. */
export function vatOnTop(amount: Kopecks, rate: VatRate): VatSplit {
  if (rate === 'none' || rate === 0) return { net: amount, vat: 0n as Kopecks, gross: amount, rate }
  const vat = vatOf(amount, BigInt(rate), 100n)
  return { net: amount, vat, gross: (amount + vat) as Kopecks, rate }
}

/** Splits a line sum the way the document mode says; in mode `'none'` there is no VAT whatever the rate. */
export function splitVat(amount: Kopecks, rate: VatRate, mode: VatMode): VatSplit {
  if (mode === 'none') return { net: amount, vat: 0n as Kopecks, gross: amount, rate: 'none' }
  return mode === 'included' ? vatIncluded(amount, rate) : vatOnTop(amount, rate)
}

export interface LineInput {
  /** Unit price: with VAT for `'included'`, without VAT for `'on_top'`. */
  price: Kopecks
  quantity: Quantity
  rate: VatRate
}

/** An invoice line: sum = price × quantity (rounded to a kopeck), then VAT on that sum. */
export const lineAmounts = (line: LineInput, mode: VatMode): VatSplit => splitVat(multiply(line.price, line.quantity), line.rate, mode)

/** Document totals: the sums of the lines' own (already rounded) figures, so totals match the lines. */
export function totalAmounts(lines: readonly Pick<VatSplit, 'net' | 'vat' | 'gross'>[]): { net: Kopecks; vat: Kopecks; gross: Kopecks } {
  return {
    net: sumMoney(lines.map((l) => l.net)),
    vat: sumMoney(lines.map((l) => l.vat)),
    gross: sumMoney(lines.map((l) => l.gross)),
  }
}

/**
 * The one mode a document can have (MoeDelo keeps it per document, not per line):
 * all lines without VAT → `'none'`; otherwise the lines' shared `included` flag; a mix of
 * included and on-top lines → a `mixed_vat_modes` problem the user has to resolve.
 */
export function documentVatMode(lines: readonly { rate: VatRate; included: boolean }[]): MoneyResult<VatMode> {
  const taxed = lines.filter((l) => l.rate !== 'none')
  if (taxed.length === 0) return { ok: true, value: 'none' }
  const included = new Set(taxed.map((l) => l.included))
  if (included.size > 1) return { ok: false, problem: { code: 'mixed_vat_modes' } }
  return { ok: true, value: taxed[0]?.included ? 'included' : 'on_top' }
}
