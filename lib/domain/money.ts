/**
 * Exact money arithmetic for invoices: amounts in kopecks (bigint), quantities in thousandths,
 * rounding half-up (away from zero) to a kopeck, VAT included or on top. One import for the flows.
 */
export * from './kopecks'
export * from './vat'
export { divRoundHalfUp, numberToDecimalText, type Rounding } from './decimal'
