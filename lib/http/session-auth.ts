/** Authenticates our JSON API calls from framed pages: a signed session in `Authorization: Bearer`. */
import type { Database } from '@/db'
import { getActivePortal } from '@/lib/portals/repository'
import { getRuntime } from '@/lib/runtime'
import { sessionFromAuthorization, type VerifiedSession } from '@/lib/security/session'
import { jsonError } from './responses'

export interface ApiContext {
  session: VerifiedSession
  db: Database
}

/** Returns the caller's context, or the 401/403 response to send. Every query below is scoped by `session.memberId`. */
export async function authenticateApi(request: Request, options: { admin?: boolean } = {}): Promise<ApiContext | Response> {
  const session = sessionFromAuthorization(request.headers.get('authorization'))
  if (!session) return jsonError(401, 'Сессия истекла. Закройте и снова откройте вкладку приложения.')
  const { database } = await getRuntime()
  const portal = await getActivePortal(database.db, session.memberId)
  if (!portal) return jsonError(401, 'Приложение не установлено на этом портале.')
  if (options.admin && !session.isAdmin) return jsonError(403, 'Это действие доступно только администратору портала.')
  return { session, db: database.db }
}
