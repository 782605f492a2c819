import { counterpartyRefreshJob } from '@/lib/sync/counterparties'
import { enqueue } from '@/lib/jobs'
import { entityIdParam, mayReadEntity } from '@/lib/http/entity-access'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

/** «Обновить из ЕГРЮЛ»: re-reads the register (bypassing the cache) and re-applies the conflict rules. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  const companyId = entityIdParam((await params).id)
  if (companyId === undefined) return jsonError(400, 'Неверный номер компании.')
  if (!mayReadEntity(context.session, 'company', companyId)) return jsonError(403, 'Нет доступа к этой компании.')
  await enqueue(
    counterpartyRefreshJob,
    { memberId: context.session.memberId, companyId, editorUserId: context.session.userId },
    { singletonKey: `refresh:${context.session.memberId}:${companyId}` },
  )
  return jsonResponse({ queued: true })
}
