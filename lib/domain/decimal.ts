/**
 * Fixed-point decimals as scaled bigints (`'1234.56'` at scale 2 → `123456n`). No binary floats
 * anywhere: numbers coming from JSON are turned into their shortest decimal text first
 * (`String(81818.18)` is `'81818.18'`), which is exactly what the sender wrote.
 */

export type DecimalProblem =
  | { code: 'empty' }
  | { code: 'not_a_number'; value: string }
  | { code: 'too_precise'; value: string; maxDecimals: number }

export type DecimalResult = { ok: true; value: bigint } | { ok: false; problem: DecimalProblem }

export type Rounding = 'exact' | 'half_up'

const GROUPING = /[\s\u00A0\u2007\u202F']/gu
/** sign, integer part, fraction; either part may be missing but not both (`5`, `5.`, `.5`). */
const PLAIN = /^([+-]?)(?:(\d+)(?:[.,](\d*))?|[.,](\d+))$/

/** The decimal text of a JS number, without exponent notation (`1e-7` → `'0.0000001'`). */
export function numberToDecimalText(n: number): string | null {
  if (!Number.isFinite(n)) return null
  const s = String(n)
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s)
  if (!m) return s
  const [, sign = '', int = '', frac = '', expText = '0'] = m
  const exp = Number(expText)
  const digits = int + frac
  const point = int.length + exp
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

/**
 * Division of integers rounded half away from zero («до копейки, 0,5 — вверх»; −0,5 → −1),
 * so that rounding is symmetric for refunds and corrections. `d` must be positive.
 */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive')
  const negative = n < 0n
  const a = negative ? -n : n
  const q = (a * 2n + d) / (d * 2n)
  return negative ? -q : q
}

/**
 * Parses `raw` into an integer scaled by 10^scale. Accepts `1234.56`, `1234,56`, `1 234,56`, `-5`,
 * `.5`, JS numbers; rejects exponent strings, letters, several separators.
 * With `rounding: 'exact'` more than `scale` decimals is a problem; with `'half_up'` they are rounded.
 */
export function parseScaled(raw: string | number | null | undefined, scale: number, rounding: Rounding = 'exact'): DecimalResult {
  if (raw === null || raw === undefined) return { ok: false, problem: { code: 'empty' } }
  const text = typeof raw === 'number' ? numberToDecimalText(raw) : raw
  if (text === null) return { ok: false, problem: { code: 'not_a_number', value: String(raw) } }
  const compact = text.replace(GROUPING, '').replace(/\u2212/g, '-')
  if (compact === '') return { ok: false, problem: { code: 'empty' } }
  const m = PLAIN.exec(compact)
  if (!m) return { ok: false, problem: { code: 'not_a_number', value: text.trim() } }
  const sign = m[1] === '-' ? -1n : 1n
  const int = m[2] ?? '0'
  const frac = m[3] ?? m[4] ?? ''
  const scaleFactor = 10n ** BigInt(scale)
  const significant = frac.replace(/0+$/, '')
  if (significant.length <= scale) {
    const units = BigInt(int) * scaleFactor + BigInt(significant.padEnd(scale, '0') || '0')
    return { ok: true, value: sign * units }
  }
  if (rounding === 'exact') return { ok: false, problem: { code: 'too_precise', value: text.trim(), maxDecimals: scale } }
  const all = BigInt(int + significant)
  const units = divRoundHalfUp(all, 10n ** BigInt(significant.length - scale))
  return { ok: true, value: sign * units }
}

/** `123456n` at scale 2 → `'1234.56'`; trailing zeros kept to `minDecimals` (default: all `scale` digits). */
export function formatScaled(value: bigint, scale: number, minDecimals = scale): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const factor = 10n ** BigInt(scale)
  const int = (abs / factor).toString()
  let frac = scale === 0 ? '' : (abs % factor).toString().padStart(scale, '0')
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1)
  return `${negative ? '-' : ''}${int}${frac === '' ? '' : `.${frac}`}`
}
