/**
 * Reading the Bitrix24 trade catalog (bitrix24.md §4.9; scope `catalog`): which iblock holds the CRM
 * products, the base price type, VAT rates and units of measure (one batch), then products with their
 * base prices — a given handful in one batch per 50, or the whole catalog page by page.
 */
import { z } from 'zod'
import type { Bitrix24Client, BatchCommand } from '@/lib/bitrix24/client'
import { Bitrix24BatchError, Bitrix24Error } from '@/lib/bitrix24/errors'
import { catalogMessages } from '@/lib/domain/messages'
import { tryParseMoney, type Kopecks } from '@/lib/domain/kopecks'
import { tryParseVatRate, type VatRate } from '@/lib/domain/vat'

/** Catalog product type «Услуга» (bitrix24 `catalog_product_service.type`). Every other type is goods. */
export const SERVICE_TYPE = 7
/** Bitrix24 list page size (fixed). */
const PAGE = 50
const FALLBACK_UNIT = 'шт'

const id = z.coerce.number().int().positive()
const flag = z.string().nullish().transform((v) => String(v ?? '').toUpperCase() === 'Y')
const optionalId = z.union([z.number(), z.string()]).nullish().transform((v) => {
  if (v === null || v === undefined || v === '') return null
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? n : null
})

const catalogSchema = z.looseObject({ id, iblockId: id, productIblockId: optionalId })
const priceTypeSchema = z.looseObject({ id, base: flag })
const vatSchema = z.looseObject({ id, name: z.string().nullish(), rate: z.union([z.number(), z.string()]).nullish() })
const measureSchema = z.looseObject({ id, symbol: z.string().nullish(), measureTitle: z.string().nullish(), isDefault: flag })
const productSchema = z.looseObject({
  id,
  name: z.string(),
  type: z.coerce.number().int(),
  active: flag,
  measure: optionalId,
  vatId: optionalId,
  vatIncluded: flag,
})
const priceSchema = z.looseObject({
  productId: id,
  price: z.union([z.number(), z.string()]).nullish(),
  currency: z.string().nullish(),
})

type ProductDto = z.infer<typeof productSchema>
type PriceDto = z.infer<typeof priceSchema>

/** The list under `result[key]` (`{catalogs: […]}`), each row checked; a PHP object-list counts too. */
function rowsOf<S extends z.ZodType>(value: unknown, key: string, schema: S, method: string): z.infer<S>[] {
  const wrapped = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  return checkRows(Array.isArray(wrapped) ? wrapped : wrapped && typeof wrapped === 'object' ? Object.values(wrapped) : undefined, schema, method)
}

/** Rows checked against the schema; an unexpected shape is a Bitrix24Error, not a crash. */
function checkRows<S extends z.ZodType>(list: unknown, schema: S, method: string): z.infer<S>[] {
  const parsed = z.array(schema).safeParse(list)
  if (parsed.success) return parsed.data
  throw new Bitrix24Error({
    kind: 'bad-request',
    code: 'UNEXPECTED_RESPONSE',
    method,
    description: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  })
}

/** A batch whose failures are explained: no catalog scope or rights → a plain-Russian message. */
async function batch(client: Bitrix24Client, calls: Record<string, BatchCommand>): Promise<Record<string, unknown>> {
  try {
    return await client.batchOrThrow(calls)
  } catch (error) {
    if (error instanceof Bitrix24BatchError && error.failures.some((f) => /scope|access|denied|200040300/i.test(`${f.code} ${f.description}`))) {
      throw new Bitrix24Error({
        kind: 'access-denied',
        code: error.failures[0]?.code || 'ACCESS_DENIED',
        method: 'batch',
        description: error.message,
        userMessage: catalogMessages.catalogNotReadable,
        cause: error,
      })
    }
    throw error
  }
}

export interface CatalogReferences {
  /** The iblock of the CRM product catalog (not its variations catalog). */
  iblockId: number
  /** The base price type («BASE»): its price is the good's sale price. */
  basePriceTypeId: number | null
  vats: Map<number, { name: string; rate: number | string | null }>
  /** Measure id → unit text («шт»). */
  units: Map<number, string>
  defaultUnit: string
}

/** One batch: catalogs, price types, VAT rates, units of measure. */
export async function readCatalogReferences(client: Bitrix24Client): Promise<CatalogReferences> {
  const r = await batch(client, {
    catalogs: ['catalog.catalog.list', { select: ['id', 'iblockId', 'productIblockId', 'name'] }],
    priceTypes: ['catalog.priceType.list', { select: ['id', 'base'] }],
    vats: ['catalog.vat.list', {}],
    measures: ['catalog.measure.list', {}],
  })
  const catalogs = rowsOf(r.catalogs, 'catalogs', catalogSchema, 'catalog.catalog.list')
  // The CRM catalog is the one that is nobody's variations catalog.
  const main = catalogs.filter((c) => c.productIblockId === null).sort((a, b) => a.id - b.id)[0]
  if (!main) {
    throw new Bitrix24Error({ kind: 'not-found', code: 'NO_CATALOG', method: 'catalog.catalog.list', userMessage: catalogMessages.noCrmCatalog })
  }
  const base = rowsOf(r.priceTypes, 'priceTypes', priceTypeSchema, 'catalog.priceType.list').find((t) => t.base)
  const vats = new Map(rowsOf(r.vats, 'vats', vatSchema, 'catalog.vat.list').map((v) => [v.id, { name: v.name ?? '', rate: v.rate ?? null }]))
  const measures = rowsOf(r.measures, 'measures', measureSchema, 'catalog.measure.list')
  const unitOf = (m: (typeof measures)[number]) => (m.symbol?.trim() || m.measureTitle?.trim() || FALLBACK_UNIT)
  const fallback = measures.find((m) => m.isDefault)
  return {
    iblockId: main.iblockId,
    basePriceTypeId: base?.id ?? null,
    vats,
    units: new Map(measures.map((m) => [m.id, unitOf(m)])),
    defaultUnit: fallback ? unitOf(fallback) : FALLBACK_UNIT,
  }
}

