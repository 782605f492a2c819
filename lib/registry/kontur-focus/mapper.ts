/**
 * Kontur.Focus `req` (+ `egrDetails`) → `RegistryRecord`s (spec §3.5). Branches nested in
 * `UL.branches[]` become records of their own (`branchType: 'branch'`), like DaData returns them.
 */
import { isoDate } from '../dates'
import type { RegistryDirector, RegistryRecord, RegistryStatus } from '../provider'
import type { FocusEgrDetailsItem, FocusParsedAddress, FocusReqItem, FocusToponym } from './schema'

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim()
  return t ? t : null
}

/** Region names read "Свердловская обл", "Пермский край", but "г Москва", "Респ Татарстан". */
function region(t: FocusToponym | null | undefined): string | null {
  const value = clean(t?.topoValue)
  if (!value) return null
  const short = clean(t?.topoShortName)
  if (!short) return value
  return /^(обл|край|АО|Аобл|округ)\.?$/i.test(short) ? `${value} ${short}` : `${short} ${value}`
}

function toponym(t: FocusToponym | null | undefined): string | null {
  const value = clean(t?.topoValue)
  if (!value) return null
  const short = clean(t?.topoShortName)
  return short ? `${short} ${value}` : value
}

/** House parts: the EGRUL `*Raw` text when it names itself ("СТРОЕНИЕ 19А"), else the toponym (spec §3.5). */
function housePart(raw: string | null | undefined, t: FocusToponym | null | undefined): string | null {
  const r = clean(raw)
  if (r && /[A-Za-zА-Яа-яЁё]{2,}/.test(r)) return r
  return toponym(t) ?? r
}

export function formatFocusAddress(p: FocusParsedAddress | null | undefined): string | null {
  if (!p) return null
  const oneLine = clean(p.oneLineFormatOfAddress)
  if (oneLine) return oneLine
  const parts = [
    clean(p.zipCode),
    region(p.regionName),
    toponym(p.district),
    toponym(p.city),
    toponym(p.settlement),
    toponym(p.street),
    housePart(p.houseRaw, p.house),
    housePart(p.bulkRaw, p.bulk),
    housePart(p.flatRaw, p.flat),
  ].filter((x): x is string => x !== null)
  return parts.length ? parts.join(', ') : null
}

function status(s: { reorganizing?: boolean | null; bankrupting?: boolean | null; dissolving?: boolean | null; dissolved?: boolean | null } | null | undefined): RegistryStatus {
  if (s?.dissolved) return 'liquidated'
  if (s?.dissolving) return 'liquidating'
  if (s?.bankrupting) return 'bankrupt'
  if (s?.reorganizing) return 'reorganizing'
  return 'active'
}

function okvedVersion(item: { activities?: { principalActivity?: { code?: string | null } | null; okvedVersion?: string | null } | null } | null | undefined) {
  if (!item?.activities?.principalActivity?.code) return null
  return item.activities.okvedVersion === '2' ? ('2014' as const) : ('2001' as const)
}

function latest<T extends { date?: string | null }>(list: T[] | null | undefined): T | undefined {
  return [...(list ?? [])].sort((a, b) => String(b.date ?? '').localeCompare(String(a.date ?? '')))[0]
}

