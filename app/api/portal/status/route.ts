import { connectionStatus, moedeloOAuthSettings } from '@/lib/connections/moedelo'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function GET(request: Request) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  const { session, db } = context
  return jsonResponse({
    memberId: session.memberId,
    isAdmin: session.isAdmin,
    moedelo: await connectionStatus(db, session.memberId),
    oauthAvailable: Boolean(moedeloOAuthSettings()),
  })
}
