/** Invoices from deals: input snapshot and bill draft types, checks, exact mapping. Pure, no I/O. */
export * from './model'
export * from './problems'
export { readRow, readRows, rowGross, rowItemType, productsTotal, MAX_ITEM_NAME, type ParsedRow, type RowResult } from './rows'
export { readBuyer, type Buyer, type BuyerResult } from './buyer'
export { billVatMode, onTopReproducesRow, type VatModeResult } from './vat-mode'
export { checkDealForInvoice, BILL_CURRENCY, type CheckOptions, type InvoiceCheck } from './checks'
export { billDraftFromDeal, addDays, lineOf, DEFAULT_PAYMENT_TERM_DAYS, type BillDraftResult } from './mapper'
