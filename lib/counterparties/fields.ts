/**
 * The counterparty fields the app keeps in step between the registry (ЕГРЮЛ/ЕГРИП), MoeDelo and the
 * Bitrix24 CRM, and how each side spells them. Priority when they disagree: registry > MoeDelo > CRM
 * (egrul.md §7), decided field by field in `provenance.ts`.
 */
import type { Counterparty, CounterpartyUpdate } from '@/lib/moedelo'
import type { RegistryRecord } from '@/lib/registry'

export const COUNTERPARTY_FIELDS = [
  'inn',
  'kpp',
  'ogrn',
  'ogrnip',
  'fullName',
  'shortName',
  'legalAddress',
  'directorName',
  'directorPosition',
] as const

export type CounterpartyField = (typeof COUNTERPARTY_FIELDS)[number]

export type CounterpartyFields = { [K in CounterpartyField]: string }

export type FieldSource = 'registry' | 'moedelo' | 'crm'

/** Higher wins. */
export const SOURCE_PRIORITY: Record<FieldSource, number> = { registry: 3, moedelo: 2, crm: 1 }

export const isCounterpartyField = (name: string): name is CounterpartyField =>
  (COUNTERPARTY_FIELDS as readonly string[]).includes(name)

/**
 * Comparison form (egrul.md §5.15): case-folded, ё→е, quotes of every kind and punctuation dropped,
 * spaces collapsed. «ПАО "СБЕРБАНК"» and «ПАО Сбербанк» are the same value; «г. Москва» and «г Москва» too.
 */
export function comparable(value: string | null | undefined): string {
  if (value === null || value === undefined) return ''
  return String(value)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/["'«»„“”‘’`]/g, '')
    .replace(/[.,;:()]/g, ' ')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim()
}

export const sameValue = (a: string | null | undefined, b: string | null | undefined): boolean => comparable(a) === comparable(b)

/** Drops empty values: an empty value never overwrites anything. */
export function compact(fields: Partial<Record<CounterpartyField, string | null | undefined>>): Partial<CounterpartyFields> {
  const out: Partial<CounterpartyFields> = {}
  for (const key of COUNTERPARTY_FIELDS) {
    const v = fields[key]
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim()
  }
  return out
}

// ---------- registry ----------

/** What a registry record says about the card. For an ИП only the locality is public: no address then (§2.10). */
export function fieldsFromRegistry(record: RegistryRecord): Partial<CounterpartyFields> {
  const soleTrader = record.kind === 'sole_trader'
  return compact({
    inn: record.inn,
    kpp: soleTrader ? null : record.kpp,
    ogrn: soleTrader ? null : record.ogrn,
    ogrnip: soleTrader ? record.ogrnip : null,
    fullName: record.fullName,
    shortName: record.shortName,
    legalAddress: record.legalAddressPrecision === 'full' ? record.legalAddress : null,
    directorName: record.director?.name ?? null,
    directorPosition: soleTrader ? null : (record.director?.position ?? null),
  })
}

// ---------- MoeDelo ----------

export function fieldsFromMoeDelo(c: Counterparty): Partial<CounterpartyFields> {
  const soleTrader = c.form === 'sole_trader'
  return compact({
    inn: c.inn,
    kpp: soleTrader ? null : c.kpp,
    ogrn: soleTrader ? null : c.ogrn,
    ogrnip: soleTrader ? c.ogrn : null,
    shortName: c.shortName ?? c.name,
    legalAddress: c.legalAddress,
    directorName: soleTrader ? null : c.signerFio,
  })
}

/** The fields MoeDelo can hold, as an update body (`Name` is required on every PUT). */
export function moedeloUpdateFrom(fields: Partial<CounterpartyFields>, fallbackName: string): CounterpartyUpdate {
  const soleTrader = Boolean(fields.ogrnip) || (fields.inn?.length ?? 0) === 12
  const name = fields.shortName || fields.fullName || fallbackName
  return {
    name,
    form: soleTrader ? 'sole_trader' : 'legal_entity',
    ...(fields.inn ? { inn: fields.inn } : {}),
    ...(!soleTrader && fields.kpp ? { kpp: fields.kpp } : {}),
    ...(soleTrader ? (fields.ogrnip ? { ogrn: fields.ogrnip } : {}) : fields.ogrn ? { ogrn: fields.ogrn } : {}),
    ...(fields.shortName ? { shortName: fields.shortName } : {}),
    ...(fields.fullName ? { fullName: fields.fullName } : {}),
    ...(fields.legalAddress ? { legalAddress: fields.legalAddress } : {}),
    ...(soleTrader && fields.directorName ? { fio: fields.directorName } : {}),
  }
}

/**
 * Fields the app can write to MoeDelo, to tell whether a MoeDelo record lags behind the merged values.
 * The signer (`SignerFio`) is read but not written: MoeDelo fills it from its own register.
 */
export const MOEDELO_FIELDS: readonly CounterpartyField[] = ['inn', 'kpp', 'ogrn', 'ogrnip', 'shortName', 'fullName', 'legalAddress']

// ---------- Bitrix24 CRM requisite ----------

export interface CrmRequisite {
  ID: string | number
  PRESET_ID?: string | number | null
  RQ_INN?: string | null
  RQ_KPP?: string | null
  RQ_OGRN?: string | null
  RQ_OGRNIP?: string | null
  RQ_COMPANY_NAME?: string | null
  RQ_COMPANY_FULL_NAME?: string | null
  RQ_DIRECTOR?: string | null
  MODIFY_BY_ID?: string | number | null
  DATE_MODIFY?: string | null
  [key: string]: unknown
}

export interface CrmAddress {
  TYPE_ID: string | number
  ENTITY_ID: string | number
  ADDRESS_1?: string | null
  ADDRESS_2?: string | null
  CITY?: string | null
  POSTAL_CODE?: string | null
  REGION?: string | null
  PROVINCE?: string | null
  [key: string]: unknown
}

/** Legal address type in `crm.enum.addresstype`. */
export const LEGAL_ADDRESS_TYPE = 6

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim())

