/**
 * Sales bills — `/accounting/api/v1/sales/bill` (spec §4, §13), plus the test-only bank payment
 * import (spec §6.3, §13) that drives `PaidSum`, `Status` and `Payments[]`, and the bill PDF at a
 * configurable route (spec §4.6: UNKNOWN in MoeDelo, an emulator choice).
 *
 * Money is computed exactly in kopecks (bigint), rounded half-up per line; responses carry JSON numbers.
 */
import { randomBytes } from 'node:crypto'
import type { EmulatorResponse, Router } from '../shared/http'
import { compilePathPattern, type DynamicRouter } from './dynamic-router'
import { guarded, type EmulatorContext } from './guard'
import {
  bodyField,
  bool,
  DATE_ONLY,
  errorResponse,
  FieldErrorCollector,
  int,
  listEnvelope,
  modifyDateFilter,
  pageParams,
  parseInstant,
  queryParam,
  recordById,
  requireBody,
  str,
  validationError,
} from './legacy'
import type { BillItemDto, BillRecord, FirmState, PaymentRecord } from './state'

export const BILL_PATH = '/accounting/api/v1/sales/bill'

export const BILL_STATUS = { notPaid: 4, partiallyPaid: 5, paid: 6 } as const
const NDS_TYPES = new Set([-1, 0, 5, 7, 10, 18, 20, 22])
const MSK_OFFSET_MS = 3 * 3_600_000

// ---------- exact decimals ----------

type Scaled = bigint | 'invalid' | 'too_precise' | undefined

/** A JSON number or numeric string (Json.NET binds both to decimal) → integer scaled by 10^scale. */
export function scaled(value: unknown, scale: number): Scaled {
  if (value === undefined || value === null || value === '') return undefined
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : ''
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return 'invalid'
  const frac = (m[3] ?? '').replace(/0+$/, '')
  if (frac.length > scale) return 'too_precise'
  const abs = BigInt(m[2]!) * 10n ** BigInt(scale) + BigInt(frac.padEnd(scale, '0') || '0')
  return m[1] === '-' ? -abs : abs
}

/** Integer division rounded half away from zero; `d > 0`. */
export function roundDiv(n: bigint, d: bigint): bigint {
  const negative = n < 0n
  const a = negative ? -n : n
  const q = (a * 2n + d) / (d * 2n)
  return negative ? -q : q
}

export function kopecksToNumber(k: bigint): number {
  const negative = k < 0n
  const a = negative ? -k : k
  return Number(`${negative ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`)
}

export function scaledToNumber(v: bigint, scale: number): number {
  const negative = v < 0n
  const a = negative ? -v : v
  const f = 10n ** BigInt(scale)
  return Number(`${negative ? '-' : ''}${a / f}.${String(a % f).padStart(scale, '0')}`)
}

// ---------- dates (Moscow time, spec §2.1) ----------

export const moscowDate = (d: Date): string => new Date(d.getTime() + MSK_OFFSET_MS).toISOString().slice(0, 10)
/** `2025-03-01T15:04:05.123+03:00` (the emulator's choice of timestamp format; the real one is UNKNOWN). */
export const moscowTimestamp = (d: Date): string => new Date(d.getTime() + MSK_OFFSET_MS).toISOString().replace('Z', '+03:00')

/** `yyyy-MM-dd` or an ISO timestamp (with or without offset; without = Moscow) → `yyyy-MM-dd` in Moscow. */
export function parseDocDate(value: unknown): string | 'invalid' | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') return 'invalid'
  const text = value.trim()
  const m = DATE_ONLY.exec(text)
  if (m) {
    const d = new Date(`${text}T00:00:00Z`)
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? 'invalid' : text
  }
  const instant = parseInstant(text)
  return instant === 'invalid' ? 'invalid' : moscowDate(instant)
}

// ---------- sums ----------

export function paidKopecks(firm: FirmState, billId: number): bigint {
  let total = 0n
  for (const p of firm.payments.values()) for (const l of p.links) if (l.billId === billId) total += l.sumKopecks
  return total
}

/** 0 → 4, partial → 5, ≥ Sum → 6 (spec §4.5, §13). */
export function computedStatus(sum: bigint, paid: bigint): number {
  if (paid <= 0n) return BILL_STATUS.notPaid
  return paid >= sum ? BILL_STATUS.paid : BILL_STATUS.partiallyPaid
}

