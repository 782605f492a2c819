/**
 * The trade catalog (scope `catalog`, bitrix24.md §4.9; shapes from the docs' catalog pages):
 * catalog.catalog.list, catalog.product.{list,get,add,update}, catalog.product.service.{get,add,update},
 * catalog.price.{list,get,add,update}, catalog.priceType.list, catalog.vat.list, catalog.measure.list,
 * and the deprecated crm.product.list. Product and price changes fire CATALOG.PRODUCT.ON.ADD/UPDATE
 * (`data.FIELDS = {ID, TYPE}`) and CATALOG.PRICE.ON.ADD/UPDATE (`data.FIELDS = {ID}`).
 *
 * Emulator choices where the docs are silent: catalog.product.list returns every type (services
 * included; filter by `type` to narrow); «Без НДС» is a VAT record with `rate: null`; prices are
 * JSON numbers; errors for a missing record are legacy-style (HTTP 400, empty `error`).
 */
import type { CallContext, MethodDef } from '../../portal'
import type { CatalogPrice, CatalogProduct } from '../../state'
import { isoMsk, isPlainObject, isTruthyFlag, pick } from '../../util'
import { legacyError, missingParam, RestError } from '../errors'
import { matchFilter, paginate, selectList, sortRecords, type FieldRef, type FieldResolver } from '../query'

export const SERVICE_TYPE = 7
const SIMPLE_TYPE = 1

const resolverOf = (kinds: Record<string, FieldRef['kind']>): FieldResolver => (name) => {
  const kind = kinds[name]
  return kind ? { key: name, kind } : undefined
}

const PRODUCT_FIELDS: Record<string, FieldRef['kind']> = {
  id: 'number',
  iblockId: 'number',
  iblockSectionId: 'number',
  measure: 'number',
  vatId: 'number',
  purchasingPrice: 'number',
  quantity: 'number',
  type: 'number',
  sort: 'number',
  createdBy: 'number',
  modifiedBy: 'number',
  name: 'string',
  code: 'string',
  xmlId: 'string',
  active: 'char',
  vatIncluded: 'char',
  dateCreate: 'date',
  timestampX: 'date',
}

/** The product as the docs' `catalog_product` sample shows it (pictures and texts empty). */
function productView(p: CatalogProduct): Record<string, unknown> {
  return {
    active: p.active,
    available: p.active,
    barcodeMulti: 'N',
    bundle: 'N',
    canBuyZero: 'Y',
    code: p.code,
    createdBy: p.createdBy,
    dateActiveFrom: null,
    dateActiveTo: null,
    dateCreate: isoMsk(p.dateCreate),
    detailPicture: null,
    detailText: null,
    detailTextType: 'text',
    height: null,
    iblockId: p.iblockId,
    iblockSectionId: p.iblockSectionId,
    id: p.id,
    length: null,
    measure: p.measure,
    modifiedBy: p.modifiedBy,
    name: p.name,
    previewPicture: null,
    previewText: null,
    previewTextType: 'text',
    purchasingCurrency: 'RUB',
    purchasingPrice: p.purchasingPrice,
    quantity: p.quantity,
    quantityReserved: 0,
    quantityTrace: 'D',
    sort: p.sort,
    subscribe: 'D',
    timestampX: isoMsk(p.timestampX),
    type: p.type,
    vatId: p.vatId,
    vatIncluded: p.vatIncluded,
    weight: null,
    width: null,
    xmlId: p.xmlId,
  }
}

function priceView(p: CatalogPrice): Record<string, unknown> {
  return {
    catalogGroupId: p.catalogGroupId,
    currency: p.currency,
    extraId: null,
    id: p.id,
    price: p.price,
    productId: p.productId,
    quantityFrom: null,
    quantityTo: null,
    timestampX: isoMsk(p.timestampX),
  }
}

/** Keeps the selected fields in the given order; an empty select keeps everything. */
function project(row: Record<string, unknown>, select: string[]): Record<string, unknown> {
  if (select.length === 0) return row
  return Object.fromEntries(select.filter((k) => k in row).map((k) => [k, row[k]]))
}

