/**
 * Counterparties — `/kontragents/api/v1/kontragent` (spec §3, §13).
 * PascalCase JSON, list envelope `{Count, TotalCount, ResourceList}`, bare objects, 201 on create,
 * legacy 400 validation errors. Duplicate INNs are allowed, as in the real system.
 */
import type { EmulatorResponse, Router } from '../shared/http'
import { guarded, type EmulatorContext } from './guard'
import {
  bodyField,
  errorResponse,
  FieldErrorCollector,
  listEnvelope,
  pageParams,
  parseId,
  queryParam,
  recordById,
  requireBody,
  validationError,
} from './legacy'
import type { BankAccountDto, ContactDto, FirmState, KontragentDto, KontragentHidden } from './state'

export const KONTRAGENT_PATH = '/kontragents/api/v1/kontragent'

const FORM_NAMES: Record<string, number> = { ul: 1, ip: 2, fl: 3, nr: 4 }
const TYPE_NAMES: Record<string, number> = { undefined: 0, kontragent: 1, client: 2, partner: 3, other: 4 }

/** Json.NET binds enums from numbers, numeric strings and names alike; responses carry numbers. */
function parseEnum(value: unknown, names: Record<string, number>, min: number, max: number): number | 'invalid' | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(String(value)) ? Number(value) : names[String(value).toLowerCase()]
  return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : 'invalid'
}

