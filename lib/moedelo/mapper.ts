/** Vendor ⇄ app conversions: counterparties, sales bills, stock goods. */
import { numberToDecimalText } from '../domain/decimal'
import { moneyToNumber, quantityToNumber, sumMoney, tryParseMoney, tryParseQuantity, ZERO, type Kopecks, type Quantity } from '../domain/kopecks'
import type { VatMode } from '../domain/vat'
import { MoeDeloError } from './errors'
import type {
  Bill,
  BillDraft,
  BillItem,
  BillItemKind,
  BillKind,
  BillStatus,
  BillSummary,
  BillVatRate,
  Counterparty,
  CounterpartyForm,
  CounterpartyInput,
  CounterpartyRole,
  CounterpartyUpdate,
  GoodsGroup,
  MoneyOperation,
  StockGood,
  StockGoodInput,
  StockGoodKind,
} from './model'
import type {
  BillCollectionItemDto,
  BillDto,
  BillItemDto,
  BillSaveDto,
  GoodDto,
  GoodSaveDto,
  KontragentDto,
  KontragentSaveDto,
  MoneyOperationDto,
  NomenclatureDto,
} from './types'

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

// ---------- sales bills (spec §4, §10) ----------

const BILL_STATUSES: Record<number, BillStatus> = { 4: 'unpaid', 5: 'partially_paid', 6: 'paid' }
const BILL_STATUS_NAMES: Record<string, BillStatus> = { NOTPAID: 'unpaid', PARTIALLYPAID: 'partially_paid', PAID: 'paid' }
const BILL_KINDS: Record<number, BillKind> = { 1: 'bill', 2: 'bill_contract' }
const BILL_KIND_NAMES: Record<string, BillKind> = { DEFAULT: 'bill', BILL: 'bill', BILLCONTRACT: 'bill_contract', CONTRACT: 'bill_contract' }
const ITEM_KINDS: Record<number, BillItemKind> = { 1: 'goods', 2: 'service' }
const ITEM_KIND_NAMES: Record<string, BillItemKind> = { GOODS: 'goods', GOOD: 'goods', SERVICE: 'service' }
const VAT_MODES: Record<number, VatMode> = { 1: 'none', 2: 'on_top', 3: 'included' }
const VAT_MODE_NAMES: Record<string, VatMode> = { NONE: 'none', TOP: 'on_top', INSIDE: 'included' }
const BILL_VAT_RATES: readonly BillVatRate[] = [0, 5, 7, 10, 18, 20, 22]

export const BILL_STATUS_CODES = invert(BILL_STATUSES)
export const BILL_KIND_CODES = invert(BILL_KINDS)
export const BILL_ITEM_KIND_CODES = invert(ITEM_KINDS)
export const VAT_MODE_CODES = invert(VAT_MODES)

/** Public page of a bill: `https://www.moedelo.org` + `Online` (spec §4.4). */
export const MOEDELO_WEB_ORIGIN = 'https://www.moedelo.org'

function unexpected(message: string): MoeDeloError {
  return new MoeDeloError({ kind: 'unexpected', message: `MoeDelo response: ${message}` })
}

/** A money JSON number → kopecks; MoeDelo prices carry up to 4 decimals, rounded half-up to a kopeck. */
function money(value: number | string | null | undefined, what: string): Kopecks {
  if (value === null || value === undefined) return ZERO
  const r = tryParseMoney(value, { rounding: 'half_up' })
  if (!r.ok) throw unexpected(`${what} is not an amount (${String(value)})`)
  return r.value
}

function qty(value: number | string, what: string): Quantity {
  const r = tryParseQuantity(value, { rounding: 'half_up' })
  if (!r.ok) throw unexpected(`${what} is not a quantity (${String(value)})`)
  return r.value
}

function vatRateOf(value: number | string | null | undefined): BillVatRate | null {
  if (value === null || value === undefined) return null
  const n = Number(value)
  if (n === -1) return 'none'
  return (BILL_VAT_RATES as readonly number[]).includes(n) ? (n as BillVatRate) : null
}

