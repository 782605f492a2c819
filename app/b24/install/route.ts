/**
 * Install handler, both flows: the `ONAPPINSTALL` server event (API-only / Marketplace event) and
 * the install page Bitrix24 frames until `installFinish()` is called.
 */
import { installPayloadFromEvent, installPayloadFromFrame, installPortal, InstallError } from '@/lib/bitrix24/install'
import { parseForm } from '@/lib/bitrix24/form'
import { requestFromAllowedIp } from '@/lib/http/ip'
import { htmlMessage, jsonError, jsonResponse, seeOther } from '@/lib/http/responses'
import { userMessageOf } from '@/lib/errors'
import { writeJournal } from '@/lib/jobs'
import { getRuntime } from '@/lib/runtime'
import { issueSession } from '@/lib/security/session'
import { log } from '@/lib/security/log'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const TITLE = 'Установка приложения'

async function install(form: Record<string, unknown>, query: URLSearchParams, isEvent: boolean) {
  const payload = isEvent ? installPayloadFromEvent(form) : installPayloadFromFrame(query, form)
  const { database } = await getRuntime()
  const outcome = await installPortal(database.db, payload)
  const created = outcome.bound.events.length + outcome.bound.placements.length + outcome.bound.userFields.length
  await writeJournal(database.db, {
    memberId: payload.memberId,
    level: 'info',
    topic: 'install',
    message: created > 0 ? `Приложение установлено: обработчики, вкладки и поля созданы (${created}).` : 'Приложение переустановлено: всё уже было настроено.',
  })
  return { payload, outcome }
}

export async function POST(request: Request) {
  const url = new URL(request.url)
  const form = parseForm(await request.text())
  const isEvent = typeof form.event === 'string' && form.event.toUpperCase() === 'ONAPPINSTALL'
  if (isEvent && !requestFromAllowedIp(request)) return jsonError(403, 'Установка с этого адреса запрещена настройкой ALLOWED_IPS.')
  try {
    const { payload, outcome } = await install(form, url.searchParams, isEvent)
    if (isEvent) return jsonResponse({ status: 'success' })
    const session = issueSession({
      memberId: payload.memberId,
      userId: payload.userId ?? 0,
      isAdmin: true,
      lang: url.searchParams.get('LANG') === 'en' ? 'en' : 'ru',
      origin: new URL(outcome.portal.clientEndpoint).origin,
    })
    return seeOther(`/frame/install?s=${encodeURIComponent(session)}`)
  } catch (error) {
    if (!(error instanceof InstallError)) log.error({ err: error }, 'install failed')
    const status = error instanceof InstallError ? (error.reason === 'malformed' ? 400 : 403) : 502
    return isEvent ? jsonError(status, userMessageOf(error)) : htmlMessage(status, TITLE, userMessageOf(error))
  }
}

export async function GET() {
  return htmlMessage(400, TITLE, 'Установка запускается из Битрикс24: откройте приложение в Маркете или в разделе «Разработчикам».')
}