export function billStatus(firm: FirmState, bill: BillRecord): number {
  return bill.manualStatus ?? computedStatus(bill.sumKopecks, paidKopecks(firm, bill.Id))
}

interface ParsedItems {
  items: BillItemDto[]
  sum: bigint
}

/**
 * Validates the lines and computes their sums (spec §13): line = round(Price × Count), then the
 * discount, rounded to a kopeck; VAT per `NdsPositionType`: 1 none, 2 on top, 3 included.
 */
function parseItems(
  ctx: EmulatorContext,
  firm: FirmState,
  raw: unknown,
  ndsPositionType: number,
  errors: FieldErrorCollector,
  keepIds: Set<number>,
): ParsedItems {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.add('Items', 'Счёт должен содержать хотя бы одну позицию.')
    return { items: [], sum: 0n }
  }
  const items: BillItemDto[] = []
  let sum = 0n
  raw.forEach((entry, i) => {
    const at = (field: string) => `Items[${i}].${field}`
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.add(`Items[${i}]`, 'Позиция должна быть объектом.')
      return
    }
    const item = entry as Record<string, unknown>
    const before = Object.keys(errors.errors).length
    const name = str(bodyField(item, 'Name'))
    if (!name) errors.add(at('Name'), 'Не указано наименование.')
    else if (name.length > 1000) errors.add(at('Name'), 'Наименование не может быть длиннее 1000 символов.')
    const count = scaled(bodyField(item, 'Count'), 4)
    if (count === undefined) errors.add(at('Count'), 'Не указано количество.')
    else if (count === 'invalid' || count === 'too_precise') errors.add(at('Count'), 'Количество должно быть числом не более чем с 4 знаками после запятой.')
    else if (count <= 0n) errors.add(at('Count'), 'Количество должно быть больше нуля.')
    const unit = str(bodyField(item, 'Unit'))
    if (!unit) errors.add(at('Unit'), 'Не указана единица измерения.')
    else if (unit.length > 100) errors.add(at('Unit'), 'Единица измерения не может быть длиннее 100 символов.')
    const type = int(bodyField(item, 'Type'))
    if (type !== 1 && type !== 2) errors.add(at('Type'), 'Тип позиции должен быть 1 (товар) или 2 (услуга).')
    const price = scaled(bodyField(item, 'Price'), 4)
    if (price === undefined) errors.add(at('Price'), 'Не указана цена.')
    else if (price === 'invalid' || price === 'too_precise') errors.add(at('Price'), 'Цена должна быть числом не более чем с 4 знаками после запятой.')
    else if (price < 0n) errors.add(at('Price'), 'Цена не может быть отрицательной.')
    const ndsRaw = int(bodyField(item, 'NdsType'))
    const nds = ndsRaw === undefined || ndsRaw === null ? -1 : ndsRaw
    if (nds === 'invalid' || !NDS_TYPES.has(nds)) errors.add(at('NdsType'), 'Недопустимая ставка НДС.')
    const discount = scaled(bodyField(item, 'DiscountRate'), 2)
    if (discount === 'invalid' || discount === 'too_precise' || (typeof discount === 'bigint' && (discount < 0n || discount > 9990n))) {
      errors.add(at('DiscountRate'), 'Скидка должна быть от 0 до 99,9 %.')
    }
    const stockProductId = int(bodyField(item, 'StockProductId'))
    if (stockProductId === 'invalid') errors.add(at('StockProductId'), 'Недопустимый идентификатор товара.')
    else if (typeof stockProductId === 'number' && ctx.switches.billStockProductCheck === 'reject' && !firm.goods.has(stockProductId)) {
      errors.add(at('StockProductId'), 'Товар или материал не найден.')
    }
    if (Object.keys(errors.errors).length > before) return
    if (typeof count !== 'bigint' || typeof price !== 'bigint' || typeof nds !== 'number' || !name || !unit) return

    // Price (scale 4) × Count (scale 4) = scale 8 → kopecks (scale 2).
    let base = roundDiv(price * count, 1_000_000n)
    if (typeof discount === 'bigint' && discount > 0n) base = roundDiv(base * (10_000n - discount), 10_000n)
    const rate = BigInt(Math.max(nds, 0))
    let net = base
    let vat = 0n
    let gross = base
    if (ndsPositionType === 2 && rate > 0n) {
      vat = roundDiv(base * rate, 100n)
      gross = base + vat
    } else if (ndsPositionType === 3 && rate > 0n) {
      vat = roundDiv(base * rate, 100n + rate)
      net = base - vat
    }
    sum += gross
    const sentId = int(bodyField(item, 'Id'))
    items.push({
      Id: typeof sentId === 'number' && keepIds.has(sentId) ? sentId : ctx.store.ids.next('billItem'),
      StockProductId: typeof stockProductId === 'number' ? stockProductId : null,
      Name: name,
      Count: scaledToNumber(count, 4),
      Unit: unit,
      Type: type as number,
      Price: scaledToNumber(price, 4),
      NdsType: nds,
      DiscountRate: typeof discount === 'bigint' ? scaledToNumber(discount, 2) : null,
      SumWithoutNds: kopecksToNumber(net),
      NdsSum: kopecksToNumber(vat),
      SumWithNds: kopecksToNumber(gross),
      Country: str(bodyField(item, 'Country')) ?? null,
      CountryIso: str(bodyField(item, 'CountryIso')) ?? null,
      IsUnmeasurable: bool(bodyField(item, 'IsUnmeasurable')) ?? false,
      ActivityAccountCode: null,
    })
  })
  return { items, sum }
}

