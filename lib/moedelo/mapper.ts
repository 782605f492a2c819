/** Vendor ⇄ app conversions for counterparties. */
import type { Counterparty, CounterpartyForm, CounterpartyInput, CounterpartyRole, CounterpartyUpdate } from './model'
import type { KontragentDto, KontragentSaveDto } from './types'

const FORMS: Record<number, CounterpartyForm> = { 1: 'legal_entity', 2: 'sole_trader', 3: 'individual', 4: 'non_resident' }
const FORM_NAMES: Record<string, CounterpartyForm> = { UL: 'legal_entity', IP: 'sole_trader', FL: 'individual', NR: 'non_resident' }
const ROLES: Record<number, CounterpartyRole> = { 0: 'unspecified', 1: 'buyer_and_supplier', 2: 'buyer', 3: 'supplier', 4: 'other' }
const ROLE_NAMES: Record<string, CounterpartyRole> = {
  UNDEFINED: 'unspecified',
  KONTRAGENT: 'buyer_and_supplier',
  CLIENT: 'buyer',
  PARTNER: 'supplier',
  OTHER: 'other',
}

const invert = <T extends string>(map: Record<number, T>) =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [v, Number(k)])) as Record<T, number>

export const FORM_CODES = invert(FORMS)
export const ROLE_CODES = invert(ROLES)

function decodeEnum<T>(value: number | string | null | undefined, byCode: Record<number, T>, byName: Record<string, T>): T | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return byCode[value] ?? null
  if (/^\d+$/.test(value)) return byCode[Number(value)] ?? null
  return byName[value.toUpperCase()] ?? null
}

const orNull = (v: string | null | undefined): string | null => (v === undefined || v === '' ? null : v)

export function toCounterparty(dto: KontragentDto): Counterparty {
  return {
    id: dto.Id,
    name: dto.Name,
    shortName: orNull(dto.ShortName),
    inn: orNull(dto.Inn),
    kpp: orNull(dto.Kpp),
    ogrn: orNull(dto.Ogrn),
    okpo: orNull(dto.Okpo),
    form: decodeEnum(dto.Form, FORMS, FORM_NAMES),
    role: decodeEnum(dto.Type, ROLES, ROLE_NAMES),
    isArchived: dto.IsArchived ?? false,
    legalAddress: orNull(dto.LegalAddress),
    actualAddress: orNull(dto.ActualAddress),
    registrationAddress: orNull(dto.RegistrationAddress),
    fio: orNull(dto.Fio),
    signerFio: orNull(dto.SignerFio),
    inFace: orNull(dto.InFace),
    position: orNull(dto.Position),
    inReason: orNull(dto.InReason),
    subcontoId: dto.SubcontoId ?? null,
  }
}

/** App input → PascalCase body; fields left `undefined` are not sent at all. */
export function toKontragentSaveDto(input: CounterpartyInput | CounterpartyUpdate): KontragentSaveDto {
  const dto: KontragentSaveDto = {
    Name: input.name,
    Form: input.form ? FORM_CODES[input.form] : undefined,
    Type: input.role ? ROLE_CODES[input.role] : undefined,
    Inn: input.inn,
    Kpp: input.kpp,
    Ogrn: input.ogrn,
    Okpo: input.okpo,
    ShortName: input.shortName,
    FullName: input.fullName,
    LegalAddress: input.legalAddress,
    ActualAddress: input.actualAddress,
    RegistrationAddress: input.registrationAddress,
    Fio: input.fio,
    SiteUrl: input.siteUrl,
  }
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as unknown as KontragentSaveDto
}
