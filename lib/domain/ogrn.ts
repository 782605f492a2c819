/**
 * ОГРН (13 digits, organisations) and ОГРНИП (15 digits, ИП) — egrul.md §1.3.
 * Check: `(first n−1 digits as a number) mod 11` (ОГРН) or `mod 13` (ОГРНИП), then `mod 10`.
 * The first digit tells a registration number from other registry record numbers (ГРН):
 * 1 or 5 for ОГРН, 3 for ОГРНИП.
 */
import { normaliseDigits } from './normalise'
import { charCount, findBadChar, type Validated } from './problems'

export type OgrnResult = Validated

interface Rule {
  field: 'ogrn' | 'ogrnip'
  length: number
  modulus: bigint
  firstDigits: readonly string[]
}

const OGRN: Rule = { field: 'ogrn', length: 13, modulus: 11n, firstDigits: ['1', '5'] }
const OGRNIP: Rule = { field: 'ogrnip', length: 15, modulus: 13n, firstDigits: ['3'] }

/** Whether the last digit of an all-digit string of the right length matches. */
export function registrationChecksumOk(value: string, modulus: bigint): boolean {
  const body = BigInt(value.slice(0, -1))
  return String((body % modulus) % 10n) === value.slice(-1)
}

function validate(rule: Rule, raw: string | null | undefined): OgrnResult {
  const { field } = rule
  const value = normaliseDigits(raw)
  if (value === '') return { ok: false, problem: { code: 'empty', field } }
  const bad = findBadChar(field, value)
  if (bad) return { ok: false, problem: bad }
  const length = charCount(value)
  if (length !== rule.length) return { ok: false, problem: { code: 'wrong_length', field, value, length, expected: [rule.length] } }
  if (/^0+$/.test(value)) return { ok: false, problem: { code: 'all_zeros', field, value } }
  if (!rule.firstDigits.includes(value.charAt(0))) {
    return { ok: false, problem: { code: 'wrong_first_digit', field, value, expected: rule.firstDigits } }
  }
  if (!registrationChecksumOk(value, rule.modulus)) return { ok: false, problem: { code: 'checksum', field, value, position: length } }
  return { ok: true, value }
}

export const validateOgrn = (raw: string | null | undefined): OgrnResult => validate(OGRN, raw)
export const validateOgrnip = (raw: string | null | undefined): OgrnResult => validate(OGRNIP, raw)