const yearOf = (date: string) => date.slice(0, 4)
const sameNumber = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/** Next number within the bill's calendar year: 1 + the largest numeric number used that year. */
function nextNumber(firm: FirmState, year: string): string {
  let max = 0
  for (const b of firm.bills.values()) {
    if (yearOf(b.DocDate) === year && /^\d+$/.test(b.Number.trim())) max = Math.max(max, Number(b.Number.trim()))
  }
  return String(max + 1)
}

/** Parses and validates a create/update body into a bill (not stored yet). */
function parseBill(
  ctx: EmulatorContext,
  firm: FirmState,
  body: Record<string, unknown>,
  existing?: BillRecord,
): { bill: BillRecord } | { errors: FieldErrorCollector } {
  const errors = new FieldErrorCollector()
  const kontragentId = int(bodyField(body, 'KontragentId'))
  if (kontragentId === undefined || kontragentId === null) errors.add('KontragentId', 'Не указан контрагент.')
  else if (kontragentId === 'invalid' || !firm.kontragents.has(kontragentId)) errors.add('KontragentId', 'Контрагент не найден.')

  const now = ctx.clock.now()
  const docDate = parseDocDate(bodyField(body, 'DocDate'))
  if (docDate === 'invalid') errors.add('DocDate', 'Недопустимая дата документа.')
  const deadLine = parseDocDate(bodyField(body, 'DeadLine'))
  if (deadLine === 'invalid') errors.add('DeadLine', 'Недопустимая дата окончания действия счёта.')

  const type = int(bodyField(body, 'Type'))
  if (type !== undefined && type !== null && type !== 1 && type !== 2) errors.add('Type', 'Тип счёта должен быть 1 (счёт) или 2 (счёт-договор).')
  const status = int(bodyField(body, 'Status'))
  if (status !== undefined && status !== null && status !== 4 && status !== 5 && status !== 6) {
    errors.add('Status', 'Статус счёта должен быть 4 (не оплачен), 5 (частично оплачен) или 6 (оплачен).')
  }
  const ndsPositionType = int(bodyField(body, 'NdsPositionType'))
  if (ndsPositionType !== undefined && ndsPositionType !== null && ndsPositionType !== 1 && ndsPositionType !== 2 && ndsPositionType !== 3) {
    errors.add('NdsPositionType', 'Способ учёта НДС должен быть 1 (без НДС), 2 (сверху) или 3 (в том числе).')
  }
  const positionType = typeof ndsPositionType === 'number' ? ndsPositionType : (existing?.NdsPositionType ?? 1)
  const ids: Record<'ProjectId' | 'StockId' | 'SettlementAccountId', number | null> = { ProjectId: null, StockId: null, SettlementAccountId: null }
  for (const field of ['ProjectId', 'StockId', 'SettlementAccountId'] as const) {
    const v = int(bodyField(body, field))
    if (v === 'invalid') errors.add(field, 'Недопустимый идентификатор.')
    else ids[field] = v ?? null
  }
  const keepIds = new Set(existing?.Items.map((i) => i.Id) ?? [])
  const { items, sum } = parseItems(ctx, firm, bodyField(body, 'Items'), positionType, errors, keepIds)

  const effectiveDocDate = typeof docDate === 'string' && docDate !== 'invalid' ? docDate : (existing?.DocDate ?? moscowDate(now))
  const sentNumber = str(bodyField(body, 'Number'))?.trim()
  let number = sentNumber || (existing && yearOf(existing.DocDate) === yearOf(effectiveDocDate) ? existing.Number : undefined)
  if (sentNumber && ctx.switches.billNumberDuplicates === 'reject') {
    const clash = [...firm.bills.values()].some(
      (b) => b.Id !== existing?.Id && yearOf(b.DocDate) === yearOf(effectiveDocDate) && sameNumber(b.Number, sentNumber),
    )
    if (clash) errors.add('Number', `Счёт с номером ${sentNumber} за ${yearOf(effectiveDocDate)} год уже существует.`)
  }
  if (!errors.empty) return { errors }
  number ??= nextNumber(firm, yearOf(effectiveDocDate))

  const bill: BillRecord = {
    Id: existing?.Id ?? 0,
    Number: number,
    DocDate: effectiveDocDate,
    DeadLine: typeof deadLine === 'string' ? deadLine : null,
    KontragentId: kontragentId as number,
    ProjectId: ids.ProjectId,
    StockId: ids.StockId,
    SettlementAccountId: ids.SettlementAccountId,
    Type: typeof type === 'number' ? type : 1,
    manualStatus: typeof status === 'number' ? status : (existing?.manualStatus ?? null),
    AdditionalInfo: str(bodyField(body, 'AdditionalInfo')) ?? null,
    ContractSubject: str(bodyField(body, 'ContractSubject')) ?? null,
    Comment: str(bodyField(body, 'Comment')) ?? null,
    NdsPositionType: positionType,
    IsCovered: bool(bodyField(body, 'IsCovered')) ?? false,
    UseStampAndSign: bool(bodyField(body, 'UseStampAndSign')) ?? false,
    Items: items,
    sumKopecks: sum,
    onlineToken: existing?.onlineToken ?? randomBytes(16).toString('hex'),
    createDate: existing?.createDate ?? now,
    modifyDate: now,
  }
  return { bill }
}

