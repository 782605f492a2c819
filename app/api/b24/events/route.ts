/**
 * Every Bitrix24 event. Verified against the stored portal (member_id + application_token),
 * queued as a durable job, answered at once: Bitrix24 never retries and slows down slow handlers.
 */
import { b24EventJob, b24EventJobInput } from '@/lib/bitrix24/event-jobs'
import { EVENT_REJECTION_STATUS, parseEventBody, verifyEvent } from '@/lib/bitrix24/events'
import { uninstallPortal } from '@/lib/bitrix24/install'
import { requestFromAllowedIp } from '@/lib/http/ip'
import { enqueue } from '@/lib/jobs'
import { getRuntime } from '@/lib/runtime'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

const empty = (status: number) => new Response(null, { status })

export async function POST(request: Request) {
  if (!requestFromAllowedIp(request)) return empty(403)
  const parsed = parseEventBody(await request.text())
  const { database } = await getRuntime()
  const verified = await verifyEvent(database.db, parsed)
  if (verified.kind !== 'ok') return empty(EVENT_REJECTION_STATUS[verified.kind])

  if (verified.event.event === 'ONAPPUNINSTALL' && parsed.ok) {
    await uninstallPortal(database.db, verified.event.memberId, parsed.event.applicationToken)
    return empty(200)
  }
  if (!verified.portalActive) return empty(200)
  const { payload, singletonKey } = b24EventJobInput(verified.event)
  await enqueue(b24EventJob, payload, { singletonKey })
  return empty(200)
}
