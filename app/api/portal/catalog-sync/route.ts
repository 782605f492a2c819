/** «Выгрузить каталог в «Моё дело»» on the settings page: POST starts a run (admins), GET reports the latest one. */
import { catalogSyncProgress, startCatalogSync } from '@/lib/catalog'
import { connectionStatus } from '@/lib/connections/moedelo'
import { catalogMessages } from '@/lib/domain/messages'
import { userMessageOf } from '@/lib/errors'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function GET(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  return jsonResponse({ run: await catalogSyncProgress(context.db, context.session.memberId) })
}

export async function POST(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  const { memberId } = context.session
  if (!(await connectionStatus(context.db, memberId)).connected) return jsonError(400, catalogMessages.moedeloNotConnected)
  try {
    const { started, ...run } = await startCatalogSync(context.db, memberId)
    return jsonResponse({ run, started }, started ? 202 : 200)
  } catch (error) {
    return jsonError(502, userMessageOf(error))
  }
}
