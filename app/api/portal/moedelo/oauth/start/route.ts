import { moedeloOAuthSettings } from '@/lib/connections/moedelo'
import { config } from '@/lib/config'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'
import { OAuth2Credentials } from '@/lib/moedelo'
import { issueSignedToken } from '@/lib/security/signed-token'
import { MOEDELO_OAUTH_STATE, moedeloOAuthRedirectUri } from '@/lib/connections/moedelo-oauth-state'

export const runtime = 'nodejs'

export async function POST(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  const settings = moedeloOAuthSettings()
  if (!settings) return jsonError(400, 'Вход через OAuth 2.0 не настроен на сервере приложения.')
  const state = issueSignedToken(MOEDELO_OAUTH_STATE, { memberId: context.session.memberId, userId: context.session.userId }, 600)
  const authorizeUrl = new OAuth2Credentials(settings).authorizationUrl(state, moedeloOAuthRedirectUri(config().APP_URL))
  return jsonResponse({ authorizeUrl })
}
