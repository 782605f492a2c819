/**
 * Money service — `/money/api/v1` (spec §2.2, §6): the Registry of money operations (§6.1) and
 * «Оплата от покупателя» (§6.2), with the new-generation conventions: a `{data}` envelope, paged
 * lists `{data, offset, limit, totalCount}`, 201 on create, 404, and 422 for validation (its body
 * shape is a switch).
 *
 * The operations are the firm's incoming payments of type 16 on the settlement account: the ones a
 * bank-statement import made (control route) and the ones created here. Both kinds link to bills and
 * so drive the bills' PaidSum / Status / Payments[] (bills.ts).
 */
import type { EmulatorResponse } from '../shared/http'
import { kopecksToNumber, moscowTimestamp, parseDocDate, paymentEvent, scaled } from './bills'
import type { DynamicRouter } from './dynamic-router'
import { guarded, type EmulatorContext } from './guard'
import { bodyField, errorResponse, FieldErrorCollector, queryParam, requireBody, type FieldErrors } from './legacy'
import type { FirmState, PaymentDetails, PaymentRecord } from './state'

export const MONEY_PATH = '/money/api/v1'
export const REGISTRY_PATH = `${MONEY_PATH}/Registry`
export const PAYMENT_FROM_CUSTOMER_PATH = `${MONEY_PATH}/PaymentOrders/Incoming/PaymentFromCustomer`

/** `OperationSource` 1: the settlement (bank) account — the only source the emulator keeps. */
const SETTLEMENT_ACCOUNT_SOURCE = 1
/** `OperationType` 16: «Оплата от покупателя». */
const PAYMENT_FROM_CUSTOMER = 16
/** Money `NdsType` is an ordinal enum, −1…12 (spec §10), not a percentage. */
const MONEY_NDS_TYPES = new Set([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
const TAXATION_SYSTEMS = new Set([1, 2, 3, 4, 5, 6])

// ---------- response shapes ----------

const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1)

/** Payloads are built camelCase; the `moneyJsonCase` switch turns members PascalCase (the envelope stays camelCase). */
function cased(ctx: EmulatorContext, value: unknown): unknown {
  if (ctx.switches.moneyJsonCase === 'camel') return value
  if (Array.isArray(value)) return value.map((v) => cased(ctx, v))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [pascal(k), cased(ctx, v)]))
  }
  return value
}

const envelope = (ctx: EmulatorContext, data: unknown, status = 200): EmulatorResponse => ({ status, body: { data: cased(ctx, data) } })

/** 422 with the configured body shape (spec §11: UNKNOWN). */
function moneyValidation(ctx: EmulatorContext, errors: FieldErrors): EmulatorResponse {
  if (ctx.switches.moneyValidationShape === 'map') {
    return { status: 422, body: { title: 'One or more validation errors occurred.', status: 422, errors } }
  }
  const list = Object.entries(errors).flatMap(([key, messages]) => messages.map((message) => ({ key, message })))
  return { status: 422, body: { errors: list } }
}

/** ASP.NET Core writes a `DateTime` without offset; a payment date is a midnight (an emulator choice, spec UNKNOWN). */
const dateTime = (date: string) => `${date}T00:00:00`

function contractorOf(firm: FirmState, kontragentId: number | null): Record<string, unknown> | null {
  if (kontragentId === null) return null
  const k = firm.kontragents.get(kontragentId)
  // `Contractor.Id` arrives as a string (spec §6.1); `Type` 1 = counterparty (an emulator choice).
  return { id: String(kontragentId), name: k?.Name ?? null, type: 1 }
}

function ndsOf(p: PaymentRecord): Record<string, unknown> | null {
  const nds = p.details?.nds
  return nds ? { includeNds: nds.includeNds, type: nds.type, sum: kopecksToNumber(nds.sumKopecks) } : null
}