// ---------- response shapes (spec §4.4) ----------

/** `SalesBillCollectionItemDto`: what lists return (no Items, no Payments). */
export function billCollectionItem(firm: FirmState, b: BillRecord): Record<string, unknown> {
  return {
    Id: b.Id,
    Number: b.Number,
    DocDate: b.DocDate,
    Type: b.Type,
    Status: billStatus(firm, b),
    KontragentId: b.KontragentId,
    SettlementAccount: b.SettlementAccountId === null ? null : { AccountId: b.SettlementAccountId, AccountNumber: null },
    ProjectId: b.ProjectId,
    StockId: b.StockId,
    DeadLine: b.DeadLine,
    AdditionalInfo: b.AdditionalInfo,
    ContractSubject: b.ContractSubject,
    NdsPositionType: b.NdsPositionType,
    IsCovered: b.IsCovered,
    Sum: kopecksToNumber(b.sumKopecks),
    PaidSum: kopecksToNumber(paidKopecks(firm, b.Id)),
    Comment: b.Comment,
  }
}

/** `SalesBillDto`: the full bill (GET by id, byIds, create, update). */
export function fullBill(firm: FirmState, b: BillRecord): Record<string, unknown> {
  const payments = [...firm.payments.values()]
    .flatMap((p) => p.links.filter((l) => l.billId === b.Id).map((l) => ({ p, l })))
    .sort((x, y) => x.p.Date.localeCompare(y.p.Date) || x.p.DocumentBaseId - y.p.DocumentBaseId)
    .map(({ p, l }) => ({ Id: p.DocumentBaseId, Number: p.Number, Date: p.Date, Sum: kopecksToNumber(l.sumKopecks) }))
  return {
    ...billCollectionItem(firm, b),
    UseStampAndSign: b.UseStampAndSign,
    Online: `/bill/online/${b.onlineToken}`,
    Items: b.Items,
    Payments: payments,
    Context: { CreateDate: moscowTimestamp(b.createDate), ModifyDate: moscowTimestamp(b.modifyDate), ModifyUser: 'API' },
  }
}

