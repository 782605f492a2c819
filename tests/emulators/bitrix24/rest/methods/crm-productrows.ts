/**
 * crm.deal.productrows.get/set and crm.item.productrow.list (spec §4.2).
 *
 * Price model (spec: PRICE = final unit price incl. discount and tax): when PRICE_EXCLUSIVE is not
 * sent, it is PRICE/(1+rate) for TAX_INCLUDED=Y and PRICE itself for TAX_INCLUDED=N; PRICE is then
 * recomputed as PRICE_EXCLUSIVE*(1+rate). OPPORTUNITY = Σ PRICE×QUANTITY when the amount is not manual.
 */
import type { MethodDef } from '../../portal'
import type { CrmRecord, PortalState, ProductRow } from '../../state'
import { asArray, isPlainObject, isTruthyFlag, pick, round2 } from '../../util'
import { legacyError, RestError } from '../errors'
import { legacyId } from '../params'
import { matchFilter } from '../query'

export function buildRow(state: PortalState, dealId: number, raw: Record<string, unknown>, index: number): ProductRow {
  const num = (key: string, dflt = 0) => {
    const v = raw[key]
    if (v === undefined || v === null || v === '') return dflt
    const n = Number(v)
    return Number.isFinite(n) ? n : dflt
  }
  const productId = num('PRODUCT_ID')
  const product = productId ? state.products.find((p) => p.id === productId) : undefined
  const taxRateRaw = raw.TAX_RATE
  const taxRate = taxRateRaw === undefined || taxRateRaw === null || taxRateRaw === '' ? null : Number(taxRateRaw)
  const taxIncluded = raw.TAX_INCLUDED === undefined ? 'N' : isTruthyFlag(raw.TAX_INCLUDED) ? 'Y' : 'N'
  const rate = (taxRate ?? 0) / 100
  const quantity = num('QUANTITY', 1)
  const price = num('PRICE', product ? (state.basePrice(product.id)?.price ?? 0) : 0)
  const exclusive =
    raw.PRICE_EXCLUSIVE !== undefined && raw.PRICE_EXCLUSIVE !== ''
      ? num('PRICE_EXCLUSIVE')
      : taxIncluded === 'Y'
        ? price / (1 + rate)
        : price
  const discountTypeId = num('DISCOUNT_TYPE_ID', 2)
  const discountRate = num('DISCOUNT_RATE', 0)
  let netto: number
  let discountSum: number
  if (discountTypeId === 1) {
    discountSum = num('DISCOUNT_SUM', 0)
    netto = exclusive + discountSum
  } else {
    netto = discountRate > 0 && discountRate < 100 ? exclusive / (1 - discountRate / 100) : exclusive
    discountSum = netto - exclusive
  }
  return {
    ID: state.nextId('productrow'),
    OWNER_ID: dealId,
    OWNER_TYPE: 'D',
    PRODUCT_ID: productId,
    PRODUCT_NAME: String(raw.PRODUCT_NAME ?? product?.name ?? ''),
    ORIGINAL_PRODUCT_NAME: String(product?.name ?? raw.PRODUCT_NAME ?? ''),
    PRODUCT_DESCRIPTION: raw.PRODUCT_DESCRIPTION === undefined ? null : String(raw.PRODUCT_DESCRIPTION),
    PRICE: round2(exclusive * (1 + rate)),
    PRICE_EXCLUSIVE: round2(exclusive),
    PRICE_NETTO: round2(netto),
    PRICE_BRUTTO: round2(netto * (1 + rate)),
    QUANTITY: quantity,
    DISCOUNT_TYPE_ID: discountTypeId,
    DISCOUNT_RATE: round2(discountTypeId === 1 ? (netto ? (discountSum / netto) * 100 : 0) : discountRate),
    DISCOUNT_SUM: round2(discountSum),
    TAX_RATE: taxRate,
    TAX_INCLUDED: taxIncluded,
    CUSTOMIZED: 'Y',
    MEASURE_CODE: num('MEASURE_CODE', 796),
    MEASURE_NAME: String(raw.MEASURE_NAME ?? 'шт'),
    SORT: num('SORT', (index + 1) * 10),
    XML_ID: raw.XML_ID === undefined ? null : String(raw.XML_ID),
    // The catalog product's type (1 goods, 7 service…), as the SDK's CrmItemProductRow.type declares it.
    TYPE: product ? product.type : 1,
    STORE_ID: null,
  }
}

export function recalcDealFromRows(state: PortalState, deal: CrmRecord): void {
  const rows = state.productRows.get(deal.ID) ?? []
  if (deal.IS_MANUAL_OPPORTUNITY === 'Y' || rows.length === 0) return
  deal.OPPORTUNITY = round2(rows.reduce((sum, r) => sum + r.PRICE * r.QUANTITY, 0))
  deal.TAX_VALUE = round2(rows.reduce((sum, r) => sum + (r.PRICE - r.PRICE_EXCLUSIVE) * r.QUANTITY, 0))
}

