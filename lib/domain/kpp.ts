/**
 * КПП: 9 characters `NNNN PP XXX` — tax office code (digits), reason code (digits or capital Latin
 * letters), serial (digits). There is no check digit (egrul.md §1.2). The first four characters are
 * usually the tax office of the INN, but not always (branches, relocations, largest taxpayers), so
 * that is never checked here.
 */
import { normaliseDigits } from './normalise'
import { charCount, findBadChar, type Validated } from './problems'

export type KppResult = Validated

const allowedAt = (i: number) => (i === 4 || i === 5 ? 'digit_or_latin_capital' : 'digit') as 'digit' | 'digit_or_latin_capital'

export function validateKpp(raw: string | null | undefined): KppResult {
  const value = normaliseDigits(raw)
  if (value === '') return { ok: false, problem: { code: 'empty', field: 'kpp' } }
  const length = charCount(value)
  if (length !== 9) return { ok: false, problem: { code: 'wrong_length', field: 'kpp', value, length, expected: [9] } }
  const bad = findBadChar('kpp', value, allowedAt)
  if (bad) return { ok: false, problem: bad }
  if (/^0+$/.test(value)) return { ok: false, problem: { code: 'all_zeros', field: 'kpp', value } }
  return { ok: true, value }
}