// ---------- PDF (spec §4.6: an emulator choice) ----------

/** A one-page PDF 1.4 with Helvetica text and a correct cross-reference table. Non-ASCII becomes `?`. */
export function minimalPdf(lines: string[], title?: string): Buffer {
  const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, '\\$&')
  const content = `BT /F1 14 Tf 72 770 Td 20 TL ${lines.map((l) => `(${esc(l)}) Tj T*`).join(' ')} ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ]
  if (title !== undefined) objects.push(`<< /Title (${esc(title)}) /Producer (MoeDelo emulator) >>`)
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'))
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  const info = title !== undefined ? ` /Info ${objects.length} 0 R` : ''
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${info} >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

function billPdf(firm: FirmState, b: BillRecord): Buffer {
  return minimalPdf(
    [
      `Bill No. ${b.Number} of ${b.DocDate}`,
      `Kontragent ${b.KontragentId}`,
      ...b.Items.map((i, n) => `${n + 1}. ${i.Name} x ${i.Count} = ${i.SumWithNds}`),
      `Total: ${kopecksToNumber(b.sumKopecks)} RUB`,
      `Paid: ${kopecksToNumber(paidKopecks(firm, b.Id))} RUB`,
    ],
    `Bill ${b.Number}`,
  )
}

// ---------- payments (test-only import, spec §6.3) ----------

/** After a payment event: the manual Status is dropped and, when the switch says so, ModifyDate moves. */
export function paymentEvent(ctx: EmulatorContext, firm: FirmState, billIds: Iterable<number>): void {
  for (const id of new Set(billIds)) {
    const bill = firm.bills.get(id)
    if (!bill) continue
    bill.manualStatus = null
    if (ctx.switches.paymentLinkBumpsModifyDate) bill.modifyDate = ctx.clock.now()
  }
}

function paymentView(p: PaymentRecord): Record<string, unknown> {
  return {
    DocumentBaseId: p.DocumentBaseId,
    Number: p.Number,
    Date: p.Date,
    Sum: kopecksToNumber(p.sumKopecks),
    OperationType: p.OperationType,
    KontragentId: p.KontragentId,
    Description: p.Description,
    BillLinks: p.links.map((l) => ({ BillBaseId: l.billId, LinkSum: kopecksToNumber(l.sumKopecks) })),
    ModifyDate: moscowTimestamp(p.modifyDate),
  }
}

/**
 * A bank receipt («Оплата от покупателя», operation type 16) as a bank-statement import creates it:
 * `{Sum, BillId?, LinkSum?, Date?, Number?, KontragentId?, Description?}`, linked to the bill (with
 * `LinkSum`, default `Sum`) or left unlinked. Recomputes the bill's PaidSum / Status / Payments.
 */
export function importPayment(
  ctx: EmulatorContext,
  firm: FirmState,
  body: Record<string, unknown>,
): { payment: PaymentRecord; bill: BillRecord | undefined } | { error: string } {
  const sum = scaled(bodyField(body, 'Sum'), 2)
  if (typeof sum !== 'bigint' || sum <= 0n) return { error: 'Sum must be a positive amount with at most 2 decimals' }
  const billId = int(bodyField(body, 'BillId'))
  const bill = typeof billId === 'number' ? firm.bills.get(billId) : undefined
  if (billId !== undefined && billId !== null && !bill) return { error: 'no such bill' }
  const linkSum = bodyField(body, 'LinkSum') === undefined ? sum : scaled(bodyField(body, 'LinkSum'), 2)
  if (typeof linkSum !== 'bigint' || linkSum <= 0n || linkSum > sum) return { error: 'LinkSum must be positive and not above Sum' }
  const date = parseDocDate(bodyField(body, 'Date')) ?? moscowDate(ctx.clock.now())
  if (date === 'invalid') return { error: 'invalid Date' }
  const id = ctx.store.ids.next('document')
  const kontragentId = int(bodyField(body, 'KontragentId'))
  const payment: PaymentRecord = {
    DocumentBaseId: id,
    Number: str(bodyField(body, 'Number')) ?? String(id % 100_000),
    Date: date,
    sumKopecks: sum,
    KontragentId: typeof kontragentId === 'number' ? kontragentId : (bill?.KontragentId ?? null),
    Description: str(bodyField(body, 'Description')) ?? (bill ? `Оплата по счёту № ${bill.Number} от ${bill.DocDate}` : null),
    OperationType: 16,
    links: bill ? [{ billId: bill.Id, sumKopecks: linkSum }] : [],
    modifyDate: ctx.clock.now(),
  }
  firm.payments.set(id, payment)
  if (bill) paymentEvent(ctx, firm, [bill.Id])
  return { payment, bill }
}

// ---------- routes ----------

export function registerBillRoutes(router: DynamicRouter, ctx: EmulatorContext): void {
  const sw = () => ctx.switches
  const notFound = (): EmulatorResponse => errorResponse(404, sw().notFoundBody)
  const find = (firm: FirmState, raw: string | undefined) => recordById(firm.bills, raw)

  router.add(
    'GET',
    BILL_PATH,
    guarded(ctx, 'accounting', (req, _params, firm) => {
      const errors = new FieldErrorCollector()
      const { pageNo, pageSize } = pageParams(req, ctx.switches, errors)
      const modifiedInRange = modifyDateFilter(req, errors)
      const docDates: Partial<Record<'docAfterDate' | 'docBeforeDate', string>> = {}
      for (const name of ['docAfterDate', 'docBeforeDate'] as const) {
        const parsed = parseDocDate(queryParam(req, name)?.trim())
        if (parsed === 'invalid') errors.add(name, `Недопустимое значение ${name}.`)
        else if (parsed) docDates[name] = parsed
      }
      const ids: Partial<Record<'kontragentId' | 'projectId', number>> = {}
      for (const name of ['kontragentId', 'projectId'] as const) {
        const v = int(queryParam(req, name)?.trim() || undefined)
        if (v === 'invalid') errors.add(name, `Недопустимое значение ${name}.`)
        else if (typeof v === 'number') ids[name] = v
      }
      if (!errors.empty) return validationError(sw(), errors.errors)
      const number = queryParam(req, 'number')?.trim()
      const matching = [...firm.bills.values()]
        .filter(modifiedInRange)
        .filter((b) => !docDates.docAfterDate || b.DocDate >= docDates.docAfterDate)
        .filter((b) => !docDates.docBeforeDate || b.DocDate <= docDates.docBeforeDate)
        .filter((b) => ids.kontragentId === undefined || b.KontragentId === ids.kontragentId)
        .filter((b) => ids.projectId === undefined || b.ProjectId === ids.projectId)
        .filter((b) => !number || sameNumber(b.Number, number))
        .sort((a, b) => a.Id - b.Id)
      return { body: listEnvelope(matching, pageNo, pageSize, (b) => billCollectionItem(firm, b)) }
    }),
  )

  router.add(
    'POST',
    `${BILL_PATH}/byIds`,
    guarded(ctx, 'accounting', (req, _params, firm) => {
      const raw: unknown = req.body
      if (!Array.isArray(raw)) return validationError(sw(), { ids: ['Тело запроса должно быть массивом идентификаторов счетов.'] })
      if (raw.length > sw().billByIdsMax) {
        return validationError(sw(), { ids: [`Можно запросить не больше ${sw().billByIdsMax} счетов за один раз.`] })
      }
      const ids = raw.map((v) => int(v))
      if (ids.some((v) => typeof v !== 'number')) return validationError(sw(), { ids: ['Идентификаторы счетов должны быть целыми числами.'] })
      // Unknown ids are skipped (an emulator choice); duplicates are answered once.
      const seen = new Set<number>()
      const bills = (ids as number[])
        .filter((id) => !seen.has(id) && seen.add(id))
        .map((id) => firm.bills.get(id))
        .filter((b): b is BillRecord => b !== undefined)
        .map((b) => fullBill(firm, b))
      return { body: bills }
    }),
  )

  router.add(
    'POST',
    BILL_PATH,
    guarded(ctx, 'accounting', (req, _params, firm) => {
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const result = parseBill(ctx, firm, parsed.body)
      if ('errors' in result) return validationError(sw(), result.errors.errors)
      result.bill.Id = ctx.store.ids.next('document')
      firm.bills.set(result.bill.Id, result.bill)
      return { status: 201, body: fullBill(firm, result.bill) }
    }),
  )

  router.add(
    'GET',
    `${BILL_PATH}/:id`,
    guarded(ctx, 'accounting', (_req, params, firm) => {
      const bill = find(firm, params.id)
      return bill ? { body: fullBill(firm, bill) } : notFound()
    }),
  )

  router.add(
    'PUT',
    `${BILL_PATH}/:id`,
    guarded(ctx, 'accounting', (req, params, firm) => {
      const existing = find(firm, params.id)
      if (!existing) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const result = parseBill(ctx, firm, parsed.body, existing)
      if ('errors' in result) return validationError(sw(), result.errors.errors)
      firm.bills.set(existing.Id, result.bill)
      return { body: fullBill(firm, result.bill) }
    }),
  )

  router.add(
    'DELETE',
    `${BILL_PATH}/:id`,
    guarded(ctx, 'accounting', (_req, params, firm) => {
      const existing = find(firm, params.id)
      if (!existing) return notFound()
      deleteBill(firm, existing.Id)
      return { status: sw().deleteStatus }
    }),
  )

  const pdfHandler = guarded(ctx, 'accounting', (_req, params, firm) => {
    if (!sw().billPdfAvailable) return notFound()
    const bill = find(firm, params.id)
    if (!bill) return notFound()
    return {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="bill-${bill.Id}.pdf"` },
      body: billPdf(firm, bill),
    }
  })
  router.fallback((method, path) => {
    if (method !== 'GET') return undefined
    const m = compilePathPattern(sw().billPdfPath).exec(path)
    return m ? { handler: pdfHandler, params: { id: decodeURIComponent(m.groups?.id ?? '') } } : undefined
  })
}

