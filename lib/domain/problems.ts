import { lookalikeDigit } from './normalise'

/**
 * What can be wrong with company requisites (ИНН, КПП, ОГРН, ОГРНИП), as data.
 * Every variant carries what a message needs; the texts themselves live in `messages.ts`.
 * `value` is always the normalised input (separators removed, anything else kept).
 */

export type RequisiteField = 'inn' | 'kpp' | 'ogrn' | 'ogrnip'

/** Who the requisites belong to: organisation, ИП, or a private person (Bitrix24 presets «Организация», «ИП», «Физ. лицо»). */
export type RequisitesKind = 'legal_entity' | 'sole_trader' | 'individual'

/** What a valid INN says by its length: 10 digits — organisation, 12 digits — a person (ИП or not). */
export type InnKind = 'legal_entity' | 'individual'

export type RequisiteProblem =
  /** Nothing left after normalisation. */
  | { code: 'empty'; field: RequisiteField }
  /** A character that is not allowed at `position` (1-based). `lookalike` is the digit it probably stands for. */
  | {
      code: 'non_digit'
      field: RequisiteField
      value: string
      char: string
      position: number
      /** What is allowed at that position: КПП accepts capital Latin letters in positions 5–6. */
      allowed: 'digit' | 'digit_or_latin_capital'
      lookalike?: string
    }
  /**
   * Wrong number of characters. `expected` lists the allowed lengths (INN: [10, 12]).
   * `suggestion` — for a 9/11-digit INN that becomes valid with a leading zero (never applied silently).
   */
  | { code: 'wrong_length'; field: RequisiteField; value: string; length: number; expected: readonly number[]; suggestion?: string }
  /** Only zeros: passes the checksum, never a real number. */
  | { code: 'all_zeros'; field: RequisiteField; value: string }
  /** INN starting with «00»: no tax office has such a code. */
  | { code: 'invalid_region'; field: 'inn'; value: string }
  /** A check digit does not match; `position` (1-based) is the first check digit that fails. */
  | { code: 'checksum'; field: 'inn' | 'ogrn' | 'ogrnip'; value: string; position: number }
  /** ОГРН must start with 1 or 5, ОГРНИП with 3 (other first digits are numbers of other registry records). */
  | { code: 'wrong_first_digit'; field: 'ogrn' | 'ogrnip'; value: string; expected: readonly string[] }
  // ---- cross-field checks (validateRequisites) ----
  /** An organisation without КПП. */
  | { code: 'kpp_missing'; field: 'kpp'; inn: string | null }
  /** КПП filled in for an ИП or a private person. */
  | { code: 'kpp_not_applicable'; field: 'kpp'; value: string; owner: 'sole_trader' | 'individual' }
  /** ОГРН (13 digits) filled in for an ИП / person: they have ОГРНИП (15 digits). */
  | { code: 'ogrn_not_applicable'; field: 'ogrn'; value: string; owner: 'sole_trader' | 'individual' }
  /** ОГРНИП filled in for an organisation: it has ОГРН (13 digits). */
  | { code: 'ogrnip_not_applicable'; field: 'ogrnip'; value: string }
  /** The INN length contradicts the declared kind (e.g. preset «Организация» with a 12-digit INN). */
  | { code: 'kind_mismatch'; field: 'inn'; value: string; innKind: InnKind; declared: RequisitesKind }

export type RequisiteProblemCode = RequisiteProblem['code']

export type Validated<Extra extends object = object> =
  | ({ ok: true; value: string } & Extra)
  | { ok: false; problem: RequisiteProblem }

/** First character that is not allowed, or `undefined`. */
export function findBadChar(
  field: RequisiteField,
  value: string,
  allowedAt: (index: number) => 'digit' | 'digit_or_latin_capital' = () => 'digit',
): RequisiteProblem | undefined {
  const chars = Array.from(value)
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string
    const allowed = allowedAt(i)
    const fine = allowed === 'digit' ? /^\d$/.test(char) : /^[\dA-Z]$/.test(char)
    if (fine) continue
    const hint = lookalikeDigit(char)
    return { code: 'non_digit', field, value, char, position: i + 1, allowed, ...(hint === undefined ? {} : { lookalike: hint }) }
  }
  return undefined
}

/** Length in characters (code points), as a person would count them. */
export const charCount = (s: string): number => Array.from(s).length