/** A `{select, filter, order, start}` list over records, answered as `{ [key]: rows }` plus `total`/`next`. */
function listOf<T>(
  ctx: CallContext,
  records: T[],
  view: (r: T) => Record<string, unknown>,
  fields: Record<string, FieldRef['kind']>,
  key: string,
) {
  const resolve = resolverOf(fields)
  const rows = records.map(view).filter((r) => matchFilter(r, pick(ctx.params, 'filter'), resolve))
  const page = paginate(sortRecords(rows, pick(ctx.params, 'order'), resolve, 'id'), pick(ctx.params, 'start'))
  const select = selectList(pick(ctx.params, 'select'))
  return { result: { [key]: page.rows.map((r) => project(r, select)) }, total: page.total, next: page.next }
}

function idParam(ctx: CallContext): number {
  const raw = pick(ctx.params, 'id')
  if (raw === undefined || raw === null || raw === '') throw missingParam('id')
  const id = Number(raw)
  if (!Number.isInteger(id) || id <= 0) throw new RestError(400, '100', 'Invalid value for parameter {id}')
  return id
}

function fieldsParam(ctx: CallContext): Record<string, unknown> {
  const fields = pick(ctx.params, 'fields')
  if (!isPlainObject(fields)) throw missingParam('fields')
  return fields
}

