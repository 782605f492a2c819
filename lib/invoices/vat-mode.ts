/**
 * The bill's one VAT mode (MoeDelo keeps `NdsPositionType` per document, Bitrix24 keeps
 * `TAX_INCLUDED` per row). Rules, in order:
 * 1. every row «Без НДС» → no VAT (1);
 * 2. taxed rows disagree on «НДС включён» → with `mixedVatModes: 'convert'` (default) the bill is
 *    «в т.ч.» (3) built from each row's `PRICE`, which Bitrix24 always keeps with tax, so every sum
 *    stays the deal's; with `'problem'` the manager has to make the rows agree;
 * 3. all taxed rows «включён» → «в т.ч.» (3);
 * 4. all taxed rows «сверху» → «сверху» (2) when, for every row, `PRICE_EXCLUSIVE × QUANTITY` plus
 *    VAT on it gives exactly Bitrix24's row sum `PRICE × QUANTITY`. Bitrix24 rounds the unit `PRICE`
 *    to the kopeck, so with a fractional net price and a quantity above one the two can differ by
 *    kopecks; then the bill is «в т.ч.» (3) from `PRICE`, with the same total and VAT computed on it.
 */
import { documentVatMode, vatOnTop, type VatMode } from '../domain/vat'
import { multiply } from '../domain/kopecks'
import type { BillConversion, InvoiceOptions } from './model'
import { rowGross, type ParsedRow } from './rows'

export type VatModeResult = { ok: true; mode: VatMode; conversions: BillConversion[] } | { ok: false; problem: { code: 'mixed_vat_modes' } }

/** «Сверху» from `PRICE_EXCLUSIVE` reproduces this row's Bitrix24 sum to the kopeck. */
export function onTopReproducesRow(row: ParsedRow): boolean {
  if (row.rate === 'none') return true
  if (row.priceExclusive === null) return false
  return vatOnTop(multiply(row.priceExclusive, row.quantity), row.rate).gross === rowGross(row)
}

export function billVatMode(rows: readonly ParsedRow[], opts: Pick<InvoiceOptions, 'mixedVatModes'> = {}): VatModeResult {
  const declared = documentVatMode(rows)
  if (!declared.ok) {
    if (opts.mixedVatModes === 'problem') return { ok: false, problem: { code: 'mixed_vat_modes' } }
    return { ok: true, mode: 'included', conversions: ['mixed_vat_modes_as_included'] }
  }
  if (declared.value === 'on_top' && !rows.every(onTopReproducesRow)) {
    return { ok: true, mode: 'included', conversions: ['on_top_rounding_as_included'] }
  }
  return { ok: true, mode: declared.value, conversions: [] }
}