/** One Registry line (`OperationResponseDto`, spec §6.1). */
function operationView(ctx: EmulatorContext, firm: FirmState, p: PaymentRecord): Record<string, unknown> {
  const accountId = p.details?.settlementAccountId ?? null
  return {
    documentBaseId: p.DocumentBaseId,
    date: dateTime(p.Date),
    number: p.Number,
    sum: kopecksToNumber(p.sumKopecks),
    direction: ctx.switches.registryIncomingDirection,
    operationType: p.OperationType,
    description: p.Description,
    contractor: contractorOf(firm, p.KontragentId),
    isMainContractor: p.details?.isMainContractor ?? true,
    isPaid: true,
    kontragentSettlementAccountId: null,
    modifyDate: moscowTimestamp(p.modifyDate),
    nds: ndsOf(p),
    source: { id: accountId, name: 'Расчётный счёт', type: SETTLEMENT_ACCOUNT_SOURCE },
    taxationSystemType: p.details?.taxationSystemType ?? null,
    patentId: p.details?.patentId ?? null,
  }
}

function linkFieldNames(ctx: EmulatorContext): { id: string; sum: string } {
  return ctx.switches.billLinkFields === 'DocumentBaseId/Sum' ? { id: 'DocumentBaseId', sum: 'Sum' } : { id: 'BillBaseId', sum: 'LinkSum' }
}

const camel = (key: string) => key.charAt(0).toLowerCase() + key.slice(1)

/** `PaymentFromCustomerResponseDto` (spec §6.2). */
function paymentView(ctx: EmulatorContext, firm: FirmState, p: PaymentRecord): Record<string, unknown> {
  const names = linkFieldNames(ctx)
  return {
    documentBaseId: p.DocumentBaseId,
    date: dateTime(p.Date),
    number: p.Number,
    settlementAccountId: p.details?.settlementAccountId ?? null,
    contractor: contractorOf(firm, p.KontragentId),
    contract: p.details?.contractId ? { documentBaseId: p.details.contractId } : null,
    sum: kopecksToNumber(p.sumKopecks),
    description: p.Description,
    nds: ndsOf(p),
    isMainContractor: p.details?.isMainContractor ?? true,
    provideInAccounting: p.details?.provideInAccounting ?? true,
    bills: p.links.map((l) => ({ [camel(names.id)]: l.billId, [camel(names.sum)]: kopecksToNumber(l.sumKopecks) })),
    documents: [],
    reserveSum: kopecksToNumber(p.details?.reserveKopecks ?? 0n),
    taxationSystemType: p.details?.taxationSystemType ?? null,
    patentId: p.details?.patentId ?? null,
    modifyDate: moscowTimestamp(p.modifyDate),
  }
}

// ---------- parsing ----------

