/**
 * Invoices: what the app reads from a Bitrix24 deal (a snapshot, values exactly as the REST API
 * returns them) and what it prepares for a MoeDelo sales bill (`BillDraft`, moedelo.md §4.2–4.3).
 * Pure types and small readers; no I/O. Money is exact (lib/domain/money): kopecks as bigint
 * inside, decimal strings outside, never binary floats.
 */
import type { RegistryStatusName } from '../domain/messages'
import type { RequisitesKind } from '../domain/problems'
import type { VatRate } from '../domain/vat'

/** A number as Bitrix24 sends it: legacy methods give strings (`"1000.00"`), product rows JSON numbers. */
export type B24Number = string | number | null | undefined

/** One product row as `crm.deal.productrows.get` returns it (bitrix24.md §4.2). Unknown fields are ignored. */
export interface BitrixProductRow {
  ID?: string | number
  PRODUCT_ID?: string | number | null
  PRODUCT_NAME?: string | null
  /** Final unit price: after the discount, with tax. */
  PRICE: B24Number
  /** Unit price after the discount, before tax. */
  PRICE_EXCLUSIVE?: B24Number
  /** Unit price before the discount and tax. */
  PRICE_NETTO?: B24Number
  /** Unit price before the discount, with tax. */
  PRICE_BRUTTO?: B24Number
  QUANTITY: B24Number
  /** 1 absolute (`DISCOUNT_SUM` per unit), 2 percent (`DISCOUNT_RATE`). */
  DISCOUNT_TYPE_ID?: string | number | null
  DISCOUNT_RATE?: B24Number
  DISCOUNT_SUM?: B24Number
  /** Percent, or `null` when no rate is chosen. */
  TAX_RATE?: B24Number
  TAX_INCLUDED?: 'Y' | 'N' | string | null
  MEASURE_CODE?: string | number | null
  MEASURE_NAME?: string | null
  /** Catalog product type of the row's product (7 = service), when Bitrix24 gives it. */
  TYPE?: string | number | null
  SORT?: string | number | null
}

/** A row from `crm.item.productrow.list` (camelCase) turned into the legacy shape. */
export function productRowFromItem(row: Record<string, unknown>): BitrixProductRow {
  const n = (v: unknown): B24Number => (typeof v === 'string' || typeof v === 'number' ? v : null)
  return {
    ID: n(row.id) ?? undefined,
    PRODUCT_ID: n(row.productId),
    PRODUCT_NAME: typeof row.productName === 'string' ? row.productName : null,
    PRICE: n(row.price),
    PRICE_EXCLUSIVE: n(row.priceExclusive),
    PRICE_NETTO: n(row.priceNetto),
    PRICE_BRUTTO: n(row.priceBrutto),
    QUANTITY: n(row.quantity),
    DISCOUNT_TYPE_ID: n(row.discountTypeId),
    DISCOUNT_RATE: n(row.discountRate),
    DISCOUNT_SUM: n(row.discountSum),
    TAX_RATE: n(row.taxRate),
    TAX_INCLUDED: typeof row.taxIncluded === 'string' ? row.taxIncluded : null,
    MEASURE_CODE: n(row.measureCode),
    MEASURE_NAME: typeof row.measureName === 'string' ? row.measureName : null,
    TYPE: n(row.type),
    SORT: n(row.sort),
  }
}

/** A requisite of the client (bitrix24.md §4.5); `presetKind` from the preset («Организация», «ИП», «Физ. лицо»). */
export interface ClientRequisite {
  inn?: string | null
  kpp?: string | null
  ogrn?: string | null
  ogrnip?: string | null
  presetKind?: RequisitesKind | null
}

export interface DealCompany {
  id: number
  title: string
  /** The requisite chosen for the deal (or the company's first one); `null` when the company has none. */
  requisite: ClientRequisite | null
  /** From the registry check (lib/counterparties); absent when not checked. */
  registryStatus?: RegistryStatusName | null
}

export interface DealContact {
  id: number
  /** Full name as the card shows it. */
  name: string
  /** A requisite with the person's details (preset «Физ. лицо» or «ИП»); `null` when there is none. */
  requisite: ClientRequisite | null
  registryStatus?: RegistryStatusName | null
}

