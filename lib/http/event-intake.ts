/**
 * One Bitrix24 event delivery, answered with a status code and no body: the sender's address is
 * checked, the event verified against the stored portal (member_id + application_token), queued
 * as a durable job, and acknowledged at once (Bitrix24 never retries and slows down slow handlers).
 * Shared by the Next.js route (app/api/b24/events) and the web server's fast path.
 */
import { b24EventJob, b24EventJobInput } from '@/lib/bitrix24/event-jobs'
import { EVENT_REJECTION_STATUS, parseEventBody, verifyEvent } from '@/lib/bitrix24/events'
import { uninstallPortal } from '@/lib/bitrix24/install'
import { enqueue } from '@/lib/jobs'
import { getRuntime } from '@/lib/runtime'
import type { HeaderSource } from '@/lib/security/ip-allowlist'
import { headersFromAllowedIp } from './ip'

export interface EventDelivery {
  /** X-Forwarded-For must already hold the socket address when no proxy set it. */
  headers: HeaderSource
  /** The raw form body; read only when the sender's address is allowed. */
  readBody(): Promise<string>
}

export type EventAnswer = 200 | 400 | 401 | 403

export async function receiveEvent(delivery: EventDelivery): Promise<EventAnswer> {
  if (!headersFromAllowedIp(delivery.headers)) return 403
  const parsed = parseEventBody(await delivery.readBody())
  const { database } = await getRuntime()
  const verified = await verifyEvent(database.db, parsed)
  if (verified.kind !== 'ok') return EVENT_REJECTION_STATUS[verified.kind]

  if (verified.event.event === 'ONAPPUNINSTALL' && parsed.ok) {
    await uninstallPortal(database.db, verified.event.memberId, parsed.event.applicationToken)
    return 200
  }
  if (!verified.portalActive) return 200
  const { payload, singletonKey } = b24EventJobInput(verified.event)
  await enqueue(b24EventJob, payload, { singletonKey })
  return 200
}