/** undefined = not sent; null = sent empty. Numbers become strings (a client that casts INN to int loses zeros). */
function text(value: unknown): string | null | undefined {
  if (value === undefined) return undefined
  if (value === null) return null
  if (typeof value === 'string') return value.trim() === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

const STRING_FIELDS = [
  'Inn',
  'Ogrn',
  'Okpo',
  'Kpp',
  'ShortName',
  'LegalAddress',
  'ActualAddress',
  'RegistrationAddress',
  'TaxpayerNumber',
  'AdditionalRegNumber',
  'Fio',
  'SignerFio',
  'InFace',
  'Position',
  'InReason',
  'PersonalData',
] as const

interface ParsedKontragent {
  fields: Partial<KontragentDto>
  hidden: KontragentHidden
}

function parseKontragentBody(body: Record<string, unknown>, errors: FieldErrorCollector, existing?: KontragentDto): ParsedKontragent {
  const fields: Partial<KontragentDto> = {}
  const hidden: KontragentHidden = {}
  const name = text(bodyField(body, 'Name'))
  if (!name) errors.add('Name', 'Поле Name обязательно для заполнения.')
  else fields.Name = name
  for (const field of STRING_FIELDS) {
    const value = text(bodyField(body, field))
    if (value !== undefined) fields[field] = value
  }
  for (const field of ['FullName', 'SiteUrl'] as const) {
    const value = text(bodyField(body, field))
    if (value !== undefined) hidden[field] = value
  }
  const form = parseEnum(bodyField(body, 'Form'), FORM_NAMES, 1, 4)
  if (form === 'invalid') errors.add('Form', 'Недопустимое значение Form.')
  else if (form !== undefined) fields.Form = form
  const type = parseEnum(bodyField(body, 'Type'), TYPE_NAMES, 0, 4)
  if (type === 'invalid') errors.add('Type', 'Недопустимое значение Type.')
  else if (type !== undefined) fields.Type = type
  const archived = bodyField(body, 'IsArchived')
  if (archived !== undefined) fields.IsArchived = archived === true || archived === 'true'

  const inn = fields.Inn !== undefined ? fields.Inn : existing?.Inn
  const effectiveForm = fields.Form ?? existing?.Form ?? (inn?.length === 12 ? 2 : 1)
  if (inn) {
    if (!/^\d+$/.test(inn)) errors.add('Inn', 'ИНН должен состоять только из цифр.')
    else if (effectiveForm === 1 && inn.length !== 10) errors.add('Inn', 'ИНН юридического лица должен содержать 10 цифр.')
    else if ((effectiveForm === 2 || effectiveForm === 3) && inn.length !== 12) errors.add('Inn', 'ИНН физического лица должен содержать 12 цифр.')
  }
  if (fields.Kpp && !/^\d{4}[\dA-Z]{2}\d{3}$/.test(fields.Kpp)) errors.add('Kpp', 'КПП должен содержать 9 символов.')
  if (fields.Ogrn && !/^(\d{13}|\d{15})$/.test(fields.Ogrn)) errors.add('Ogrn', 'ОГРН должен содержать 13 цифр, ОГРНИП — 15.')
  if (fields.Okpo && !/^(\d{8}|\d{10})$/.test(fields.Okpo)) errors.add('Okpo', 'ОКПО должен содержать 8 или 10 цифр.')
  if (!existing && fields.Form === undefined) fields.Form = effectiveForm
  return { fields, hidden }
}

/** A full counterparty from partial fields: every §3.2 member is present, unknown ones null. */
export function buildKontragent(id: number, subcontoId: number, fields: Partial<KontragentDto>): KontragentDto {
  return {
    Id: id,
    Inn: fields.Inn ?? null,
    Ogrn: fields.Ogrn ?? null,
    Okpo: fields.Okpo ?? null,
    Kpp: fields.Kpp ?? null,
    Name: fields.Name ?? '',
    ShortName: fields.ShortName ?? fields.Name ?? null,
    Type: fields.Type ?? 1,
    Form: fields.Form ?? (fields.Inn?.length === 12 ? 2 : 1),
    IsArchived: fields.IsArchived ?? false,
    LegalAddress: fields.LegalAddress ?? null,
    ActualAddress: fields.ActualAddress ?? null,
    RegistrationAddress: fields.RegistrationAddress ?? null,
    TaxpayerNumber: fields.TaxpayerNumber ?? null,
    AdditionalRegNumber: fields.AdditionalRegNumber ?? null,
    SubcontoId: subcontoId,
    Fio: fields.Fio ?? null,
    SignerFio: fields.SignerFio ?? null,
    InFace: fields.InFace ?? null,
    Position: fields.Position ?? '',
    InReason: fields.InReason ?? null,
    PersonalData: fields.PersonalData ?? '',
  }
}

/** Stores a new counterparty in the firm (also used by the seed control route: no validation). */
export function insertKontragent(ctx: EmulatorContext, firm: FirmState, fields: Partial<KontragentDto>, hidden: KontragentHidden = {}): KontragentDto {
  const id = fields.Id && !firm.kontragents.has(fields.Id) ? fields.Id : ctx.store.ids.next('kontragent')
  if (id > ctx.store.ids.kontragent) ctx.store.ids.kontragent = id
  const kontragent = buildKontragent(id, fields.SubcontoId ?? ctx.store.ids.next('subconto'), fields)
  firm.kontragents.set(id, kontragent)
  if (Object.keys(hidden).length > 0) firm.kontragentHidden.set(id, hidden)
  return kontragent
}

export function registerKontragentRoutes(router: Router, ctx: EmulatorContext): void {
  const sw = () => ctx.switches
  const notFound = (): EmulatorResponse => errorResponse(404, sw().notFoundBody)
  const find = (firm: FirmState, raw: string | undefined) => recordById(firm.kontragents, raw)

  router.add(
    'GET',
    KONTRAGENT_PATH,
    guarded(ctx, 'kontragents', (req, _params, firm) => {
      const errors = new FieldErrorCollector()
      const { pageNo, pageSize } = pageParams(req, sw(), errors)
      if (!errors.empty) return validationError(sw(), errors.errors)
      const inn = queryParam(req, 'inn')?.trim()
      const name = queryParam(req, 'name')?.trim().toLocaleLowerCase('ru-RU')
      const matching = [...firm.kontragents.values()]
        .filter((k) => !inn || k.Inn === inn)
        .filter((k) => !name || k.Name.toLocaleLowerCase('ru-RU').includes(name))
        .sort((a, b) => a.Id - b.Id)
      return { body: listEnvelope(matching, pageNo, pageSize) }
    }),
  )

  router.add(
    'POST',
    `${KONTRAGENT_PATH}/inn`,
    guarded(ctx, 'kontragents', (req, _params, firm) => {
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const inn = text(bodyField(parsed.body, 'Inn'))
      if (!inn) errors.add('Inn', 'Поле Inn обязательно для заполнения.')
      else if (!/^(\d{10}|\d{12})$/.test(inn)) errors.add('Inn', 'ИНН должен содержать 10 или 12 цифр.')
      const type = parseEnum(bodyField(parsed.body, 'Type'), TYPE_NAMES, 0, 4)
      if (type === 'invalid') errors.add('Type', 'Недопустимое значение Type.')
      if (!errors.empty || !inn || type === 'invalid') return validationError(sw(), errors.errors)
      const form = inn.length === 10 ? 1 : 2
      const entry = ctx.store.registry.get(inn)
      if (!entry) {
        if (sw().unknownInn === 'not_found') return notFound()
        if (sw().unknownInn === 'validation') {
          return validationError(sw(), { Inn: ['Организация или ИП с указанным ИНН не найдены в ЕГРЮЛ/ЕГРИП.'] })
        }
        const created = insertKontragent(ctx, firm, { Inn: inn, Form: form, Type: type ?? 1, Name: `Контрагент ИНН ${inn}` })
        return { status: 201, body: created }
      }
      const created = insertKontragent(ctx, firm, {
        Inn: inn,
        Form: form,
        Type: type ?? 1,
        Name: entry.Name,
        ShortName: entry.ShortName ?? entry.Name,
        Ogrn: entry.Ogrn ?? null,
        Okpo: entry.Okpo ?? null,
        Kpp: form === 1 ? (entry.Kpp ?? null) : null,
        LegalAddress: entry.LegalAddress ?? null,
        ActualAddress: entry.ActualAddress ?? null,
        Fio: entry.Fio ?? null,
        SignerFio: entry.SignerFio ?? null,
        InFace: entry.InFace ?? null,
        InReason: entry.InReason ?? null,
      })
      return { status: 201, body: created }
    }),
  )

  router.add(
    'POST',
    KONTRAGENT_PATH,
    guarded(ctx, 'kontragents', (req, _params, firm) => {
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const { fields, hidden } = parseKontragentBody(parsed.body, errors)
      if (!errors.empty) return validationError(sw(), errors.errors)
      delete fields.Id
      return { status: 201, body: insertKontragent(ctx, firm, fields, hidden) }
    }),
  )

  router.add(
    'GET',
    `${KONTRAGENT_PATH}/:id`,
    guarded(ctx, 'kontragents', (_req, params, firm) => {
      const kontragent = find(firm, params.id)
      return kontragent ? { body: kontragent } : notFound()
    }),
  )

  router.add(
    'PUT',
    `${KONTRAGENT_PATH}/:id`,
    guarded(ctx, 'kontragents', (req, params, firm) => {
      const existing = find(firm, params.id)
      if (!existing) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const { fields, hidden } = parseKontragentBody(parsed.body, errors, existing)
      if (!errors.empty) return validationError(sw(), errors.errors)
      delete fields.Id
      delete fields.SubcontoId
      const updated = { ...existing, ...fields }
      firm.kontragents.set(existing.Id, updated)
      if (Object.keys(hidden).length > 0) {
        firm.kontragentHidden.set(existing.Id, { ...firm.kontragentHidden.get(existing.Id), ...hidden })
      }
      return { body: updated }
    }),
  )

  router.add(
    'DELETE',
    `${KONTRAGENT_PATH}/:id`,
    guarded(ctx, 'kontragents', (_req, params, firm) => {
      const existing = find(firm, params.id)
      if (!existing) return notFound()
      firm.kontragents.delete(existing.Id)
      firm.kontragentHidden.delete(existing.Id)
      for (const [id, a] of firm.accounts) if (a.KontragentId === existing.Id) firm.accounts.delete(id)
      for (const [id, c] of firm.contacts) if (c.KontragentId === existing.Id) firm.contacts.delete(id)
      return { status: sw().deleteStatus }
    }),
  )

  router.add(
    'POST',
    `${KONTRAGENT_PATH}/:id/account`,
    guarded(ctx, 'kontragents', (req, params, firm) => {
      const kontragent = find(firm, params.id)
      if (!kontragent) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const bik = text(bodyField(parsed.body, 'Bik'))
      const number = text(bodyField(parsed.body, 'Number'))
      if (!bik || !/^\d{9}$/.test(bik)) errors.add('Bik', 'БИК должен содержать 9 цифр.')
      if (!number || !/^\d{20}$/.test(number)) errors.add('Number', 'Номер счёта должен содержать 20 цифр.')
      if (!errors.empty || !bik || !number) return validationError(sw(), errors.errors)
      const account: BankAccountDto = {
        Id: ctx.store.ids.next('account'),
        KontragentId: kontragent.Id,
        Bik: bik,
        Number: number,
        BankName: text(bodyField(parsed.body, 'BankName')) ?? null,
        CorrespondentAccount: text(bodyField(parsed.body, 'CorrespondentAccount')) ?? null,
        IsMain: bodyField(parsed.body, 'IsMain') === true,
      }
      firm.accounts.set(account.Id, account)
      return { status: 201, body: account }
    }),
  )

  const saveContact = (body: Record<string, unknown>, kontragentId: number, id: number): ContactDto => {
    const fields = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== 'id' && k.toLowerCase() !== 'kontragentid'))
    return { ...fields, Id: id, KontragentId: kontragentId }
  }

  router.add(
    'POST',
    `${KONTRAGENT_PATH}/:id/contact`,
    guarded(ctx, 'kontragents', (req, params, firm) => {
      const kontragent = find(firm, params.id)
      if (!kontragent) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const contact = saveContact(parsed.body, kontragent.Id, ctx.store.ids.next('contact'))
      firm.contacts.set(contact.Id, contact)
      return { status: 201, body: contact }
    }),
  )

  router.add(
    'PUT',
    `${KONTRAGENT_PATH}/:id/contact/:contactId`,
    guarded(ctx, 'kontragents', (req, params, firm) => {
      const kontragent = find(firm, params.id)
      const contactId = parseId(params.contactId)
      const existing = contactId === undefined ? undefined : firm.contacts.get(contactId)
      if (!kontragent || !existing || existing.KontragentId !== kontragent.Id) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const contact = { ...existing, ...saveContact(parsed.body, kontragent.Id, existing.Id) }
      firm.contacts.set(contact.Id, contact)
      return { body: contact }
    }),
  )
}
