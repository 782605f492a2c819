import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { syncJournal } from '@/db/schema'
import { mayReadEntity } from '@/lib/http/entity-access'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

const querySchema = z.object({
  entityType: z.enum(['deal', 'company']).optional(),
  entityId: z.string().regex(/^\d+$/).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export async function GET(request: Request) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!parsed.success) return jsonError(400, 'Неверные параметры запроса журнала.')
  const { entityType, entityId, before, limit } = parsed.data
  // The whole portal's journal is for the settings page; a card's tab sees that card's entries only.
  const allowed = entityType && entityId ? mayReadEntity(context.session, entityType, Number(entityId)) : context.session.isAdmin && context.session.entityType === undefined
  if (!allowed) return jsonError(403, 'Нет доступа к этому журналу.')
  const conditions: SQL[] = [eq(syncJournal.memberId, context.session.memberId)]
  if (entityType) conditions.push(eq(syncJournal.entityType, entityType))
  if (entityId) conditions.push(eq(syncJournal.entityId, entityId))
  if (before) conditions.push(lt(syncJournal.id, before))
  const entries = await context.db
    .select({
      id: syncJournal.id,
      at: syncJournal.at,
      level: syncJournal.level,
      topic: syncJournal.topic,
      entityType: syncJournal.entityType,
      entityId: syncJournal.entityId,
      message: syncJournal.message,
    })
    .from(syncJournal)
    .where(and(...conditions))
    .orderBy(desc(syncJournal.id))
    .limit(limit)
  return jsonResponse({ entries })
}