const decimalText = (v: number | string | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : typeof v === 'number' ? numberToDecimalText(v) : v

export function toBillItem(dto: BillItemDto, index: number): BillItem {
  const where = `Items[${index}]`
  return {
    id: dto.Id ?? null,
    stockProductId: dto.StockProductId ?? null,
    name: dto.Name,
    quantity: qty(dto.Count, `${where}.Count`),
    unit: dto.Unit ?? '',
    kind: decodeEnum(dto.Type, ITEM_KINDS, ITEM_KIND_NAMES),
    price: money(dto.Price, `${where}.Price`),
    vatRate: vatRateOf(dto.NdsType),
    discountPercent: decimalText(dto.DiscountRate),
    net: money(dto.SumWithoutNds, `${where}.SumWithoutNds`),
    vat: money(dto.NdsSum, `${where}.NdsSum`),
    gross: money(dto.SumWithNds, `${where}.SumWithNds`),
  }
}

export function toBillSummary(dto: BillCollectionItemDto): BillSummary {
  return {
    id: dto.Id,
    number: dto.Number,
    docDate: dto.DocDate.slice(0, 10),
    deadline: dto.DeadLine ? dto.DeadLine.slice(0, 10) : null,
    kind: decodeEnum(dto.Type, BILL_KINDS, BILL_KIND_NAMES),
    status: decodeEnum(dto.Status, BILL_STATUSES, BILL_STATUS_NAMES),
    kontragentId: dto.KontragentId,
    projectId: dto.ProjectId ?? null,
    stockId: dto.StockId ?? null,
    settlementAccountId: dto.SettlementAccount?.AccountId ?? null,
    vatMode: decodeEnum(dto.NdsPositionType, VAT_MODES, VAT_MODE_NAMES),
    isCovered: dto.IsCovered ?? false,
    additionalInfo: orNull(dto.AdditionalInfo),
    contractSubject: orNull(dto.ContractSubject),
    comment: orNull(dto.Comment),
    total: money(dto.Sum, 'Sum'),
    paid: money(dto.PaidSum, 'PaidSum'),
  }
}

export function toBill(dto: BillDto): Bill {
  const items = (dto.Items ?? []).map(toBillItem)
  const online = orNull(dto.Online)
  return {
    ...toBillSummary(dto),
    items,
    vatTotal: sumMoney(items.map((i) => i.vat)),
    payments: (dto.Payments ?? []).map((p, i) => ({
      id: p.Id ?? null,
      number: p.Number === null || p.Number === undefined ? null : String(p.Number),
      date: p.Date ? p.Date.slice(0, 10) : null,
      amount: money(p.Sum, `Payments[${i}].Sum`),
    })),
    useStampAndSign: dto.UseStampAndSign ?? false,
    onlinePath: online,
    onlineUrl: online ? (/^https?:/i.test(online) ? online : `${MOEDELO_WEB_ORIGIN}${online.startsWith('/') ? '' : '/'}${online}`) : null,
    createdAt: orNull(dto.Context?.CreateDate),
    modifiedAt: orNull(dto.Context?.ModifyDate),
  }
}

/** App draft → `SalesBillSaveRequestDto`; kopecks and thousandths become exact JSON numbers. */
export function toBillSaveDto(draft: BillDraft): BillSaveDto {
  const dto: BillSaveDto = {
    Number: draft.number?.trim() || undefined,
    DocDate: draft.docDate,
    DeadLine: draft.deadline,
    KontragentId: draft.kontragentId,
    ProjectId: draft.projectId,
    StockId: draft.stockId,
    SettlementAccountId: draft.settlementAccountId,
    Type: BILL_KIND_CODES[draft.kind ?? 'bill'],
    Status: draft.status ? BILL_STATUS_CODES[draft.status] : undefined,
    AdditionalInfo: draft.additionalInfo,
    ContractSubject: draft.contractSubject,
    NdsPositionType: VAT_MODE_CODES[draft.vatMode],
    IsCovered: draft.isCovered,
    UseStampAndSign: draft.useStampAndSign,
    Items: draft.items.map((item) => {
      const line = {
        Id: item.id,
        StockProductId: item.stockProductId,
        Name: item.name,
        Count: quantityToNumber(item.quantity),
        Unit: item.unit,
        Type: BILL_ITEM_KIND_CODES[item.kind],
        Price: moneyToNumber(item.price),
        NdsType: item.vatRate === 'none' ? -1 : item.vatRate,
        DiscountRate: item.discountPercent === undefined ? undefined : Number(item.discountPercent),
      }
      return Object.fromEntries(Object.entries(line).filter(([, v]) => v !== undefined)) as unknown as BillSaveDto['Items'][number]
    }),
  }
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as unknown as BillSaveDto
}

// ---------- stock goods (spec §7, §10) ----------

const GOOD_KINDS: Record<number, StockGoodKind> = { 0: 'goods', 1: 'material' }
const GOOD_KIND_NAMES: Record<string, StockGoodKind> = { GOODS: 'goods', GOOD: 'goods', MATERIAL: 'material' }
export const GOOD_KIND_CODES = invert(GOOD_KINDS)

const intOrNull = (v: number | string | null | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null
  const n = Number(v)
  return Number.isInteger(n) ? n : null
}

export function toStockGood(dto: GoodDto): StockGood {
  const ndsCode = intOrNull(dto.Nds)
  return {
    id: dto.Id,
    groupId: dto.NomenclatureId ?? null,
    name: dto.Name,
    article: orNull(dto.Article),
    modification: orNull(dto.Modification),
    unit: orNull(dto.UnitOfMeasurement),
    vatRate: vatRateOf(ndsCode),
    ndsCode,
    vatMode: decodeEnum(dto.NdsPositionType, VAT_MODES, VAT_MODE_NAMES),
    salePrice: dto.SalePrice === null || dto.SalePrice === undefined ? null : money(dto.SalePrice, 'SalePrice'),
    minSalePrice: decimalText(dto.MinSalePrice),
    kind: decodeEnum(dto.Type, GOOD_KINDS, GOOD_KIND_NAMES),
    subcontoId: dto.SubcontoId ?? null,
    producer: orNull(dto.Producer),
    productSubType: intOrNull(dto.ProductSubType),
    productMinimum: decimalText(dto.ProductMinimum),
  }
}

export function toGoodsGroup(dto: NomenclatureDto): GoodsGroup {
  return { id: dto.Id, parentId: dto.ParentNomenclatureId ?? null, name: dto.Name, type: intOrNull(dto.NomenclatureType) }
}

/** App input → the PascalCase body; optional members left `undefined` are not sent. */
export function toGoodSaveDto(input: StockGoodInput): GoodSaveDto {
  const dto: GoodSaveDto = {
    NomenclatureId: input.groupId,
    Name: input.name,
    Modification: input.modification,
    Article: input.article,
    UnitOfMeasurement: input.unit,
    Nds: input.vatRate === 'none' ? -1 : input.vatRate,
    SalePrice: input.salePrice === undefined ? undefined : input.salePrice === null ? null : moneyToNumber(input.salePrice),
    MinSalePrice: input.minSalePrice === undefined ? undefined : input.minSalePrice === null ? null : Number(input.minSalePrice),
    Type: GOOD_KIND_CODES[input.kind ?? 'goods'],
    NdsPositionType: VAT_MODE_CODES[input.vatMode],
    Producer: input.producer,
    ProductSubType: input.productSubType,
    ProductMinimum: input.productMinimum === undefined ? undefined : input.productMinimum === null ? null : Number(input.productMinimum),
  }
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as unknown as GoodSaveDto
}
// ---------- money operations (spec §6.1) ----------

const wholeNumber = (v: string | number | null | undefined): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

export function toMoneyOperation(dto: MoneyOperationDto): MoneyOperation {
  return {
    id: dto.documentBaseId,
    date: dto.date.slice(0, 10),
    number: dto.number === null || dto.number === undefined ? null : String(dto.number),
    amount: money(dto.sum, 'sum'),
    operationType: dto.operationType === null || dto.operationType === undefined ? null : Number(dto.operationType),
    description: orNull(dto.description),
    kontragentId: wholeNumber(dto.contractor?.id),
    modifiedAt: orNull(dto.modifyDate),
  }
}