/** Everything the checks and the mapper need, read from Bitrix24 beforehand. */
export interface DealSnapshot {
  id: number
  title: string
  /** `CURRENCY_ID`, e.g. `'RUB'`. */
  currency: string
  /** `OPPORTUNITY` as sent (`"1000.00"`). */
  opportunity: B24Number
  /** `IS_MANUAL_OPPORTUNITY === 'Y'`: the deal sum was typed in, not computed from the products. */
  isManualOpportunity: boolean
  /** The client company; when present it is the buyer even if a contact is linked too. */
  company: DealCompany | null
  /** Used as the buyer only when there is no company. */
  contact: DealContact | null
  productRows: readonly BitrixProductRow[]
  /** Catalog product `type` by product id (`catalog.product.list`, bitrix24.md §4.9). */
  catalogProductTypes?: Readonly<Record<number, number>>
}

/** Catalog product type «Услуга» (`\Bitrix\Catalog\ProductTable::TYPE_SERVICE`). Others are goods. */
export const CATALOG_TYPE_SERVICE = 7

export interface InvoiceOptions {
  /** Today, `YYYY-MM-DD` (passed in: the functions are pure). */
  today: string
  /** Payment term: the bill's deadline is `today + paymentTermDays`. Default 5. */
  paymentTermDays?: number
  /**
   * A row without a VAT rate (`TAX_RATE` null): `'problem'` (default; every row must have a rate)
   * or `'without_vat'` (the seller does not charge VAT: such rows go as «Без НДС»).
   */
  missingVatRate?: 'problem' | 'without_vat'
  /**
   * Rows mixing «НДС включён» and «НДС сверху». `'convert'` (default): the bill is made «в т.ч.»
   * from each row's `PRICE`, which Bitrix24 always keeps with tax, so the sums stay exactly the
   * deal's. `'problem'`: the manager has to make the rows agree first.
   */
  mixedVatModes?: 'convert' | 'problem'
  /** A row not from the catalog (`PRODUCT_ID` 0) is a service (default) or goods. */
  freeRowType?: 'service' | 'goods'
}

/** MoeDelo `NdsPositionType`: 1 without VAT, 2 VAT on top («сверху»), 3 VAT included («в т.ч.»). */
export type NdsPositionType = 1 | 2 | 3
/** MoeDelo item `NdsType`: the rate in percent, `-1` «Без НДС». */
export type NdsType = -1 | 0 | 5 | 7 | 10 | 20 | 22
/** MoeDelo item `Type`: 1 goods, 2 service. */
export type BillItemType = 1 | 2

export const ndsTypeOf = (rate: VatRate): NdsType => (rate === 'none' ? -1 : rate)

export interface BillItemDraft {
  /** Row number in the deal (1-based), for messages and the journal. */
  row: number
  name: string
  /** Quantity, up to 3 decimals, no trailing zeros: `'1.5'`. */
  count: string
  unit: string
  type: BillItemType
  /**
   * Unit price, 2 decimals: with VAT for `ndsPositionType` 3 and 1, without VAT for 2. Already
   * after the discount (Bitrix24's `PRICE`/`PRICE_EXCLUSIVE` are), so `discountRate` is not set:
   * a rate rounded to MoeDelo's 0.1 % could not reproduce an absolute discount to the kopeck.
   */
  price: string
  discountRate?: string
  ndsType: NdsType
  /** Line sums, 2 decimals (MoeDelo `SumWithoutNds`, `NdsSum`, `SumWithNds`): send them to pin rounding. */
  sumWithoutNds: string
  ndsSum: string
  sum: string
  /** Bitrix24 catalog product id (0 = free row); the MoeDelo `StockProductId` is resolved later for goods. */
  productId: number
  stockProductId?: number
}

/** Why the bill's VAT mode differs from the rows' flag (for the journal). */
export type BillConversion =
  /** Rows mixed «включён» and «сверху»: the bill is «в т.ч.». */
  | 'mixed_vat_modes_as_included'
  /** «Сверху» would not give Bitrix24's row sums to the kopeck (its PRICE is rounded per unit): the bill is «в т.ч.». */
  | 'on_top_rounding_as_included'

export interface BillDraft {
  dealId: number
  /** The buyer; the MoeDelo `KontragentId` is resolved later (lib/counterparties) by INN/KPP. */
  kontragent: {
    entity: 'company' | 'contact'
    id: number
    title: string
    inn: string
    kpp: string | null
    kind: RequisitesKind
  }
  /** `YYYY-MM-DD`. */
  docDate: string
  /** `YYYY-MM-DD`: docDate + payment term. */
  deadline: string
  ndsPositionType: NdsPositionType
  items: BillItemDraft[]
  /** Exact sums, 2 decimals; `sum` equals the deal's products total (and OPPORTUNITY) to the kopeck. */
  totals: { sumWithoutNds: string; ndsSum: string; sum: string }
  conversions: BillConversion[]
}
