/**
 * Money in kopecks (bigint) and quantities in thousandths (bigint). Never binary floats.
 * Both are branded so a quantity cannot be passed where an amount is expected.
 */
import { AppError } from '../errors'
import { divRoundHalfUp, formatScaled, parseScaled, type DecimalProblem, type Rounding } from './decimal'
import { moneyProblemMessage } from './messages'

declare const kopecksBrand: unique symbol
declare const quantityBrand: unique symbol

/** An amount of roubles in kopecks: `123456n` is 1 234,56 ₽. */
export type Kopecks = bigint & { readonly [kopecksBrand]: true }
/** A quantity in thousandths of a unit (3 decimals, like 1С and MoeDelo): `1500n` is 1,5. */
export type Quantity = bigint & { readonly [quantityBrand]: true }

export const MONEY_DECIMALS = 2
export const QUANTITY_DECIMALS = 3
const QUANTITY_SCALE = 1000n

/** What a money-like value was, for messages. */
export type MoneySubject = 'amount' | 'price' | 'quantity'

export type MoneyProblem =
  | (DecimalProblem & { subject: MoneySubject })
  | { code: 'unsupported_vat_rate'; value: string }
  | { code: 'mixed_vat_modes' }

export type MoneyResult<T> = { ok: true; value: T } | { ok: false; problem: MoneyProblem }

export interface ParseOptions {
  /** `'exact'` (default): more decimals than allowed is a problem. `'half_up'`: round them. */
  rounding?: Rounding
  /** Used in the problem (and so in the message). Default `'amount'`. */
  subject?: MoneySubject
}

/** Thrown by the throwing parsers; `userMessage` is the plain-Russian text from messages.ts. */
export class MoneyError extends AppError {
  readonly problem: MoneyProblem
  constructor(problem: MoneyProblem) {
    super(`invalid money value: ${JSON.stringify(problem)}`, { userMessage: moneyProblemMessage(problem), details: { problem } })
    this.problem = problem
  }
}

function unwrap<T>(r: MoneyResult<T>): T {
  if (!r.ok) throw new MoneyError(r.problem)
  return r.value
}

// ---------- kopecks ----------

export const ZERO = 0n as Kopecks

/** Wraps an integer number of kopecks. */
export function kopecks(value: bigint | number): Kopecks {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`not a whole number of kopecks: ${value}`)
  return BigInt(value) as Kopecks
}

/** `'1234.56'`, `'1 234,56'`, `1234.56` (a JSON number) → `123456n`. */
export function tryParseMoney(raw: string | number | null | undefined, options: ParseOptions = {}): MoneyResult<Kopecks> {
  const r = parseScaled(raw, MONEY_DECIMALS, options.rounding ?? 'exact')
  return r.ok ? { ok: true, value: r.value as Kopecks } : { ok: false, problem: { ...r.problem, subject: options.subject ?? 'amount' } }
}

/** Like `tryParseMoney`, but throws `MoneyError`. */
export const parseMoney = (raw: string | number | null | undefined, options: ParseOptions = {}): Kopecks =>
  unwrap(tryParseMoney(raw, options))

/** Canonical text for APIs and storage: `'1234.56'`, `'-0.05'`, `'10.00'`. */
export const formatMoney = (value: Kopecks): string => formatScaled(value, MONEY_DECIMALS)

/** For people: `'1 234,56 ₽'` (non-breaking spaces), or without the sign. */
export function formatMoneyRu(value: Kopecks, options: { currency?: boolean } = {}): string {
  const [int = '0', frac = '00'] = formatMoney(value).split('.')
  const negative = int.startsWith('-')
  const digits = negative ? int.slice(1) : int
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00A0')
  return `${negative ? '−' : ''}${grouped},${frac}${options.currency === false ? '' : '\u00A0₽'}`
}

/** Doubles keep any decimal of up to 15 significant digits exactly (prints back the same text). */
const EXACT_IN_DOUBLE = 10n ** 15n

/**
 * A JS number for a JSON body (MoeDelo `decimal` fields). Exact: the number prints back as the
 * same decimal text. Throws from 10^15 kopecks (10 trillion roubles) on, where that stops being true.
 */
export function moneyToNumber(value: Kopecks): number {
  if (value >= EXACT_IN_DOUBLE || value <= -EXACT_IN_DOUBLE) throw new RangeError('amount too large for an exact JSON number')
  return Number(formatMoney(value))
}

export const addMoney = (...values: Kopecks[]): Kopecks => sumMoney(values)
export const subtractMoney = (a: Kopecks, b: Kopecks): Kopecks => (a - b) as Kopecks

export function sumMoney(values: Iterable<Kopecks>): Kopecks {
  let total = 0n
  for (const v of values) total += v
  return total as Kopecks
}

/** `amount · percent / 100`, rounded half-up to a kopeck (discounts, surcharges). */
export function percentOf(amount: Kopecks, percent: number | string): Kopecks {
  const p = parseScaled(percent, 4, 'exact')
  if (!p.ok) throw new RangeError(`not a percentage: ${String(percent)}`)
  return divRoundHalfUp(amount * p.value, 100n * 10_000n) as Kopecks
}

// ---------- quantities ----------

export function tryParseQuantity(raw: string | number | null | undefined, options: Pick<ParseOptions, 'rounding'> = {}): MoneyResult<Quantity> {
  return mapProblem(parseScaled(raw, QUANTITY_DECIMALS, options.rounding ?? 'exact'), 'quantity') as MoneyResult<Quantity>
}

export const parseQuantity = (raw: string | number | null | undefined, options: Pick<ParseOptions, 'rounding'> = {}): Quantity =>
  unwrap(tryParseQuantity(raw, options))

/** Wraps a whole number of units: `quantity(3)` is 3 pieces (3000 thousandths). */
export function quantity(units: bigint | number): Quantity {
  if (typeof units === 'number' && !Number.isSafeInteger(units)) throw new RangeError(`not a whole number of units: ${units}; use parseQuantity`)
  return (BigInt(units) * QUANTITY_SCALE) as Quantity
}

/** `'1.5'`, `'3'`, `'0.125'` — no trailing zeros. */
export const formatQuantity = (value: Quantity): string => formatScaled(value, QUANTITY_DECIMALS, 0)

export function quantityToNumber(value: Quantity): number {
  if (value >= EXACT_IN_DOUBLE || value <= -EXACT_IN_DOUBLE) throw new RangeError('quantity too large for an exact JSON number')
  return Number(formatQuantity(value))
}

/** Line sum: `price × quantity`, rounded half-up to a kopeck (e.g. 33,33 × 0,125 = 4,16625 → 4,17). */
export function multiply(price: Kopecks, qty: Quantity): Kopecks {
  return divRoundHalfUp(price * qty, QUANTITY_SCALE) as Kopecks
}

function mapProblem(r: ReturnType<typeof parseScaled>, subject: MoneySubject): MoneyResult<bigint> {
  return r.ok ? r : { ok: false, problem: { ...r.problem, subject } }
}
