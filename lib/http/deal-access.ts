/** The common start of every deal-tab API route: the session, the deal id from the path, access, the portal. */
import type { Database } from '@/db'
import { getActivePortal, type Portal } from '@/lib/portals/repository'
import type { VerifiedSession } from '@/lib/security/session'
import { entityIdParam, mayReadEntity } from './entity-access'
import { jsonError } from './responses'
import { authenticateApi } from './session-auth'

export interface DealContext {
  session: VerifiedSession
  db: Database
  portal: Portal
  dealId: number
}

export async function dealContext(request: Request, rawDealId: string, options: { allowQueryToken?: boolean } = {}): Promise<DealContext | Response> {
  const context = await authenticateApi(request, options)
  if (context instanceof Response) return context
  const dealId = entityIdParam(rawDealId)
  if (dealId === undefined) return jsonError(400, 'Неверный номер сделки.')
  if (!mayReadEntity(context.session, 'deal', dealId)) return jsonError(403, 'Нет доступа к этой сделке.')
  const portal = await getActivePortal(context.db, context.session.memberId)
  if (!portal) return jsonError(401, 'Приложение не установлено на этом портале.')
  return { ...context, portal, dealId }
}
