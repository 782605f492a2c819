/** The app's own view of MoeDelo data (camelCase, readable enums). Vendor shapes live in types.ts. */
import type { Kopecks, Quantity } from '../domain/kopecks'
import type { VatMode, VatRate } from '../domain/vat'

/** Legal form (MoeDelo `KontragentForm` 1–4). */
export type CounterpartyForm = 'legal_entity' | 'sole_trader' | 'individual' | 'non_resident'

/** Role in MoeDelo (`KontragentType` 0–4): «Требует внимания», «Покупатель/Поставщик», «Покупатель», «Поставщик», «Другое». */
export type CounterpartyRole = 'unspecified' | 'buyer_and_supplier' | 'buyer' | 'supplier' | 'other'

export interface Counterparty {
  id: number
  name: string
  shortName: string | null
  inn: string | null
  kpp: string | null
  ogrn: string | null
  okpo: string | null
  /** `null` when MoeDelo sent a value we do not know. */
  form: CounterpartyForm | null
  role: CounterpartyRole | null
  isArchived: boolean
  legalAddress: string | null
  actualAddress: string | null
  registrationAddress: string | null
  /** Sole trader's or person's full name. */
  fio: string | null
  signerFio: string | null
  /** «в лице …» */
  inFace: string | null
  position: string | null
  /** «действующего на основании …» */
  inReason: string | null
  subcontoId: number | null
}

export interface CounterpartyInput {
  name: string
  form: CounterpartyForm
  role?: CounterpartyRole
  inn?: string | null
  kpp?: string | null
  ogrn?: string | null
  okpo?: string | null
  shortName?: string | null
  fullName?: string | null
  legalAddress?: string | null
  actualAddress?: string | null
  registrationAddress?: string | null
  fio?: string | null
  siteUrl?: string | null
}

/** MoeDelo wants `Name` on every update (spec §3.1); other fields are sent only when present. */
export type CounterpartyUpdate = Partial<Omit<CounterpartyInput, 'name'>> & { name: string }

export interface Page<T> {
  items: T[]
  pageNo: number
  pageSize: number
  /** Items on this page. */
  count: number
  /** Items matching the query across all pages. */
  totalCount: number
}

export interface ConnectionCheck {
  /** How many counterparties the company has (a cheap sign that the key reads real data). */
  counterpartyCount: number
}

export interface HealthProbe {
  /** The service answered with anything but a server error. */
  reachable: boolean
  status?: number
  /** Why it is not reachable (network error, timeout, 5xx). */
  error?: import('./errors').MoeDeloError
}

// ---------- sales bills (spec §4) ----------
// Money is never a binary float here: amounts and prices are kopecks (bigint), quantities thousandths.

/** Bill `Status` 4 / 5 / 6. `paid` may have been set by hand — check `payments` for real receipts (spec §4.5). */
export type BillStatus = 'unpaid' | 'partially_paid' | 'paid'
/** Bill `Type`: 1 ordinary bill, 2 bill-contract (счёт-договор). */
export type BillKind = 'bill' | 'bill_contract'
/** Item `Type`: 1 goods, 2 service. */
export type BillItemKind = 'goods' | 'service'
/** Item `NdsType`; 18 % only survives on historical documents, so it can be read but is not offered for new ones. */
export type BillVatRate = VatRate | 18

export interface BillItem {
  id: number | null
  stockProductId: number | null
  name: string
  quantity: Quantity
  unit: string
  kind: BillItemKind | null
  /** Unit price: with VAT when the bill's `vatMode` is `'included'`, without it otherwise. */
  price: Kopecks
  vatRate: BillVatRate | null
  /** Percent as decimal text (`'10'`, `'12.5'`), or `null`. */
  discountPercent: string | null
  net: Kopecks
  vat: Kopecks
  gross: Kopecks
}

export interface BillPayment {
  id: number | null
  number: string | null
  /** `YYYY-MM-DD`. */
  date: string | null
  amount: Kopecks
}

/** What lists return (no items, no payments). */
export interface BillSummary {
  id: number
  number: string
  /** `YYYY-MM-DD`. */
  docDate: string
  deadline: string | null
  kind: BillKind | null
  status: BillStatus | null
  kontragentId: number
  projectId: number | null
  stockId: number | null
  settlementAccountId: number | null
  vatMode: VatMode | null
  isCovered: boolean
  additionalInfo: string | null
  contractSubject: string | null
  comment: string | null
  /** `Sum`: what the buyer pays (with VAT). */
  total: Kopecks
  /** `PaidSum`: the sum of the payments linked to the bill. */
  paid: Kopecks
}

/** The full bill (GET by id, byIds, create, update). */
export interface Bill extends BillSummary {
  items: BillItem[]
  /** Σ of the lines' VAT. */
  vatTotal: Kopecks
  payments: BillPayment[]
  useStampAndSign: boolean
  /** `Online`: a relative path of the buyer's web page. */
  onlinePath: string | null
  /** `https://www.moedelo.org` + `Online` (spec §4.4). */
  onlineUrl: string | null
  createdAt: string | null
  modifiedAt: string | null
}