/** A bill for seeding large datasets: one service line without VAT worth `Sum`. */
export interface BillSeed {
  Number: string
  DocDate: string
  DeadLine?: string | null
  KontragentId: number
  /** Roubles with at most 2 decimals (text or number). */
  Sum: string | number
  /** Context.CreateDate and ModifyDate; default now on the virtual clock. */
  modifyDate?: Date
}

/**
 * Stores a bill without validation or numbering checks (no O(n) duplicate scan), for benchmarks that
 * need a hundred thousand bills. The shape is the same as a bill created over the API.
 */
export function seedBill(ctx: EmulatorContext, firm: FirmState, seed: BillSeed): BillRecord {
  const sum = scaled(seed.Sum, 2)
  if (typeof sum !== 'bigint' || sum < 0n) throw new Error(`seedBill: invalid Sum ${String(seed.Sum)}`)
  const at = seed.modifyDate ?? ctx.clock.now()
  const amount = kopecksToNumber(sum)
  const bill: BillRecord = {
    Id: ctx.store.ids.next('document'),
    Number: seed.Number,
    DocDate: seed.DocDate,
    DeadLine: seed.DeadLine ?? null,
    KontragentId: seed.KontragentId,
    ProjectId: null,
    StockId: null,
    SettlementAccountId: null,
    Type: 1,
    manualStatus: null,
    AdditionalInfo: null,
    ContractSubject: null,
    Comment: null,
    NdsPositionType: 1,
    IsCovered: false,
    UseStampAndSign: false,
    Items: [
      {
        Id: ctx.store.ids.next('billItem'),
        StockProductId: null,
        Name: 'Услуги по договору',
        Count: 1,
        Unit: 'усл',
        Type: 2,
        Price: amount,
        NdsType: -1,
        DiscountRate: null,
        SumWithoutNds: amount,
        NdsSum: 0,
        SumWithNds: amount,
        Country: null,
        CountryIso: null,
        IsUnmeasurable: false,
        ActivityAccountCode: null,
      },
    ],
    sumKopecks: sum,
    onlineToken: randomBytes(16).toString('hex'),
    createDate: at,
    modifyDate: at,
  }
  firm.bills.set(bill.Id, bill)
  return bill
}

