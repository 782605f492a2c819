/**
 * Bitrix24 has no "stage changed" event: on every deal add/update we re-read the deal and compare
 * STAGE_ID / CATEGORY_ID with the last seen values in `deal_stages`. The compare-and-update runs
 * under a row lock, so a duplicate or concurrent event for the same change reports it only once.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { dealStages } from '@/db/schema'
import type { Bitrix24Client } from './client'

export interface Bitrix24Deal {
  ID: string
  STAGE_ID: string
  CATEGORY_ID?: string | number | null
  [field: string]: unknown
}

export interface StageChange {
  /** True when the stage or pipeline differs from the last seen one (or the deal is new to us). */
  changed: boolean
  /** The previously seen stage (absent the first time we see the deal). */
  from?: string
  fromCategoryId?: number
  to: string
  categoryId: number
  deal: Bitrix24Deal
}

export async function detectStageChange(
  db: Database,
  client: Pick<Bitrix24Client, 'call'>,
  memberId: string,
  dealId: number,
): Promise<StageChange> {
  const deal = await client.call<Bitrix24Deal>('crm.deal.get', { id: dealId })
  const to = String(deal.STAGE_ID ?? '')
  const categoryId = Number(deal.CATEGORY_ID ?? 0) || 0
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(dealStages)
      .values({ memberId, dealId, categoryId, stageId: to })
      .onConflictDoNothing()
      .returning({ dealId: dealStages.dealId })
    if (inserted.length > 0) return { changed: true, to, categoryId, deal }

    const where = and(eq(dealStages.memberId, memberId), eq(dealStages.dealId, dealId))
    const [previous] = await tx.select().from(dealStages).where(where).for('update')
    const from = previous?.stageId
    const fromCategoryId = previous?.categoryId
    const changed = from !== to || fromCategoryId !== categoryId
    if (changed) {
      await tx.update(dealStages).set({ stageId: to, categoryId, seenAt: sql`now()` }).where(where)
    }
    return {
      changed,
      ...(from !== undefined ? { from } : {}),
      ...(fromCategoryId !== undefined ? { fromCategoryId } : {}),
      to,
      categoryId,
      deal,
    }
  })
}
