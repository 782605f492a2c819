/**
 * CRM catalog goods → MoeDelo stock goods (moedelo.md §7, §12 item 5). Services are never sent:
 * in MoeDelo a service is only a bill line (`Type` 2, no `StockProductId`).
 *
 * Per product: its content hash equals the recorded one → nothing is sent (no MoeDelo call). A
 * linked product that changed → the good is read and updated (members we do not manage are kept).
 * An unlinked product → first a good with its marker (`Article` = `B24-<id>`) is looked for by name,
 * so a crash between creating a good and recording the link never makes a second good; only then a
 * good is created in the portal's first goods group. Two jobs creating the same product at once:
 * the first recorded link wins and the other good is deleted again.
 *
 *   ensureStockGoods(db, memberId, { bitrix, moedelo }, [12, 15]) → Map { 12 => 5000017 }
 */
import type { Database } from '@/db/client'
import type { Bitrix24Client } from '@/lib/bitrix24/client'
import { catalogMessages } from '@/lib/domain/messages'
import { AppError } from '@/lib/errors'
import { writeJournal } from '@/lib/jobs'
import { isMoeDeloError, type MoeDeloClient } from '@/lib/moedelo'
import { isService, readAllProducts, readCatalogReferences, readProducts, type CrmProduct } from './crm-catalog'
import { contentHash, goodContentOf, goodInput, type GoodContent } from './good'
import { forgetGoods, forgetLink, linksFor, recordLink, updateLink, type GoodLink } from './store'

export const CATALOG_TOPIC = 'catalog'

export interface CatalogClients {
  bitrix: Bitrix24Client
  moedelo: MoeDeloClient
}

/** An expected stop of the catalog sync (no goods group, goods MoeDelo refused): plain Russian, not retried. */
export class CatalogSyncError extends AppError {
  constructor(
    readonly reason: 'no-goods-group' | 'goods-refused',
    userMessage: string,
  ) {
    super(`catalog sync: ${reason}`, { userMessage, service: 'moedelo' })
  }
}

export type GoodOutcome =
  /** `recovered`: a good made by an earlier run that stopped before recording it was found and linked. */
  | { kind: 'created' | 'recovered' | 'updated' | 'unchanged'; productId: number; name: string; goodId: number }
  /** The product cannot become a good (a VAT rate MoeDelo lacks, no name) or MoeDelo refused it. */
  | { kind: 'failed'; productId: number; name: string; message: string }

/** Writes the goods of one portal; the goods group is asked for once, and only when a good is made. */
class GoodsWriter {
  private group: Promise<number> | undefined

  constructor(
    private readonly db: Database,
    private readonly memberId: string,
    private readonly moedelo: MoeDeloClient,
  ) {}

  private groupId(): Promise<number> {
    this.group ??= this.moedelo.listGoodsGroups().then((groups) => {
      const first = groups[0]
      if (!first) throw new CatalogSyncError('no-goods-group', catalogMessages.noGoodsGroup)
      return first.id
    })
    return this.group
  }

  async write(product: CrmProduct, link: GoodLink | undefined): Promise<GoodOutcome> {
    const base = { productId: product.id, name: product.name }
    const content = goodContentOf(product)
    if (!content.ok) return { kind: 'failed', ...base, message: content.message }
    const hash = contentHash(content.content)
    if (link && link.hash === hash) return { kind: 'unchanged', ...base, goodId: link.goodId }
    try {
      if (link) {
        const current = await this.moedelo.getGood(link.goodId)
        if (current) {
          const good = await this.moedelo.updateGood(current.id, goodInput(content.content, current.groupId ?? (await this.groupId()), current))
          await updateLink(this.db, this.memberId, product.id, { goodId: good.id, hash })
          return { kind: 'updated', ...base, goodId: good.id }
        }
        // Deleted in MoeDelo: made again below.
        await forgetLink(this.db, this.memberId, product.id)
      }
      return { ...base, ...(await this.createOrRecover(product.id, content.content, hash)) }
    } catch (error) {
      if (isMoeDeloError(error) && error.kind === 'validation') {
        return { kind: 'failed', ...base, message: catalogMessages.goodRefused(product.name, error.userMessage) }
      }
      throw error
    }
  }

  private async createOrRecover(productId: number, content: GoodContent, hash: string): Promise<{ kind: 'created' | 'recovered'; goodId: number }> {
    const earlier = (await this.moedelo.findGoodsByName(content.name)).find((g) => g.article === content.article)
    if (earlier) {
      const good = await this.moedelo.updateGood(earlier.id, goodInput(content, earlier.groupId ?? (await this.groupId()), earlier))
      const link = await recordLink(this.db, this.memberId, productId, { goodId: good.id, hash })
      return { kind: 'recovered', goodId: link.goodId }
    }
    const created = await this.moedelo.createGood(goodInput(content, await this.groupId()))
    const link = await recordLink(this.db, this.memberId, productId, { goodId: created.id, hash })
    // Another job linked a good to this product meanwhile: ours is a duplicate nobody uses yet.
    if (link.goodId !== created.id) await this.moedelo.deleteGood(created.id)
    return { kind: 'created', goodId: link.goodId }
  }
}

