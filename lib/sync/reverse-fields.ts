/**
 * What reverse sync takes from a MoeDelo counterparty, how it is hashed, and how the synced
 * fields land on a Bitrix24 requisite (spec bitrix24.md §4.5).
 */
import { createHash } from 'node:crypto'
import {
  CRM_REQUISITE_FIELD,
  crmAddressFields,
  fieldsFromMoeDelo,
  type CounterpartyField,
  type CounterpartyFields,
} from '@/lib/counterparties/fields'
import { validateInn } from '@/lib/domain'
import type { Counterparty } from '@/lib/moedelo'

export type SyncedField = CounterpartyField

export type CounterpartyKind = 'legal_entity' | 'sole_trader' | 'individual'

/** The synced fields of a MoeDelo counterparty (the shared mapping; empty values left out). */
export function fieldsFromMoedelo(c: Counterparty): Partial<CounterpartyFields> {
  return fieldsFromMoeDelo(c)
}

/** Legal form as stored in `counterparties.kind`; a 12-digit INN without a form is a sole trader. */
export function kindOf(c: Counterparty): CounterpartyKind {
  if (c.form === 'sole_trader') return 'sole_trader'
  if (c.form === 'individual') return 'individual'
  if (c.form === 'legal_entity') return 'legal_entity'
  return (c.inn ?? '').trim().length === 12 ? 'sole_trader' : 'legal_entity'
}

/** JSON with object keys sorted at every level: equal content, equal text. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
}

/** Version of what the hash covers: bump it when the synced fields change, so every record is re-checked once. */
export const HASH_VERSION = 1

/** Content hash of the synced part of a MoeDelo record (`counterparties.moedelo_hash`). */
export function moedeloContentHash(c: Counterparty): string {
  const content = { v: HASH_VERSION, kind: kindOf(c), archived: c.isArchived, fields: fieldsFromMoedelo(c) }
  return createHash('sha256').update(stableJson(content)).digest('hex').slice(0, 40)
}

/** The INN check, in MoeDelo's terms: the fix is made in MoeDelo, not in the CRM. */
export function innProblem(c: Counterparty): string | undefined {
  const checked = validateInn(c.inn)
  if (checked.ok) {
    if (checked.kind === 'individual' && kindOf(c) === 'legal_entity') {
      return `у организации ИНН ${checked.value} из 12 цифр — у организации ИНН состоит из 10 цифр`
    }
    return undefined
  }
  const p = checked.problem
  switch (p.code) {
    case 'empty':
      return 'не указан ИНН'
    case 'wrong_length':
      return `ИНН ${p.value} состоит из ${p.length} цифр, а должен из 10 (организация) или 12 (ИП)`
    case 'checksum':
      return `ИНН ${p.value} с неверной контрольной цифрой`
    case 'all_zeros':
      return 'ИНН состоит из одних нулей'
    case 'invalid_region':
      return `ИНН ${p.value} не может начинаться с 00`
    case 'non_digit':
      return `в ИНН ${p.value} есть посторонний символ «${p.char}»`
    default:
      return 'ИНН указан с ошибкой'
  }
}

// ---- Bitrix24 requisite fields ----------------------------------------------------------------

/** Address type «Юридический адрес» (crm.enum.addresstype). */
export const LEGAL_ADDRESS_TYPE = 6
/** Owner type of requisite addresses. */
export const REQUISITE_ENTITY_TYPE = 8
/** Owner type of company requisites. */
export const COMPANY_ENTITY_TYPE = 4

/**
 * `RQ_*` fields for the given values (legal address excluded), as the shared mapping spells them;
 * an ИП requisite carries no KPP, OGRN or director.
 */
export function requisiteFields(fields: Partial<CounterpartyFields>, kind: CounterpartyKind = 'legal_entity'): Record<string, string> {
  const out: Record<string, string> = {}
  const soleTrader = kind !== 'legal_entity'
  for (const [field, rq] of Object.entries(CRM_REQUISITE_FIELD) as [CounterpartyField, string][]) {
    if (soleTrader && (field === 'kpp' || field === 'ogrn' || field === 'directorName')) continue
    if (!soleTrader && field === 'ogrnip') continue
    const value = fields[field]
    if (value !== undefined) out[rq] = value
  }
  return out
}

/** The legal address as one line in ADDRESS_1, the parts emptied: it reads back as the same line. */
export function legalAddressFields(address: string): Record<string, string> {
  return crmAddressFields(address.trim())
}
