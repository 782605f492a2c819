/**
 * Bitrix24 opens our pages with a form POST into an iframe. We verify the viewer (AUTH_ID checked
 * against the portal), issue a short-lived signed session, and answer 303 to the GET page that
 * renders the UI: App Router pages cannot take POST, and the frame keeps `window.name`.
 */
import { FRAME_AUTH_REJECTION_STATUS, verifyFrameAuth, type FrameAuth } from '@/lib/bitrix24/frame-auth'
import { getActivePortal } from '@/lib/portals/repository'
import { getRuntime } from '@/lib/runtime'
import { issueSession } from '@/lib/security/session'
import { htmlMessage, seeOther } from './responses'

const rejectionText = {
  malformed: 'Откройте приложение из Битрикс24: эта страница открывается только внутри портала.',
  unknown: 'Приложение не установлено на этом портале. Попросите администратора установить его.',
  forbidden: 'Битрикс24 не подтвердил вход. Обновите страницу портала.',
  unavailable: 'Битрикс24 не ответил. Обновите страницу через минуту.',
} as const

export interface FrameTarget {
  /** The GET page to render, e.g. `/frame/deal`. */
  page: string
  entityType?: 'deal' | 'company'
  /** Placements that may open this page (DEFAULT = the app's own page). */
  placements: readonly string[]
}

function entityIdOf(auth: FrameAuth): number | undefined {
  const raw = auth.placementOptions.ID ?? auth.placementOptions.ENTITY_ID
  const id = Number(raw)
  return Number.isInteger(id) && id > 0 ? id : undefined
}

export async function enterFrame(request: Request, target: FrameTarget): Promise<Response> {
  const url = new URL(request.url)
  if (request.method !== 'POST') return htmlMessage(400, 'Моё дело для Битрикс24', rejectionText.malformed)
  const form = await request.text()
  const { database } = await getRuntime()
  const verified = await verifyFrameAuth(database.db, { query: url.searchParams, form })
  if (!verified.ok) return htmlMessage(FRAME_AUTH_REJECTION_STATUS[verified.reason], 'Моё дело для Битрикс24', rejectionText[verified.reason])
  const { auth } = verified
  if (!target.placements.includes(auth.placement)) return htmlMessage(400, 'Моё дело для Битрикс24', rejectionText.malformed)
  const entityId = target.entityType ? entityIdOf(auth) : undefined
  if (target.entityType && entityId === undefined) return htmlMessage(400, 'Моё дело для Битрикс24', rejectionText.malformed)
  const portal = await getActivePortal(database.db, auth.memberId)
  if (!portal) return htmlMessage(401, 'Моё дело для Битрикс24', rejectionText.unknown)

  const session = issueSession({
    memberId: auth.memberId,
    userId: auth.userId,
    isAdmin: auth.isAdmin,
    lang: auth.lang,
    origin: new URL(portal.clientEndpoint).origin,
    ...(target.entityType ? { entityType: target.entityType, entityId } : {}),
  })
  const location = new URL(target.page, url)
  location.searchParams.set('s', session)
  location.searchParams.set('placement', auth.placement)
  return seeOther(location.pathname + location.search)
}