/** Journal entries for what changed in MoeDelo (and for what could not be sent). */
async function journalOutcome(db: Database, memberId: string, outcome: GoodOutcome, changes: boolean): Promise<void> {
  const entity = { entityType: 'product', entityId: outcome.productId }
  if (outcome.kind === 'failed') {
    await writeJournal(db, { memberId, level: 'warning', topic: CATALOG_TOPIC, ...entity, message: outcome.message })
    return
  }
  if (!changes || outcome.kind === 'unchanged') return
  await writeJournal(db, {
    memberId,
    level: 'info',
    topic: CATALOG_TOPIC,
    ...entity,
    message:
      outcome.kind === 'updated' ? catalogMessages.goodUpdated(outcome.name, outcome.goodId) : catalogMessages.goodCreated(outcome.name, outcome.goodId),
    details: { goodId: outcome.goodId, outcome: outcome.kind },
  })
}

/**
 * Goods among these catalog products → MoeDelo good id; syncs the ones not mapped or changed.
 * Services and unknown products are absent from the map. Reads only these products from Bitrix24;
 * a linked product whose content did not change costs no MoeDelo call. Throws `CatalogSyncError`
 * when MoeDelo refuses a good (or the firm has no goods group), MoeDeloError / Bitrix24Error for
 * service failures (`retryable` says whether to try again).
 */
export async function ensureStockGoods(
  db: Database,
  memberId: string,
  clients: { bitrix: Bitrix24Client; moedelo: MoeDeloClient },
  productIds: readonly number[],
): Promise<Map<number, number>> {
  const goods = new Map<number, number>()
  const ids = [...new Set(productIds.filter((id) => Number.isInteger(id) && id > 0))]
  if (ids.length === 0) return goods
  const refs = await readCatalogReferences(clients.bitrix)
  const products = (await readProducts(clients.bitrix, refs, ids)).filter((p) => !isService(p))
  const links = await linksFor(db, memberId, products.map((p) => p.id))
  const writer = new GoodsWriter(db, memberId, clients.moedelo)
  const refused: string[] = []
  for (const product of products) {
    const outcome = await writer.write(product, links.get(product.id))
    await journalOutcome(db, memberId, outcome, true)
    if (outcome.kind === 'failed') refused.push(outcome.message)
    else goods.set(product.id, outcome.goodId)
  }
  if (refused.length > 0) throw new CatalogSyncError('goods-refused', catalogMessages.goodsRefused(refused))
  return goods
}

/**
 * For the invoice path: MoeDelo refused a bill because a `StockProductId` is no longer a good there
 * (deleted by the accountant). Forgets those links; the next `ensureStockGoods` makes the goods again.
 */
export async function forgetStockGoods(db: Database, memberId: string, goodIds: readonly number[]): Promise<number> {
  return forgetGoods(db, memberId, goodIds)
}

export type ProductSyncOutcome = GoodOutcome | { kind: 'service' | 'gone'; productId: number }

/** One product changed in the CRM (CATALOG.PRODUCT.ON.* events): its good is made or updated. */
export async function syncCatalogProduct(db: Database, memberId: string, clients: CatalogClients, productId: number): Promise<ProductSyncOutcome> {
  const refs = await readCatalogReferences(clients.bitrix)
  const [product] = await readProducts(clients.bitrix, refs, [productId])
  if (!product) return { kind: 'gone', productId }
  if (isService(product)) return { kind: 'service', productId }
  const links = await linksFor(db, memberId, [productId])
  const outcome = await new GoodsWriter(db, memberId, clients.moedelo).write(product, links.get(productId))
  await journalOutcome(db, memberId, outcome, true)
  return outcome
}

export interface CatalogSyncSummary {
  /** Goods to send: active products that are not services. */
  total: number
  created: number
  updated: number
  unchanged: number
  failed: number
  services: number
  inactive: number
  /** Goods that could not be sent, with the reason (the first few). */
  failures: { productId: number; name: string; message: string }[]
}

const MAX_LISTED_FAILURES = 20

/**
 * The whole catalog, incrementally: every active good whose content changed since it was last sent
 * (or that was never sent). Inactive products are left alone until an invoice needs them.
 */
export async function syncCatalog(
  db: Database,
  memberId: string,
  clients: CatalogClients,
  onProgress?: (summary: CatalogSyncSummary) => Promise<void>,
): Promise<CatalogSyncSummary> {
  const refs = await readCatalogReferences(clients.bitrix)
  const all = await readAllProducts(clients.bitrix, refs)
  const goods = all.filter((p) => !isService(p) && p.active)
  const summary: CatalogSyncSummary = {
    total: goods.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    services: all.filter(isService).length,
    inactive: all.filter((p) => !isService(p) && !p.active).length,
    failures: [],
  }
  await onProgress?.(summary)
  const links = await linksFor(db, memberId)
  const writer = new GoodsWriter(db, memberId, clients.moedelo)
  for (const product of goods) {
    const outcome = await writer.write(product, links.get(product.id))
    await journalOutcome(db, memberId, outcome, false)
    if (outcome.kind === 'failed') {
      summary.failed += 1
      if (summary.failures.length < MAX_LISTED_FAILURES) summary.failures.push({ productId: outcome.productId, name: outcome.name, message: outcome.message })
    } else if (outcome.kind === 'recovered') summary.created += 1
    else summary[outcome.kind] += 1
    await onProgress?.(summary)
  }
  return summary
}