const num = (value: unknown): number | null => {
  if (value === undefined || value === null || value === '') return null
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** Applies writable product fields; `type` is read-only (set by the method family). */
function applyProductFields(ctx: CallContext, product: CatalogProduct, fields: Record<string, unknown>): void {
  const state = ctx.portal.state
  const name = pick(fields, 'name')
  if (name !== undefined) {
    if (String(name).trim() === '') throw new RestError(400, '0', 'Required fields: name')
    product.name = String(name)
  }
  for (const key of ['code', 'xmlId'] as const) {
    const value = pick(fields, key)
    if (value !== undefined) product[key] = String(value ?? '')
  }
  for (const key of ['active', 'vatIncluded'] as const) {
    const value = pick(fields, key)
    if (value !== undefined) product[key] = isTruthyFlag(value) ? 'Y' : 'N'
  }
  const vatId = pick(fields, 'vatId')
  if (vatId !== undefined) {
    const id = num(vatId)
    if (id !== null && !state.vats.some((v) => v.id === id)) throw new RestError(400, '0', `VAT rate ${String(vatId)} not found`)
    product.vatId = id
  }
  const measure = pick(fields, 'measure')
  if (measure !== undefined) {
    const id = num(measure)
    if (id !== null && !state.measures.some((m) => m.id === id)) throw new RestError(400, '0', `Measure ${String(measure)} not found`)
    product.measure = id
  }
  for (const key of ['purchasingPrice', 'quantity', 'sort', 'iblockSectionId'] as const) {
    const value = pick(fields, key)
    if (value === undefined) continue
    const n = num(value)
    if (key === 'iblockSectionId') product.iblockSectionId = n
    else product[key] = n ?? 0
  }
  product.modifiedBy = ctx.userId
  product.timestampX = ctx.portal.now()
}

/** Adds a product or service as the docs' add methods do; fires CATALOG.PRODUCT.ON.ADD. */
export function addProduct(ctx: CallContext, fields: Record<string, unknown>, type: number): CatalogProduct {
  const state = ctx.portal.state
  const iblockId = num(pick(fields, 'iblockId'))
  if (iblockId === null) throw new RestError(400, '0', 'Required fields: iblockId')
  if (!state.catalogs.some((c) => c.iblockId === iblockId)) throw new RestError(400, '200040300000', 'Iblock Not Found')
  if (pick(fields, 'name') === undefined) throw new RestError(400, '0', 'Required fields: name')
  const now = ctx.portal.now()
  const product: CatalogProduct = {
    id: Math.max(0, ...state.products.map((p) => p.id)) + 1,
    iblockId,
    name: '',
    code: '',
    xmlId: '',
    measure: state.measures.find((m) => m.isDefault === 'Y')?.id ?? null,
    vatId: null,
    vatIncluded: 'N',
    purchasingPrice: 0,
    quantity: 0,
    type,
    active: 'Y',
    sort: 100,
    iblockSectionId: null,
    createdBy: ctx.userId,
    modifiedBy: ctx.userId,
    dateCreate: now,
    timestampX: now,
  }
  applyProductFields(ctx, product, fields)
  if (!product.xmlId) product.xmlId = String(product.id)
  state.products.push(product)
  ctx.portal.fire('CATALOG.PRODUCT.ON.ADD', { FIELDS: { ID: product.id, TYPE: product.type } }, ctx.userId)
  return product
}

function productMethods(family: 'catalog.product' | 'catalog.product.service', types: (type: number) => boolean, addType: number): Record<string, MethodDef> {
  const find = (ctx: CallContext): CatalogProduct => {
    const id = idParam(ctx)
    const product = ctx.portal.state.products.find((p) => p.id === id && types(p.type))
    if (!product) throw legacyError(family === 'catalog.product' ? 'product does not exist.' : 'service does not exist.')
    return product
  }
  const wrapper = family === 'catalog.product' ? 'product' : 'service'
  return {
    [`${family}.get`]: {
      scope: 'catalog',
      handler: (ctx) => {
        const product = find(ctx)
        // The docs' get sample prints purchasingPrice as a string with 6 decimals (the list sample: a number).
        return { result: { [wrapper]: { ...productView(product), purchasingPrice: product.purchasingPrice.toFixed(6) } } }
      },
    },
    [`${family}.add`]: {
      scope: 'catalog',
      handler: (ctx) => ({ result: { element: productView(addProduct(ctx, fieldsParam(ctx), addType)) } }),
    },
    [`${family}.update`]: {
      scope: 'catalog',
      handler: (ctx) => {
        const product = find(ctx)
        applyProductFields(ctx, product, fieldsParam(ctx))
        ctx.portal.fire('CATALOG.PRODUCT.ON.UPDATE', { FIELDS: { ID: product.id, TYPE: product.type } }, ctx.userId)
        return { result: { element: productView(product) } }
      },
    },
  }
}

const PRICE_FIELDS: Record<string, FieldRef['kind']> = {
  id: 'number',
  productId: 'number',
  catalogGroupId: 'number',
  price: 'number',
  currency: 'string',
  timestampX: 'date',
}

function priceFields(fields: Record<string, unknown>): { price: number; currency: string } {
  const price = num(pick(fields, 'price'))
  const currency = pick(fields, 'currency')
  if (price === null || price < 0) throw new RestError(400, '0', 'Required fields: price')
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new RestError(400, '0', 'Required fields: currency')
  return { price, currency }
}

/** Sets a product's price of one type (as catalog.price.add / update do); fires the price event. */
export function setPrice(ctx: CallContext, productId: number, catalogGroupId: number, price: number, currency: string): CatalogPrice {
  const state = ctx.portal.state
  const existing = state.prices.find((p) => p.productId === productId && p.catalogGroupId === catalogGroupId)
  const now = ctx.portal.now()
  if (existing) {
    Object.assign(existing, { price, currency, timestampX: now })
    ctx.portal.fire('CATALOG.PRICE.ON.UPDATE', { FIELDS: { ID: existing.id } }, ctx.userId)
    return existing
  }
  const created: CatalogPrice = { id: state.nextId('catalogprice', 1), productId, catalogGroupId, price, currency, timestampX: now }
  state.prices.push(created)
  ctx.portal.fire('CATALOG.PRICE.ON.ADD', { FIELDS: { ID: created.id } }, ctx.userId)
  return created
}

const isService = (type: number) => type === SERVICE_TYPE

export const catalogMethods: Record<string, MethodDef> = {
  'catalog.catalog.list': {
    scope: 'catalog',
    handler: (ctx) =>
      listOf(ctx, ctx.portal.state.catalogs, (c) => ({ ...c }), { id: 'number', iblockId: 'number', productIblockId: 'number', name: 'string', iblockTypeId: 'string', lid: 'string' }, 'catalogs'),
  },

  'catalog.product.list': {
    scope: 'catalog',
    handler: (ctx) => {
      const select = selectList(pick(ctx.params, 'select'))
      if (!select.includes('id') || !select.includes('iblockId')) {
        throw new RestError(400, '0', 'Required select fields: id, iblockId')
      }
      const filter = pick(ctx.params, 'filter')
      if (!isPlainObject(filter) || !Object.keys(filter).some((k) => k.replace(/^[=@]/, '') === 'iblockId')) {
        throw new RestError(400, '0', 'Required filter fields: iblockId')
      }
      return listOf(ctx, ctx.portal.state.products, productView, PRODUCT_FIELDS, 'products')
    },
  },
  ...productMethods('catalog.product', (type) => !isService(type), SIMPLE_TYPE),
  ...productMethods('catalog.product.service', isService, SERVICE_TYPE),

  'catalog.price.list': {
    scope: 'catalog',
    handler: (ctx) => listOf(ctx, ctx.portal.state.prices, priceView, PRICE_FIELDS, 'prices'),
  },
  'catalog.price.get': {
    scope: 'catalog',
    handler: (ctx) => {
      const id = idParam(ctx)
      const price = ctx.portal.state.prices.find((p) => p.id === id)
      if (!price) throw legacyError('price does not exist.')
      return { result: { price: priceView(price) } }
    },
  },
  'catalog.price.add': {
    scope: 'catalog',
    handler: (ctx) => {
      const fields = fieldsParam(ctx)
      const productId = num(pick(fields, 'productId'))
      const groupId = num(pick(fields, 'catalogGroupId'))
      if (productId === null || !ctx.portal.state.products.some((p) => p.id === productId)) throw new RestError(400, '0', 'product does not exist.')
      if (groupId === null || !ctx.portal.state.priceTypes.some((t) => t.id === groupId)) throw new RestError(400, '0', 'price type does not exist.')
      if (ctx.portal.state.prices.some((p) => p.productId === productId && p.catalogGroupId === groupId)) {
        throw new RestError(400, '0', 'The product already has a price of this type')
      }
      const { price, currency } = priceFields(fields)
      return { result: { price: priceView(setPrice(ctx, productId, groupId, price, currency)) } }
    },
  },
  'catalog.price.update': {
    scope: 'catalog',
    handler: (ctx) => {
      const id = idParam(ctx)
      const existing = ctx.portal.state.prices.find((p) => p.id === id)
      if (!existing) throw legacyError('price does not exist.')
      const { price, currency } = priceFields(fieldsParam(ctx))
      return { result: { price: priceView(setPrice(ctx, existing.productId, existing.catalogGroupId, price, currency)) } }
    },
  },
  'catalog.priceType.list': {
    scope: 'catalog',
    handler: (ctx) =>
      listOf(ctx, ctx.portal.state.priceTypes, (t) => ({ ...t }), { id: 'number', sort: 'number', name: 'string', xmlId: 'string', base: 'char' }, 'priceTypes'),
  },
  'catalog.vat.list': {
    scope: 'catalog',
    handler: (ctx) =>
      listOf(
        ctx,
        ctx.portal.state.vats,
        (v) => ({ active: v.active, id: v.id, name: v.name, rate: v.rate, sort: v.sort, timestampX: isoMsk(v.timestampX) }),
        { id: 'number', rate: 'number', sort: 'number', name: 'string', active: 'char' },
        'vats',
      ),
  },
  'catalog.measure.list': {
    scope: 'catalog',
    handler: (ctx) =>
      listOf(ctx, ctx.portal.state.measures, (m) => ({ ...m }), { id: 'number', code: 'number', isDefault: 'char', measureTitle: 'string', symbol: 'string' }, 'measures'),
  },

  'crm.product.list': {
    scope: 'crm',
    handler: (ctx) => {
      const state = ctx.portal.state
      const rows = state.products.map((p) => {
        const base = state.basePrice(p.id)
        return {
          ID: p.id,
          CATALOG_ID: p.iblockId,
          NAME: p.name,
          CODE: p.code,
          ACTIVE: p.active,
          PRICE: base?.price ?? null,
          CURRENCY_ID: base?.currency ?? null,
          VAT_ID: p.vatId,
          VAT_INCLUDED: p.vatIncluded,
          MEASURE: p.measure,
          XML_ID: p.xmlId,
          SORT: p.sort,
          DESCRIPTION: null,
        }
      }) as Record<string, unknown>[]
      const resolve = (name: string) => {
        const key = name.toUpperCase()
        if (['ID', 'CATALOG_ID', 'PRICE', 'VAT_ID', 'MEASURE', 'SORT'].includes(key)) return { key, kind: 'number' as const }
        return ['NAME', 'CODE', 'ACTIVE', 'CURRENCY_ID', 'XML_ID', 'VAT_INCLUDED'].includes(key) ? { key, kind: 'string' as const } : undefined
      }
      const filtered = rows.filter((r) => matchFilter(r, pick(ctx.params, 'filter'), resolve))
      const page = paginate(sortRecords(filtered, pick(ctx.params, 'order'), resolve), pick(ctx.params, 'start'))
      return {
        result: page.rows.map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [k, v === null ? null : k === 'PRICE' ? Number(v).toFixed(2) : String(v)]),
          ),
        ),
        total: page.total,
        next: page.next,
      }
    },
  },
}
