/**
 * Company requisites checked together: each number on its own, then the rules that tie them
 * (egrul.md §1, §5.2–5.3):
 * - an organisation (10-digit ИНН) needs a КПП and has an ОГРН (13 digits), never an ОГРНИП;
 * - an ИП or a private person (12-digit ИНН) has no КПП and no ОГРН; an ИП has an ОГРНИП (15 digits);
 * - a declared kind (the Bitrix24 preset) must agree with the ИНН length.
 * ОГРН/ОГРНИП are optional; a КПП whose first four digits differ from the ИНН's is allowed (branches,
 * relocations). All problems are returned at once, in field order.
 */
import { validateInn } from './inn'
import { validateKpp } from './kpp'
import { normaliseDigits } from './normalise'
import { validateOgrn, validateOgrnip } from './ogrn'
import type { InnKind, RequisiteProblem, RequisitesKind } from './problems'

export { normaliseDigits } from './normalise'
export { validateInn, type InnResult } from './inn'
export { validateKpp, type KppResult } from './kpp'
export { validateOgrn, validateOgrnip, type OgrnResult } from './ogrn'
export type { InnKind, RequisiteField, RequisiteProblem, RequisiteProblemCode, RequisitesKind } from './problems'

export interface RequisitesInput {
  inn?: string | null
  kpp?: string | null
  ogrn?: string | null
  ogrnip?: string | null
  /** From the requisite preset when known; otherwise inferred from the ИНН length (12 digits → ИП). */
  kind?: RequisitesKind | null
}

export interface ValidRequisites {
  inn: string
  kind: RequisitesKind
  kpp: string | null
  ogrn: string | null
  ogrnip: string | null
}

export type RequisitesResult = { ok: true; value: ValidRequisites } | { ok: false; problems: [RequisiteProblem, ...RequisiteProblem[]] }

const present = (raw: string | null | undefined): string | null => {
  const v = normaliseDigits(raw)
  return v === '' ? null : v
}

/** Kind told by the ИНН length alone (even when its checksum is wrong). */
function innKindByLength(inn: string | null): InnKind | null {
  if (inn === null || !/^\d+$/.test(inn)) return null
  return inn.length === 10 ? 'legal_entity' : inn.length === 12 ? 'individual' : null
}

export function validateRequisites(input: RequisitesInput): RequisitesResult {
  const problems: RequisiteProblem[] = []
  const inn = validateInn(input.inn)
  if (!inn.ok) problems.push(inn.problem)

  const innValue = present(input.inn)
  const kpp = present(input.kpp)
  const ogrn = present(input.ogrn)
  const ogrnip = present(input.ogrnip)

  const innKind = innKindByLength(innValue)
  const declared = input.kind ?? null
  let kind: RequisitesKind | null = declared ?? (innKind === 'individual' ? 'sole_trader' : innKind)
  if (declared !== null && innKind !== null && innValue !== null && (declared === 'legal_entity') !== (innKind === 'legal_entity')) {
    problems.push({ code: 'kind_mismatch', field: 'inn', value: innValue, innKind, declared })
    kind = null // the numbers below cannot be judged until the ИНН or the kind is fixed
  }

  if (kpp !== null) {
    const r = validateKpp(kpp)
    if (kind === 'sole_trader' || kind === 'individual') problems.push({ code: 'kpp_not_applicable', field: 'kpp', value: kpp, owner: kind })
    else if (!r.ok) problems.push(r.problem)
  } else if (kind === 'legal_entity') {
    problems.push({ code: 'kpp_missing', field: 'kpp', inn: innValue })
  }

  if (ogrn !== null) {
    const r = validateOgrn(ogrn)
    if (kind === 'sole_trader' || kind === 'individual') problems.push({ code: 'ogrn_not_applicable', field: 'ogrn', value: ogrn, owner: kind })
    else if (!r.ok) problems.push(r.problem)
  }

  if (ogrnip !== null) {
    const r = validateOgrnip(ogrnip)
    if (kind === 'legal_entity') problems.push({ code: 'ogrnip_not_applicable', field: 'ogrnip', value: ogrnip })
    else if (!r.ok) problems.push(r.problem)
  }

  const [first, ...rest] = problems
  if (first !== undefined || !inn.ok || kind === null) {
    // kind === null cannot happen with a valid ИНН; the guard keeps the types honest.
    return { ok: false, problems: [first ?? { code: 'empty', field: 'inn' }, ...rest] }
  }
  return { ok: true, value: { inn: inn.value, kind, kpp, ogrn, ogrnip } }
}