/** The address as one line, the way it is compared with the registry's one-line address. */
export function addressLine(address: CrmAddress | undefined): string {
  if (!address) return ''
  return [address.POSTAL_CODE, address.PROVINCE, address.REGION, address.CITY, address.ADDRESS_1, address.ADDRESS_2]
    .map(s)
    .filter(Boolean)
    .join(', ')
}

export function fieldsFromCrm(requisite: CrmRequisite, legalAddress: CrmAddress | undefined): Partial<CounterpartyFields> {
  return compact({
    inn: s(requisite.RQ_INN),
    kpp: s(requisite.RQ_KPP),
    ogrn: s(requisite.RQ_OGRN),
    ogrnip: s(requisite.RQ_OGRNIP),
    fullName: s(requisite.RQ_COMPANY_FULL_NAME),
    shortName: s(requisite.RQ_COMPANY_NAME),
    legalAddress: addressLine(legalAddress),
    directorName: s(requisite.RQ_DIRECTOR),
  })
}

/** Requisite field of each counterparty field (no CRM field holds the director's position). */
export const CRM_REQUISITE_FIELD: Partial<Record<CounterpartyField, string>> = {
  inn: 'RQ_INN',
  kpp: 'RQ_KPP',
  ogrn: 'RQ_OGRN',
  ogrnip: 'RQ_OGRNIP',
  fullName: 'RQ_COMPANY_FULL_NAME',
  shortName: 'RQ_COMPANY_NAME',
  directorName: 'RQ_DIRECTOR',
}

/** An address written by the app: the whole line in ADDRESS_1, the parts emptied (reads back as the same line). */
export function crmAddressFields(line: string): Record<string, string> {
  return { ADDRESS_1: line, ADDRESS_2: '', CITY: '', POSTAL_CODE: '', REGION: '', PROVINCE: '' }
}