/** A catalog product as the sync needs it. */
export interface CrmProduct {
  id: number
  name: string
  /** Catalog type; 7 = service. */
  type: number
  active: boolean
  unit: string
  /** The product's VAT rate, or the rate text when MoeDelo has no such rate. */
  vat: { ok: true; rate: VatRate } | { ok: false; value: string }
  vatIncluded: boolean
  /** The base price in roubles; `null` when there is none (or it is in another currency). */
  salePrice: Kopecks | null
}

export const isService = (p: Pick<CrmProduct, 'type'>): boolean => p.type === SERVICE_TYPE

/**
 * VAT of a product: no rate chosen, a rate without a value, or a record named «Без НДС» mean
 * without VAT (a portal's «Без НДС» record carries no rate, or 0 on some portals: the name tells).
 */
function vatOf(refs: CatalogReferences, vatId: number | null): CrmProduct['vat'] {
  if (vatId === null) return { ok: true, rate: 'none' }
  const vat = refs.vats.get(vatId)
  if (!vat || vat.rate === null || vat.rate === '' || /без\s*ндс/i.test(vat.name)) return { ok: true, rate: 'none' }
  const parsed = tryParseVatRate(vat.rate, 'percent')
  return parsed.ok ? { ok: true, rate: parsed.value } : { ok: false, value: String(vat.rate) }
}

function salePriceOf(price: PriceDto | undefined): Kopecks | null {
  if (!price || price.price === null || price.price === undefined) return null
  if ((price.currency ?? 'RUB').toUpperCase() !== 'RUB') return null
  const parsed = tryParseMoney(price.price, { rounding: 'half_up' })
  return parsed.ok && parsed.value >= 0n ? parsed.value : null
}

function toProduct(refs: CatalogReferences, dto: ProductDto, price: PriceDto | undefined): CrmProduct {
  return {
    id: dto.id,
    name: dto.name.trim(),
    type: dto.type,
    active: dto.active,
    unit: (dto.measure !== null ? refs.units.get(dto.measure) : undefined) ?? refs.defaultUnit,
    vat: vatOf(refs, dto.vatId),
    vatIncluded: dto.vatIncluded,
    salePrice: salePriceOf(price),
  }
}

const PRODUCT_SELECT = ['id', 'iblockId', 'name', 'type', 'active', 'measure', 'vatId', 'vatIncluded']

/** These products only (unknown ids are left out), 50 per batch request with their base prices. */
export async function readProducts(client: Bitrix24Client, refs: CatalogReferences, productIds: readonly number[]): Promise<CrmProduct[]> {
  const ids = [...new Set(productIds.filter((i) => Number.isInteger(i) && i > 0))]
  const out: CrmProduct[] = []
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE)
    const calls: Record<string, BatchCommand> = {
      products: ['catalog.product.list', { select: PRODUCT_SELECT, filter: { iblockId: refs.iblockId, id: chunk } }],
    }
    if (refs.basePriceTypeId !== null) {
      calls.prices = ['catalog.price.list', { select: ['productId', 'price', 'currency'], filter: { '@productId': chunk, catalogGroupId: refs.basePriceTypeId } }]
    }
    const r = await batch(client, calls)
    const prices = refs.basePriceTypeId === null ? [] : rowsOf(r.prices, 'prices', priceSchema, 'catalog.price.list')
    const byProduct = new Map(prices.map((p) => [p.productId, p]))
    for (const dto of rowsOf(r.products, 'products', productSchema, 'catalog.product.list')) {
      if (chunk.includes(dto.id)) out.push(toProduct(refs, dto, byProduct.get(dto.id)))
    }
  }
  return out
}

/** Every product of the CRM catalog (services included, to be counted) with its base price. */
export async function readAllProducts(client: Bitrix24Client, refs: CatalogReferences): Promise<CrmProduct[]> {
  const products = checkRows(
    await client.callList('catalog.product.list', { select: PRODUCT_SELECT, filter: { iblockId: refs.iblockId } }, { idKey: 'id', customKeyForResult: 'products' }),
    productSchema,
    'catalog.product.list',
  )
  const prices =
    refs.basePriceTypeId === null
      ? []
      : checkRows(
          await client.callList(
            'catalog.price.list',
            { select: ['id', 'productId', 'price', 'currency'], filter: { catalogGroupId: refs.basePriceTypeId } },
            { idKey: 'id', customKeyForResult: 'prices' },
          ),
          priceSchema.extend({ id }),
          'catalog.price.list',
        )
  const byProduct = new Map(prices.map((p) => [p.productId, p]))
  return products.map((dto) => toProduct(refs, dto, byProduct.get(dto.id))).sort((a, b) => a.id - b.id)
}

/** The product a price belongs to (CATALOG.PRICE.ON.* events carry the price id only). */
export async function productOfPrice(client: Bitrix24Client, priceId: number): Promise<number | undefined> {
  const r = await batch(client, { prices: ['catalog.price.list', { select: ['id', 'productId'], filter: { id: priceId } }] })
  return rowsOf(r.prices, 'prices', z.looseObject({ id, productId: id }), 'catalog.price.list').find((p) => p.id === priceId)?.productId
}