export interface BillItemDraft {
  /** Send a line's id back on update to keep it. */
  id?: number
  stockProductId?: number
  name: string
  quantity: Quantity
  unit: string
  kind: BillItemKind
  price: Kopecks
  vatRate: BillVatRate
  /** Percent as decimal text, 0…99.9. */
  discountPercent?: string
}

export interface BillDraft {
  kontragentId: number
  /** Empty → MoeDelo numbers the bill within the year. */
  number?: string
  /** `YYYY-MM-DD`; MoeDelo uses today when absent. */
  docDate?: string
  deadline?: string
  kind?: BillKind
  /** Sets the status by hand (MoeDelo honours it until the next payment). Usually left out. */
  status?: BillStatus
  vatMode: VatMode
  items: BillItemDraft[]
  projectId?: number
  stockId?: number
  settlementAccountId?: number
  additionalInfo?: string
  contractSubject?: string
  isCovered?: boolean
  useStampAndSign?: boolean
}

export interface BillQuery {
  number?: string
  kontragentId?: number
  projectId?: number
  /** Created or modified at or after this instant (the incremental-sync filter). */
  afterDate?: Date | string
  beforeDate?: Date | string
  /** Document date ≥ / ≤ (`YYYY-MM-DD`). */
  docAfterDate?: string
  docBeforeDate?: string
  pageNo?: number
  pageSize?: number
}

export type BillPdf = { pdf: Buffer } | { unavailable: true }

// ---------- stock (spec §7) ----------

/** Good `Type`: 0 goods (товар), 1 material (материал). */
export type StockGoodKind = 'goods' | 'material'

/** A good or material in MoeDelo's stock. */
export interface StockGood {
  id: number
  /** `NomenclatureId`: the goods group. */
  groupId: number | null
  name: string
  article: string | null
  modification: string | null
  /** Unit of measure as free text («шт», «кг»). */
  unit: string | null
  /** `Nds` as a rate; `null` for a calculated rate (110, 120…) or a value we do not know. */
  vatRate: BillVatRate | null
  /** `Nds` exactly as MoeDelo sent it. */
  ndsCode: number | null
  /** `NdsPositionType`: whether `salePrice` includes VAT. */
  vatMode: VatMode | null
  salePrice: Kopecks | null
  /** Decimal text (up to 4 places) as MoeDelo keeps it. */
  minSalePrice: string | null
  kind: StockGoodKind | null
  subcontoId: number | null
  producer: string | null
  /** `ProductSubType`: 0 goods or material, 1 kit, 2 own production, 3 on commission. */
  productSubType: number | null
  /** Decimal text. */
  productMinimum: string | null
}

/** What a good is created or updated with. Optional members left `undefined` are not sent. */
export interface StockGoodInput {
  groupId: number
  name: string
  article?: string | null
  modification?: string | null
  unit?: string | null
  vatRate: BillVatRate
  vatMode: VatMode
  salePrice?: Kopecks | null
  /** Decimal text, ≥ 0, up to 4 places. */
  minSalePrice?: string | null
  /** Default `'goods'`. */
  kind?: StockGoodKind
  producer?: string | null
  productSubType?: number | null
  /** Decimal text. */
  productMinimum?: string | null
}

/** A goods group (`/stock/api/v1/nomenclature`). */
export interface GoodsGroup {
  id: number
  parentId: number | null
  name: string
  type: number | null
}

export interface GoodQuery {
  /** Goods whose name contains this (how strictly MoeDelo matches is unknown: check the names you get). */
  name?: string
  /** Created or modified at or after this instant. */
  afterDate?: Date | string
  beforeDate?: Date | string
  pageNo?: number
  pageSize?: number
}

// ---------- money: incoming payments (spec §6.1) ----------

/** One line of MoeDelo's Registry of money operations: here an incoming payment from a customer (type 16). */
export interface MoneyOperation {
  /** `DocumentBaseId` of the payment document. */
  id: number
  /** `YYYY-MM-DD`: the payment (bank) date. */
  date: string
  number: string | null
  amount: Kopecks
  /** MoeDelo `OperationType` (16 = payment from a customer). */
  operationType: number | null
  /** «Назначение платежа»: usually names the bill. */
  description: string | null
  /** `Contractor.Id` = the counterparty (`KontragentId`), when it is one. */
  kontragentId: number | null
  /** MoeDelo's `ModifyDate` as sent (ISO), when present. */
  modifiedAt: string | null
}

export interface MoneyOperationQuery {
  /** `YYYY-MM-DD`, inclusive, on the payment date. */
  startDate: string
  endDate: string
  offset?: number
  limit?: number
}
