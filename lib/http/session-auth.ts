/** Authenticates our JSON API calls from framed pages: a signed session in `Authorization: Bearer`. */
import type { Database } from '@/db'
import { getActivePortal } from '@/lib/portals/repository'
import { getRuntime } from '@/lib/runtime'
import { sessionFromAuthorization, verifySession, type VerifiedSession } from '@/lib/security/session'
import { jsonError } from './responses'

export interface ApiContext {
  session: VerifiedSession
  db: Database
}

/** Returns the caller's context, or the 401/403 response to send. Every query below is scoped by `session.memberId`. */
export async function authenticateApi(request: Request, options: { admin?: boolean; allowQueryToken?: boolean } = {}): Promise<ApiContext | Response> {
  // A plain link (a PDF opened in a new tab) cannot send a header: such routes take the session as `?s=`.
  const fromQuery = options.allowQueryToken ? new URL(request.url).searchParams.get('s') : null
  const session = fromQuery ? verifySession(fromQuery) : sessionFromAuthorization(request.headers.get('authorization'))
  if (!session) return jsonError(401, 'Сессия истекла. Закройте и снова откройте вкладку приложения.')
  const { database } = await getRuntime()
  const portal = await getActivePortal(database.db, session.memberId)
  if (!portal) return jsonError(401, 'Приложение не установлено на этом портале.')
  if (options.admin && !session.isAdmin) return jsonError(403, 'Это действие доступно только администратору портала.')
  return { session, db: database.db }
}
