/** The product → good links (`catalog_goods`): which MoeDelo good a CRM product became, and what was sent. */
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { catalogGoods } from '@/db/schema'

export interface GoodLink {
  goodId: number
  /** Content hash of what was last sent. */
  hash: string
}

/** Links of these products (all of the portal's when `productIds` is absent). */
export async function linksFor(db: Database, memberId: string, productIds?: readonly number[]): Promise<Map<number, GoodLink>> {
  if (productIds && productIds.length === 0) return new Map()
  const where = productIds
    ? and(eq(catalogGoods.memberId, memberId), inArray(catalogGoods.productId, [...productIds]))
    : eq(catalogGoods.memberId, memberId)
  const rows = await db.select({ productId: catalogGoods.productId, goodId: catalogGoods.goodId, hash: catalogGoods.hash }).from(catalogGoods).where(where)
  return new Map(rows.map((r) => [r.productId, { goodId: r.goodId, hash: r.hash }]))
}

/**
 * Records a new link unless the product got one meanwhile (another job made a good at the same
 * time): returns the link that stands, ours or theirs.
 */
export async function recordLink(db: Database, memberId: string, productId: number, link: GoodLink): Promise<GoodLink> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const inserted = await db
      .insert(catalogGoods)
      .values({ memberId, productId, goodId: link.goodId, hash: link.hash, syncedAt: new Date() })
      .onConflictDoNothing()
      .returning({ goodId: catalogGoods.goodId })
    if (inserted.length > 0) return link
    const existing = (await linksFor(db, memberId, [productId])).get(productId)
    if (existing) return existing
    // The conflict was on the good: a deleted product's link still holds it. The good is this product's now.
    await db.delete(catalogGoods).where(and(eq(catalogGoods.memberId, memberId), eq(catalogGoods.goodId, link.goodId)))
  }
  throw new Error(`catalog_goods: could not link product ${productId} to good ${link.goodId}`)
}

export async function updateLink(db: Database, memberId: string, productId: number, link: GoodLink): Promise<void> {
  await db
    .update(catalogGoods)
    .set({ goodId: link.goodId, hash: link.hash, syncedAt: new Date() })
    .where(and(eq(catalogGoods.memberId, memberId), eq(catalogGoods.productId, productId)))
}

/** Forgets a link whose good is gone from MoeDelo. */
export async function forgetLink(db: Database, memberId: string, productId: number): Promise<void> {
  await db.delete(catalogGoods).where(and(eq(catalogGoods.memberId, memberId), eq(catalogGoods.productId, productId)))
}

/** Forgets the links to these goods (MoeDelo no longer knows them): the next sync makes them again. */
export async function forgetGoods(db: Database, memberId: string, goodIds: readonly number[]): Promise<number> {
  if (goodIds.length === 0) return 0
  const removed = await db
    .delete(catalogGoods)
    .where(and(eq(catalogGoods.memberId, memberId), inArray(catalogGoods.goodId, [...goodIds])))
    .returning({ productId: catalogGoods.productId })
  return removed.length
}
