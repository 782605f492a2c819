/** ИНН: 10 digits for an organisation, 12 for a person (egrul.md §1.1, §1.4). */
import { digitsOf, normaliseDigits } from './normalise'
import { charCount, findBadChar, type InnKind, type Validated } from './problems'

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const
const W12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const
const W12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const

/** `(Σ d[i]·w[i] mod 11) mod 10` — a remainder of 10 gives check digit 0. */
const checkDigit = (d: readonly number[], w: readonly number[]): number =>
  (w.reduce((s, k, i) => s + k * (d[i] ?? 0), 0) % 11) % 10

/** 1-based position of the first check digit that fails, or 0 when the INN (10 or 12 digits) is consistent. */
export function innChecksumFailure(inn: string): number {
  const d = digitsOf(inn)
  if (d.length === 10) return checkDigit(d, W10) === d[9] ? 0 : 10
  if (checkDigit(d, W12A) !== d[10]) return 11
  return checkDigit(d, W12B) === d[11] ? 0 : 12
}

export type InnResult = Validated<{ kind: InnKind }>

export function validateInn(raw: string | null | undefined): InnResult {
  const value = normaliseDigits(raw)
  if (value === '') return { ok: false, problem: { code: 'empty', field: 'inn' } }
  const bad = findBadChar('inn', value)
  if (bad) return { ok: false, problem: bad }
  const length = charCount(value)
  if (length !== 10 && length !== 12) {
    const padded = `0${value}`
    const suggestion = (length === 9 || length === 11) && validateInn(padded).ok ? padded : undefined
    return {
      ok: false,
      problem: { code: 'wrong_length', field: 'inn', value, length, expected: [10, 12], ...(suggestion ? { suggestion } : {}) },
    }
  }
  if (/^0+$/.test(value)) return { ok: false, problem: { code: 'all_zeros', field: 'inn', value } }
  // egrul.md §1.4: no tax office code starts with «00»; checksum-valid but impossible.
  if (value.startsWith('00')) return { ok: false, problem: { code: 'invalid_region', field: 'inn', value } }
  const position = innChecksumFailure(value)
  if (position !== 0) return { ok: false, problem: { code: 'checksum', field: 'inn', value, position } }
  return { ok: true, value, kind: length === 10 ? 'legal_entity' : 'individual' }
}
