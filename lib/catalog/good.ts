/**
 * A CRM catalog product → the MoeDelo stock good made from it (moedelo.md §7, §10): name, unit of
 * measure as text, `Nds` (the rate in percent, −1 without VAT), the base price as `SalePrice` and
 * `NdsPositionType` from the product's «НДС включён в цену». The good's `Article` is `B24-<product
 * id>`: it is how the sync finds a good it created before a crash let it record the link.
 */
import { createHash } from 'node:crypto'
import { catalogMessages } from '@/lib/domain/messages'
import { formatMoney, type Kopecks } from '@/lib/domain/kopecks'
import type { VatMode, VatRate } from '@/lib/domain/vat'
import type { StockGood, StockGoodInput } from '@/lib/moedelo'
import type { CrmProduct } from './crm-catalog'

const ARTICLE_PREFIX = 'B24-'
/** Longest good name we send (MoeDelo's limit is unknown; bill lines take up to 1000 characters). */
const NAME_MAX = 1000
/** Bump when the content or its hashing changes, so every good is sent once more. */
const HASH_VERSION = 1

/** The marker our goods carry in `Article`. */
export const articleOf = (productId: number): string => `${ARTICLE_PREFIX}${productId}`

/** What we keep in MoeDelo for a product; everything else on the good belongs to the accountant. */
export interface GoodContent {
  name: string
  article: string
  unit: string
  vatRate: VatRate
  vatMode: VatMode
  salePrice: Kopecks | null
}

export type ContentResult = { ok: true; content: GoodContent } | { ok: false; message: string }

export function goodContentOf(product: CrmProduct): ContentResult {
  if (!product.name) return { ok: false, message: catalogMessages.noName(product.id) }
  if (product.name.length > NAME_MAX) return { ok: false, message: catalogMessages.nameTooLong(product.name, NAME_MAX) }
  if (!product.vat.ok) return { ok: false, message: catalogMessages.unsupportedVat(product.name, product.vat.value) }
  const rate = product.vat.rate
  return {
    ok: true,
    content: {
      name: product.name,
      article: articleOf(product.id),
      unit: product.unit,
      vatRate: rate,
      // MoeDelo keeps «НДС в т.ч. / сверху» per good as it does per document (§10.1).
      vatMode: rate === 'none' ? 'none' : product.vatIncluded ? 'included' : 'on_top',
      salePrice: product.salePrice,
    },
  }
}

/** A stable fingerprint of the content: the same product twice → the same hash → no MoeDelo call. */
export function contentHash(content: GoodContent): string {
  const canonical = [
    HASH_VERSION,
    content.name,
    content.article,
    content.unit,
    String(content.vatRate),
    content.vatMode,
    content.salePrice === null ? null : formatMoney(content.salePrice),
  ]
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32)
}

/**
 * The body for a create (no `existing`) or an update: our members from the content, the rest as the
 * good has them now, so an update never wipes what the accountant filled in (producer, minimums…).
 */
export function goodInput(content: GoodContent, groupId: number, existing?: StockGood): StockGoodInput {
  const kept: Partial<StockGoodInput> = existing
    ? {
        modification: existing.modification,
        minSalePrice: existing.minSalePrice,
        kind: existing.kind ?? 'goods',
        producer: existing.producer,
        productSubType: existing.productSubType,
        productMinimum: existing.productMinimum,
      }
    : { kind: 'goods' }
  return {
    ...kept,
    groupId,
    name: content.name,
    article: content.article,
    unit: content.unit,
    vatRate: content.vatRate,
    vatMode: content.vatMode,
    salePrice: content.salePrice,
  }
}
