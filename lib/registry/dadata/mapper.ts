/** DaData `suggestions[]` element → `RegistryRecord` (spec §2.10). */
import { epochToMoscowDate } from '../dates'
import type { RegistryDirector, RegistryRecord, RegistryStatus } from '../provider'
import type { DaDataSuggestion } from './schema'

const STATUS: Record<string, RegistryStatus> = {
  ACTIVE: 'active',
  LIQUIDATING: 'liquidating',
  LIQUIDATED: 'liquidated',
  BANKRUPT: 'bankrupt',
  REORGANIZING: 'reorganizing',
}

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim()
  return t ? t : null
}

const joinFio = (fio: { surname?: string | null; name?: string | null; patronymic?: string | null } | null | undefined) =>
  clean([fio?.surname, fio?.name, fio?.patronymic].filter(Boolean).join(' '))

function director(s: DaDataSuggestion, soleTrader: boolean): RegistryDirector | null {
  const d = s.data
  if (soleTrader) {
    const name = joinFio(d.fio) ?? clean(d.name?.full)
    return name ? { name, position: 'Индивидуальный предприниматель', isCompany: false } : null
  }
  const managementName = clean(d.management?.name)
  if (managementName) return { name: managementName, position: clean(d.management?.post), isCompany: false }
  // A management company heads the firm (spec §5.11): `managers[].type = LEGAL`.
  const legal = d.managers?.find((m) => m.type === 'LEGAL')
  const legalName = clean(legal?.name) ?? clean(legal?.fio?.source)
  if (legal && legalName) return { name: legalName, position: clean(legal.post), isCompany: true }
  const person = d.managers?.find((m) => m.type !== 'LEGAL')
  const personName = joinFio(person?.fio) ?? clean(person?.fio?.source)
  return person && personName ? { name: personName, position: clean(person.post), isCompany: false } : null
}

export function mapDaDataSuggestion(s: DaDataSuggestion): RegistryRecord {
  const d = s.data
  const soleTrader = d.type === 'INDIVIDUAL' || (d.type !== 'LEGAL' && d.inn.length === 12)
  const branch = !soleTrader && d.branch_type === 'BRANCH'
  const fullName = clean(d.name?.full_with_opf) ?? clean(s.value) ?? ''
  const shortName = clean(d.name?.short_with_opf) ?? clean(s.value) ?? fullName
  const mainOkved = d.okveds?.find((o) => o.main) ?? d.okveds?.find((o) => o.code === d.okved)
  const okvedType = d.okved_type ?? mainOkved?.type
  const liquidatedAt = epochToMoscowDate(d.state?.liquidation_date)
  const code = d.state?.code
  const address = d.address
  return {
    provider: 'dadata',
    kind: soleTrader ? 'sole_trader' : 'legal_entity',
    inn: d.inn,
    kpp: soleTrader ? null : clean(d.kpp),
    ogrn: soleTrader ? null : clean(d.ogrn),
    ogrnip: soleTrader ? clean(d.ogrn) : null,
    ogrnDate: epochToMoscowDate(d.ogrn_date),
    fullName,
    shortName,
    legalAddress: soleTrader ? clean(address?.value) : (clean(address?.unrestricted_value) ?? clean(address?.value)),
    legalAddressPrecision: address?.value || address?.unrestricted_value ? (soleTrader ? 'locality' : 'full') : null,
    legalAddressRaw: clean(address?.data?.source),
    director: director(s, soleTrader),
    status: STATUS[String(d.state?.status ?? '').toUpperCase()] ?? 'unknown',
    statusCode: code === null || code === undefined || code === '' ? null : String(code),
    statusText: null,
    statusDate: liquidatedAt,
    branchType: branch ? 'branch' : 'main',
    branchName: branch ? (clean(d.name?.short_with_opf) ?? clean(d.name?.full_with_opf) ?? clean(s.value)) : null,
    registeredAt: epochToMoscowDate(d.state?.registration_date),
    liquidatedAt,
    okved: clean(d.okved) ?? clean(mainOkved?.code),
    okvedName: clean(mainOkved?.name),
    okvedVersion: okvedType === '2014' || okvedType === '2001' ? okvedType : null,
    successors: (d.successors ?? []).map((x) => ({ inn: clean(x.inn), ogrn: clean(x.ogrn), name: clean(x.name) })),
    actualAt: epochToMoscowDate(d.state?.actuality_date),
    sourceRef: clean(d.hid),
  }
}