/** Removes a bill and its payment links (the payments themselves stay, unlinked). */
export function deleteBill(firm: FirmState, id: number): boolean {
  if (!firm.bills.delete(id)) return false
  for (const p of firm.payments.values()) p.links = p.links.filter((l) => l.billId !== id)
  return true
}

/** Control routes: bill dump and removal, bank payment import with an optional bill link (spec §13). */
export function registerBillControlRoutes(control: Router, ctx: EmulatorContext): void {
  const withFirm = (apiKey: string | undefined, fn: (firm: FirmState) => EmulatorResponse): EmulatorResponse => {
    const firm = apiKey ? ctx.store.firms.get(apiKey) : undefined
    return firm ? fn(firm) : { status: 404, body: { error: 'unknown apiKey' } }
  }
  control
    .add('GET', '/firms/:apiKey/bills', (_req, p) =>
      withFirm(p.apiKey, (firm) => ({
        body: {
          bills: [...firm.bills.values()].map((b) => ({ ...fullBill(firm, b), ManualStatus: b.manualStatus })),
          payments: [...firm.payments.values()].map(paymentView),
        },
      })),
    )
    .add('DELETE', '/firms/:apiKey/bills', (_req, p) =>
      withFirm(p.apiKey, (firm) => {
        firm.bills.clear()
        firm.payments.clear()
        return { status: 204 }
      }),
    )
    .add('DELETE', '/firms/:apiKey/bills/:id', (_req, p) =>
      withFirm(p.apiKey, (firm) =>
        deleteBill(firm, Number(p.id)) ? { status: 204 } : { status: 404, body: { error: 'no such bill' } },
      ),
    )
    .add('GET', '/firms/:apiKey/payments', (_req, p) =>
      withFirm(p.apiKey, (firm) => ({ body: { payments: [...firm.payments.values()].map(paymentView) } })),
    )
    .add('POST', '/firms/:apiKey/payments', (req, p) =>
      withFirm(p.apiKey, (firm) => {
        const result = importPayment(ctx, firm, req.body ?? {})
        if ('error' in result) return { status: 400, body: { error: result.error } }
        return { status: 201, body: { payment: paymentView(result.payment), bill: result.bill ? fullBill(firm, result.bill) : null } }
      }),
    )
    .add('POST', '/firms/:apiKey/payments/:paymentId/links', (req, p) =>
      withFirm(p.apiKey, (firm) => {
        const payment = firm.payments.get(Number(p.paymentId))
        if (!payment) return { status: 404, body: { error: 'no such payment' } }
        const bill = firm.bills.get(Number(bodyField(req.body ?? {}, 'BillId')))
        if (!bill) return { status: 400, body: { error: 'no such bill' } }
        const linked = payment.links.reduce((s, l) => s + l.sumKopecks, 0n)
        const rawSum = bodyField(req.body ?? {}, 'LinkSum')
        const linkSum = rawSum === undefined ? payment.sumKopecks - linked : scaled(rawSum, 2)
        if (typeof linkSum !== 'bigint' || linkSum <= 0n || linked + linkSum > payment.sumKopecks) {
          return { status: 400, body: { error: 'LinkSum must be positive and the links must not exceed the payment' } }
        }
        payment.links = [...payment.links.filter((l) => l.billId !== bill.Id), { billId: bill.Id, sumKopecks: linkSum }]
        payment.modifyDate = ctx.clock.now()
        paymentEvent(ctx, firm, [bill.Id])
        return { status: 201, body: { payment: paymentView(payment), bill: fullBill(firm, bill) } }
      }),
    )
    .add('DELETE', '/firms/:apiKey/payments/:paymentId/links/:billId', (_req, p) =>
      withFirm(p.apiKey, (firm) => {
        const payment = firm.payments.get(Number(p.paymentId))
        if (!payment || !payment.links.some((l) => l.billId === Number(p.billId))) return { status: 404, body: { error: 'no such link' } }
        payment.links = payment.links.filter((l) => l.billId !== Number(p.billId))
        payment.modifyDate = ctx.clock.now()
        paymentEvent(ctx, firm, [Number(p.billId)])
        return { status: 204 }
      }),
    )
    .add('DELETE', '/firms/:apiKey/payments/:paymentId', (_req, p) =>
      withFirm(p.apiKey, (firm) => {
        const payment = firm.payments.get(Number(p.paymentId))
        if (!payment) return { status: 404, body: { error: 'no such payment' } }
        firm.payments.delete(payment.DocumentBaseId)
        paymentEvent(ctx, firm, payment.links.map((l) => l.billId))
        return { status: 204 }
      }),
    )
}