function intOf(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN
  return Number.isSafeInteger(n) ? n : 'invalid'
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined

const boolOf = (value: unknown, fallback: boolean): boolean =>
  value === undefined || value === null ? fallback : value === true || value === 'true' || value === 1

const objectOf = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined

interface ParsedPayment {
  date: string
  number: string
  sum: bigint
  kontragentId: number
  description: string | null
  links: { billId: number; sumKopecks: bigint }[]
  details: PaymentDetails
}

/** Validates a `PaymentFromCustomerSaveDto` (spec §6.2; * = required). */
function parseSave(ctx: EmulatorContext, firm: FirmState, body: Record<string, unknown>): ParsedPayment | { errors: FieldErrors } {
  const errors = new FieldErrorCollector()
  const date = parseDocDate(bodyField(body, 'Date'))
  if (date === undefined) errors.add('Date', 'Не указана дата.')
  else if (date === 'invalid') errors.add('Date', 'Недопустимая дата.')
  const number = textOf(bodyField(body, 'Number'))
  if (!number) errors.add('Number', 'Не указан номер.')
  const account = intOf(bodyField(body, 'SettlementAccountId'))
  if (account === undefined) errors.add('SettlementAccountId', 'Не указан расчётный счёт.')
  else if (account === 'invalid' || account <= 0) errors.add('SettlementAccountId', 'Недопустимый расчётный счёт.')
  const contractor = objectOf(bodyField(body, 'Contractor'))
  const kontragentId = contractor ? intOf(bodyField(contractor, 'Id')) : undefined
  if (!contractor || kontragentId === undefined) errors.add('Contractor', 'Не указан контрагент.')
  else if (kontragentId === 'invalid' || !firm.kontragents.has(kontragentId)) errors.add('Contractor.Id', 'Контрагент не найден.')
  const sum = scaled(bodyField(body, 'Sum'), 2)
  if (sum === undefined) errors.add('Sum', 'Не указана сумма.')
  else if (typeof sum !== 'bigint' || sum <= 0n) errors.add('Sum', 'Сумма должна быть больше нуля и не более чем с 2 знаками после запятой.')

  let nds: PaymentDetails['nds'] = null
  const ndsBody = objectOf(bodyField(body, 'Nds'))
  if (ndsBody) {
    const type = intOf(bodyField(ndsBody, 'Type'))
    const ndsSum = scaled(bodyField(ndsBody, 'Sum'), 2) ?? 0n
    if (typeof type !== 'number' || !MONEY_NDS_TYPES.has(type)) errors.add('Nds.Type', 'Недопустимый тип НДС.')
    if (typeof ndsSum !== 'bigint' || ndsSum < 0n) errors.add('Nds.Sum', 'Недопустимая сумма НДС.')
    if (typeof type === 'number' && typeof ndsSum === 'bigint') {
      nds = { includeNds: boolOf(bodyField(ndsBody, 'IncludeNds'), true), type, sumKopecks: ndsSum }
    }
  }

  const names = linkFieldNames(ctx)
  const links: ParsedPayment['links'] = []
  const rawBills = bodyField(body, 'Bills')
  if (rawBills !== undefined && rawBills !== null && !Array.isArray(rawBills)) errors.add('Bills', 'Ожидается список счетов.')
  for (const [i, raw] of (Array.isArray(rawBills) ? rawBills : []).entries()) {
    const link = objectOf(raw) ?? {}
    const billId = intOf(bodyField(link, names.id))
    const linkSum = scaled(bodyField(link, names.sum), 2)
    if (typeof billId !== 'number' || !firm.bills.has(billId)) errors.add(`Bills[${i}].${names.id}`, 'Счёт не найден.')
    else if (links.some((l) => l.billId === billId)) errors.add(`Bills[${i}].${names.id}`, 'Счёт указан дважды.')
    if (typeof linkSum !== 'bigint' || linkSum <= 0n) errors.add(`Bills[${i}].${names.sum}`, 'Сумма по счёту должна быть больше нуля.')
    if (typeof billId === 'number' && typeof linkSum === 'bigint') links.push({ billId, sumKopecks: linkSum })
  }
  if (typeof sum === 'bigint' && links.reduce((s, l) => s + l.sumKopecks, 0n) > sum) {
    errors.add('Bills', 'Сумма по счетам больше суммы платежа.')
  }
  const reserve = scaled(bodyField(body, 'ReserveSum'), 2) ?? 0n
  if (typeof reserve !== 'bigint' || reserve < 0n || (typeof sum === 'bigint' && reserve > sum)) errors.add('ReserveSum', 'Недопустимая сумма резерва.')
  const taxation = intOf(bodyField(body, 'TaxationSystemType'))
  if (taxation === 'invalid' || (typeof taxation === 'number' && !TAXATION_SYSTEMS.has(taxation))) {
    errors.add('TaxationSystemType', 'Недопустимая система налогообложения.')
  }
  const contract = objectOf(bodyField(body, 'Contract'))
  const contractId = contract ? intOf(bodyField(contract, 'DocumentBaseId')) : undefined
  if (contractId === 'invalid') errors.add('Contract.DocumentBaseId', 'Недопустимый договор.')
  const patentId = intOf(bodyField(body, 'PatentId'))
  if (patentId === 'invalid') errors.add('PatentId', 'Недопустимый патент.')

  if (!errors.empty) return { errors: errors.errors }
  return {
    date: date as string,
    number: number as string,
    sum: sum as bigint,
    kontragentId: kontragentId as number,
    description: textOf(bodyField(body, 'Description')) ?? null,
    links,
    details: {
      settlementAccountId: account as number,
      contractId: typeof contractId === 'number' ? contractId : null,
      nds,
      isMainContractor: boolOf(bodyField(body, 'IsMainContractor'), true),
      provideInAccounting: boolOf(bodyField(body, 'ProvideInAccounting'), true),
      reserveKopecks: reserve as bigint,
      taxationSystemType: typeof taxation === 'number' ? taxation : null,
      patentId: typeof patentId === 'number' ? patentId : null,
    },
  }
}

// ---------- Registry query ----------

interface RegistryQuery {
  start?: string
  end?: string
  sources?: number[]
  types?: number[]
  offset: number
  limit: number
}

/** `OperationTypes=16,14`, repeated `OperationTypes=16&OperationTypes=14`, or the singular `OperationType`. */
function intList(req: Parameters<typeof queryParam>[0], ...names: string[]): number[] | undefined | 'invalid' {
  for (const name of names) {
    const raw = Object.entries(req.query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
    if (raw === undefined) continue
    const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean)
    const values = parts.map((v) => intOf(v))
    if (values.some((v) => typeof v !== 'number')) return 'invalid'
    return values as number[]
  }
  return undefined
}

function parseRegistryQuery(ctx: EmulatorContext, req: Parameters<typeof queryParam>[0]): RegistryQuery | { errors: FieldErrors } {
  const errors = new FieldErrorCollector()
  const dates: Partial<Record<'start' | 'end', string>> = {}
  for (const [name, key] of [['StartDate', 'start'], ['EndDate', 'end']] as const) {
    const parsed = parseDocDate(queryParam(req, name)?.trim())
    if (parsed === 'invalid') errors.add(name, `Недопустимое значение ${name}.`)
    else if (parsed === undefined && ctx.switches.registryRequiresDates) errors.add(name, `Не указан параметр ${name}.`)
    else if (parsed) dates[key] = parsed
  }
  const sources = intList(req, 'OperationSource')
  if (sources === 'invalid') errors.add('OperationSource', 'Недопустимый источник.')
  const types = intList(req, 'OperationTypes', 'OperationType')
  if (types === 'invalid') errors.add('OperationTypes', 'Недопустимый тип операции.')
  const offsetRaw = intOf(queryParam(req, 'Offset'))
  const limitRaw = intOf(queryParam(req, 'Limit'))
  if (offsetRaw === 'invalid' || (typeof offsetRaw === 'number' && offsetRaw < 0)) errors.add('Offset', 'Offset должен быть целым числом не меньше 0.')
  if (limitRaw === 'invalid' || (typeof limitRaw === 'number' && limitRaw < 1)) errors.add('Limit', 'Limit должен быть целым числом не меньше 1.')
  if (!errors.empty) return { errors: errors.errors }
  const cap = ctx.switches.registryLimitCap
  const wanted = typeof limitRaw === 'number' ? limitRaw : ctx.switches.registryDefaultLimit
  return {
    ...dates,
    sources: sources as number[] | undefined,
    types: types as number[] | undefined,
    offset: typeof offsetRaw === 'number' ? offsetRaw : 0,
    limit: cap === null ? wanted : Math.min(wanted, cap),
  }
}

// ---------- routes ----------

export function registerMoneyRoutes(router: DynamicRouter, ctx: EmulatorContext): void {
  const notFound = (): EmulatorResponse => errorResponse(404, ctx.switches.notFoundBody)
  const find = (firm: FirmState, raw: string | undefined) => (raw && /^\d+$/.test(raw) ? firm.payments.get(Number(raw)) : undefined)

  router.add(
    'GET',
    REGISTRY_PATH,
    guarded(ctx, 'money', (req, _params, firm) => {
      const query = parseRegistryQuery(ctx, req)
      if ('errors' in query) return moneyValidation(ctx, query.errors)
      const matching = [...firm.payments.values()]
        .filter(() => !query.sources || query.sources.includes(SETTLEMENT_ACCOUNT_SOURCE))
        .filter((p) => !query.types || query.types.includes(p.OperationType))
        .filter((p) => (!query.start || p.Date >= query.start) && (!query.end || p.Date <= query.end))
        // Date, then id: a stable order for Offset paging (the real order is UNKNOWN).
        .sort((a, b) => a.Date.localeCompare(b.Date) || a.DocumentBaseId - b.DocumentBaseId)
      const page = matching.slice(query.offset, query.offset + query.limit).map((p) => cased(ctx, operationView(ctx, firm, p)))
      return { body: { data: page, offset: query.offset, limit: query.limit, totalCount: matching.length } }
    }),
  )

  router.add(
    'GET',
    `${PAYMENT_FROM_CUSTOMER_PATH}/:id`,
    guarded(ctx, 'money', (_req, params, firm) => {
      const payment = find(firm, params.id)
      return payment && payment.OperationType === PAYMENT_FROM_CUSTOMER ? envelope(ctx, paymentView(ctx, firm, payment)) : notFound()
    }),
  )

  router.add(
    'POST',
    PAYMENT_FROM_CUSTOMER_PATH,
    guarded(ctx, 'money', (req, _params, firm) => {
      const body = requireBody(req, ctx.switches)
      if ('error' in body) return moneyValidation(ctx, { request: ['Тело запроса не может быть пустым.'] })
      const parsed = parseSave(ctx, firm, body.body)
      if ('errors' in parsed) return moneyValidation(ctx, parsed.errors)
      const payment: PaymentRecord = {
        DocumentBaseId: ctx.store.ids.next('document'),
        Number: parsed.number,
        Date: parsed.date,
        sumKopecks: parsed.sum,
        KontragentId: parsed.kontragentId,
        Description: parsed.description,
        OperationType: PAYMENT_FROM_CUSTOMER,
        links: parsed.links,
        modifyDate: ctx.clock.now(),
        details: parsed.details,
      }
      firm.payments.set(payment.DocumentBaseId, payment)
      paymentEvent(ctx, firm, payment.links.map((l) => l.billId))
      return envelope(ctx, paymentView(ctx, firm, payment), 201)
    }),
  )

  router.add(
    'PUT',
    `${PAYMENT_FROM_CUSTOMER_PATH}/:id`,
    guarded(ctx, 'money', (req, params, firm) => {
      const payment = find(firm, params.id)
      if (!payment) return notFound()
      const body = requireBody(req, ctx.switches)
      if ('error' in body) return moneyValidation(ctx, { request: ['Тело запроса не может быть пустым.'] })
      const parsed = parseSave(ctx, firm, body.body)
      if ('errors' in parsed) return moneyValidation(ctx, parsed.errors)
      const touched = [...payment.links, ...parsed.links].map((l) => l.billId)
      Object.assign(payment, {
        Number: parsed.number,
        Date: parsed.date,
        sumKopecks: parsed.sum,
        KontragentId: parsed.kontragentId,
        Description: parsed.description,
        links: parsed.links,
        modifyDate: ctx.clock.now(),
        details: parsed.details,
      })
      paymentEvent(ctx, firm, touched)
      return envelope(ctx, paymentView(ctx, firm, payment))
    }),
  )

  router.add(
    'DELETE',
    `${PAYMENT_FROM_CUSTOMER_PATH}/:id`,
    guarded(ctx, 'money', (_req, params, firm) => {
      const payment = find(firm, params.id)
      if (!payment) return notFound()
      firm.payments.delete(payment.DocumentBaseId)
      paymentEvent(ctx, firm, payment.links.map((l) => l.billId))
      // The controller declares 202 but answers 200 (spec §2.2).
      return { status: 200 }
    }),
  )

  router.add(
    'POST',
    `${PAYMENT_FROM_CUSTOMER_PATH}/:id/SetReserve`,
    guarded(ctx, 'money', (req, params, firm) => {
      const payment = find(firm, params.id)
      if (!payment) return notFound()
      const reserve = scaled(bodyField(req.body ?? {}, 'ReserveSum'), 2)
      if (typeof reserve !== 'bigint' || reserve < 0n || reserve > payment.sumKopecks) {
        return moneyValidation(ctx, { ReserveSum: ['Сумма резерва должна быть от нуля до суммы платежа.'] })
      }
      payment.details = { ...(payment.details ?? defaultDetails()), reserveKopecks: reserve }
      payment.modifyDate = ctx.clock.now()
      return envelope(ctx, paymentView(ctx, firm, payment))
    }),
  )
}

/** Details of a statement-imported payment when the Money API first touches it. */
function defaultDetails(): PaymentDetails {
  return {
    settlementAccountId: 0,
    contractId: null,
    nds: null,
    isMainContractor: true,
    provideInAccounting: true,
    reserveKopecks: 0n,
    taxationSystemType: null,
    patentId: null,
  }
}
