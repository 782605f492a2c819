import { bulkSyncProgress, startBulkFirstSync } from '@/lib/sync/bulk-first-sync'
import { connectionStatus } from '@/lib/connections/moedelo'
import { userMessageOf } from '@/lib/errors'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function GET(request: Request) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  return jsonResponse({ run: await bulkSyncProgress(context.db, context.session.memberId) })
}

export async function POST(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  if (!(await connectionStatus(context.db, context.session.memberId)).connected)
    return jsonError(400, 'Сначала подключите «Моё дело».')
  try {
    await startBulkFirstSync(context.db, context.session.memberId)
    return jsonResponse({ run: await bulkSyncProgress(context.db, context.session.memberId) })
  } catch (error) {
    return jsonError(502, userMessageOf(error))
  }
}
