import { config } from '@/lib/config'
import { connectWithOAuthCode } from '@/lib/connections/moedelo'
import { MOEDELO_OAUTH_STATE, moedeloOAuthRedirectUri, oauthStateSchema } from '@/lib/connections/moedelo-oauth-state'
import { userMessageOf } from '@/lib/errors'
import { htmlMessage } from '@/lib/http/responses'
import { writeJournal } from '@/lib/jobs'
import { getActivePortal } from '@/lib/portals/repository'
import { getRuntime } from '@/lib/runtime'
import { verifySignedToken } from '@/lib/security/signed-token'
import { onMoeDeloConnected } from '@/lib/sync/moedelo-connected'

export const runtime = 'nodejs'

/** MoeDelo's authorization server sends the administrator back here with `code` and `state`. */
export async function GET(request: Request) {
  const url = new URL(request.url)
  const state = verifySignedToken(MOEDELO_OAUTH_STATE, oauthStateSchema, url.searchParams.get('state'))
  const code = url.searchParams.get('code')
  if (!state || !code)
    return htmlMessage(400, 'Подключение не выполнено', 'Ссылка устарела или повреждена. Начните подключение заново в настройках приложения.')
  const { database } = await getRuntime()
  if (!(await getActivePortal(database.db, state.memberId)))
    return htmlMessage(400, 'Подключение не выполнено', 'Приложение больше не установлено на этом портале.')
  try {
    await connectWithOAuthCode(database.db, state.memberId, code, moedeloOAuthRedirectUri(config().APP_URL))
  } catch (error) {
    return htmlMessage(502, 'Подключение не выполнено', userMessageOf(error))
  }
  await writeJournal(database.db, { memberId: state.memberId, level: 'info', topic: 'moedelo', message: '«Моё дело» подключено через вход в учётную запись (OAuth 2.0).' })
  await onMoeDeloConnected(database.db, state.memberId)
  return htmlMessage(200, '«Моё дело» подключено', 'Можно закрыть это окно и вернуться в Битрикс24.')
}