export function legacyRow(r: ProductRow) {
  return {
    ID: String(r.ID),
    OWNER_ID: String(r.OWNER_ID),
    OWNER_TYPE: r.OWNER_TYPE,
    PRODUCT_ID: r.PRODUCT_ID,
    PRODUCT_NAME: r.PRODUCT_NAME,
    ORIGINAL_PRODUCT_NAME: r.ORIGINAL_PRODUCT_NAME,
    PRODUCT_DESCRIPTION: r.PRODUCT_DESCRIPTION,
    PRICE: r.PRICE,
    PRICE_EXCLUSIVE: r.PRICE_EXCLUSIVE,
    PRICE_NETTO: r.PRICE_NETTO,
    PRICE_BRUTTO: r.PRICE_BRUTTO,
    PRICE_ACCOUNT: r.PRICE.toFixed(2),
    QUANTITY: r.QUANTITY,
    DISCOUNT_TYPE_ID: r.DISCOUNT_TYPE_ID,
    DISCOUNT_RATE: r.DISCOUNT_RATE,
    DISCOUNT_SUM: r.DISCOUNT_SUM,
    TAX_RATE: r.TAX_RATE,
    TAX_INCLUDED: r.TAX_INCLUDED,
    CUSTOMIZED: r.CUSTOMIZED,
    MEASURE_CODE: r.MEASURE_CODE,
    MEASURE_NAME: r.MEASURE_NAME,
    SORT: r.SORT,
    XML_ID: r.XML_ID,
    TYPE: r.TYPE,
    STORE_ID: r.STORE_ID,
    RESERVE_ID: null,
    DATE_RESERVE_END: null,
    RESERVE_QUANTITY: null,
  }
}

function itemRow(r: ProductRow) {
  return {
    id: r.ID,
    ownerId: r.OWNER_ID,
    ownerType: r.OWNER_TYPE,
    productId: r.PRODUCT_ID,
    productName: r.PRODUCT_NAME,
    price: r.PRICE,
    priceAccount: r.PRICE,
    priceExclusive: r.PRICE_EXCLUSIVE,
    priceNetto: r.PRICE_NETTO,
    priceBrutto: r.PRICE_BRUTTO,
    quantity: r.QUANTITY,
    discountTypeId: r.DISCOUNT_TYPE_ID,
    discountRate: r.DISCOUNT_RATE,
    discountSum: r.DISCOUNT_SUM,
    taxRate: r.TAX_RATE,
    taxIncluded: r.TAX_INCLUDED,
    customized: r.CUSTOMIZED,
    measureCode: r.MEASURE_CODE,
    measureName: r.MEASURE_NAME,
    sort: r.SORT,
    xmlId: r.XML_ID ?? '',
    type: r.TYPE,
    storeId: r.STORE_ID,
  }
}

export const productRowMethods: Record<string, MethodDef> = {
  'crm.deal.productrows.get': {
    scope: 'crm',
    handler: (ctx) => {
      const id = legacyId(ctx)
      if (!ctx.portal.state.deals.has(id)) throw legacyError('Not found')
      return { result: (ctx.portal.state.productRows.get(id) ?? []).map(legacyRow) }
    },
  },
  'crm.deal.productrows.set': {
    scope: 'crm',
    handler: (ctx) => {
      const id = legacyId(ctx)
      const deal = ctx.portal.state.deals.get(id)
      if (!deal) throw legacyError('Not found')
      const rowsParam = pick(ctx.params, 'rows')
      const rows = asArray(rowsParam ?? []).filter(isPlainObject)
      if (rowsParam !== undefined && rowsParam !== '' && !Array.isArray(rowsParam) && !isPlainObject(rowsParam)) {
        throw legacyError("Parameter 'rows' must be array.")
      }
      ctx.portal.state.productRows.set(
        id,
        rows.map((r, i) => buildRow(ctx.portal.state, id, r, i)),
      )
      const before = deal.OPPORTUNITY
      recalcDealFromRows(ctx.portal.state, deal)
      if (rows.length === 0 && deal.IS_MANUAL_OPPORTUNITY !== 'Y') {
        deal.OPPORTUNITY = 0
        deal.TAX_VALUE = 0
      }
      deal.DATE_MODIFY = ctx.portal.now()
      deal.MODIFY_BY_ID = ctx.userId
      if (before !== deal.OPPORTUNITY) ctx.portal.fire('ONCRMDEALUPDATE', { FIELDS: { ID: id } }, ctx.userId)
      return { result: true }
    },
  },
  'crm.item.productrow.list': {
    scope: 'crm',
    handler: (ctx) => {
      const filter = pick(ctx.params, 'filter')
      const all = [...ctx.portal.state.productRows.values()].flat()
      const mapped = all.map(itemRow)
      if (!isPlainObject(filter)) throw new RestError(400, '100', 'Could not find value for parameter {filter}')
      const resolve = (name: string) =>
        name in (mapped[0] ?? { id: 0 }) || ['ownerType', 'ownerId', 'id', 'productId'].includes(name)
          ? { key: name, kind: (name === 'ownerType' ? 'string' : 'number') as 'string' | 'number' }
          : undefined
      return { result: { productRows: mapped.filter((r) => matchFilter(r, filter, resolve)) } }
    },
  },
}
