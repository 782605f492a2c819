/** MoeDelo stock goods for the goods rows of a bill (catalog → nomenclature mapping). */
import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '@/db'
import { catalogGoods } from '@/db/schema'
import type { Bitrix24Client } from '@/lib/bitrix24/client'
import type { MoeDeloClient } from '@/lib/moedelo'

/** Catalog product id → MoeDelo good id, for the products already mapped. */
export async function stockGoodsFor(
  db: Database,
  memberId: string,
  _clients: { bitrix: Bitrix24Client; moedelo: MoeDeloClient },
  productIds: readonly number[],
): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map()
  const rows = await db
    .select({ productId: catalogGoods.productId, goodId: catalogGoods.goodId })
    .from(catalogGoods)
    .where(and(eq(catalogGoods.memberId, memberId), inArray(catalogGoods.productId, [...new Set(productIds)])))
  return new Map(rows.map((r) => [r.productId, r.goodId]))
}
