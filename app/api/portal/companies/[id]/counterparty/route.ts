import { companyCounterpartyView } from '@/lib/sync/counterparties'
import { entityIdParam, mayReadEntity } from '@/lib/http/entity-access'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  const companyId = entityIdParam((await params).id)
  if (companyId === undefined) return jsonError(400, 'Неверный номер компании.')
  if (!mayReadEntity(context.session, 'company', companyId)) return jsonError(403, 'Нет доступа к этой компании.')
  const view = await companyCounterpartyView(context.db, context.session.memberId, companyId)
  return jsonResponse(view ? { linked: true, ...view } : { linked: false })
}