/** Merges a `req` item with its `egrDetails` twin (matched by OGRN, else INN) into records. */
export function mapFocusEntity(req: FocusReqItem, egr: FocusEgrDetailsItem | undefined): RegistryRecord[] {
  const inn = clean(req.inn) ?? ''
  const ogrn = clean(req.ogrn)
  const sourceRef = clean(req.focusHref)

  if (req.UL) {
    const ul = req.UL
    const details = egr?.UL
    const fullName = clean(ul.legalName?.full) ?? clean(ul.legalName?.short) ?? ''
    const shortName = clean(ul.legalName?.short) ?? fullName
    const head = latest(ul.heads?.filter((h) => clean(h.fio)))
    const company = latest(ul.managementCompanies?.filter((m) => clean(m.name)))
    const director: RegistryDirector | null = head
      ? { name: clean(head.fio)!, position: clean(head.position), isCompany: false }
      : company
        ? { name: clean(company.name)!, position: 'Управляющая организация', isCompany: true }
        : null
    const liquidatedAt = isoDate(ul.dissolutionDate) ?? (ul.status?.dissolved ? isoDate(ul.status.date) : null)
    const main: RegistryRecord = {
      provider: 'kontur_focus',
      kind: 'legal_entity',
      inn,
      kpp: clean(ul.kpp),
      ogrn,
      ogrnip: null,
      ogrnDate: isoDate(details?.regInfo?.ogrnDate),
      fullName,
      shortName,
      legalAddress: formatFocusAddress(ul.legalAddress?.parsedAddressRF),
      legalAddressPrecision: ul.legalAddress?.parsedAddressRF ? 'full' : null,
      legalAddressRaw: null,
      director,
      status: status(ul.status),
      statusCode: null,
      statusText: clean(ul.status?.statusString),
      statusDate: isoDate(ul.status?.date) ?? liquidatedAt,
      branchType: 'main',
      branchName: null,
      registeredAt: isoDate(ul.registrationDate),
      liquidatedAt,
      okved: clean(details?.activities?.principalActivity?.code),
      okvedName: clean(details?.activities?.principalActivity?.text),
      okvedVersion: okvedVersion(details),
      successors: (details?.successors ?? []).map((s) => ({ inn: clean(s.inn), ogrn: clean(s.ogrn), name: clean(s.name) })),
      actualAt: null,
      sourceRef,
    }
    const branches: RegistryRecord[] = (ul.branches ?? []).map((b) => ({
      ...main,
      kpp: clean(b.kpp),
      fullName: clean(b.name) ?? fullName,
      shortName: clean(b.name) ?? shortName,
      legalAddress: formatFocusAddress(b.parsedAddressRF),
      legalAddressPrecision: b.parsedAddressRF ? 'full' : null,
      director: null,
      branchType: 'branch',
      branchName: clean(b.name),
      registeredAt: isoDate(b.date),
      successors: [],
    }))
    return [main, ...branches]
  }

  if (req.IP) {
    const ip = req.IP
    const details = egr?.IP
    const fio = clean(ip.fio) ?? ''
    const locality = details?.shortenedAddress
      ? [region(details.shortenedAddress.regionName), toponym(details.shortenedAddress.district), toponym(details.shortenedAddress.city), toponym(details.shortenedAddress.settlement)]
          .filter((x): x is string => x !== null)
          .filter((x, i, all) => all.indexOf(x) === i)
          .join(', ') || null
      : null
    const liquidatedAt = isoDate(ip.dissolutionDate) ?? (ip.status?.dissolved ? isoDate(ip.status.date) : null)
    return [
      {
        provider: 'kontur_focus',
        kind: 'sole_trader',
        inn,
        kpp: null,
        ogrn: null,
        ogrnip: ogrn,
        ogrnDate: isoDate(details?.regInfo?.ogrnDate),
        fullName: fio ? `Индивидуальный предприниматель ${fio}` : '',
        shortName: fio ? `ИП ${fio}` : '',
        legalAddress: locality,
        legalAddressPrecision: locality ? 'locality' : null,
        legalAddressRaw: null,
        director: fio ? { name: fio, position: 'Индивидуальный предприниматель', isCompany: false } : null,
        status: status(ip.status),
        statusCode: null,
        statusText: clean(ip.status?.statusString),
        statusDate: isoDate(ip.status?.date) ?? liquidatedAt,
        branchType: 'main',
        branchName: null,
        registeredAt: isoDate(ip.registrationDate),
        liquidatedAt,
        okved: clean(details?.activities?.principalActivity?.code),
        okvedName: clean(details?.activities?.principalActivity?.text),
        okvedVersion: okvedVersion(details),
        successors: [],
        actualAt: null,
        sourceRef,
      },
    ]
  }
  return []
}

export function mapFocusResponse(reqItems: FocusReqItem[], egrItems: FocusEgrDetailsItem[]): RegistryRecord[] {
  return reqItems.flatMap((item) => {
    const twin =
      egrItems.find((e) => item.ogrn && e.ogrn === item.ogrn) ??
      egrItems.find((e) => !item.ogrn && item.inn && e.inn === item.inn)
    return mapFocusEntity(item, twin)
  })
}
