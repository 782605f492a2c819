/**
 * Tells the portal's administrator, in Bitrix24, that an external service stopped answering and
 * when it is back. The job layer calls this once per outage; the notification TAG makes a repeat
 * replace the previous one instead of stacking up.
 */
import type { Database } from '@/db'
import { bitrix24For } from '@/lib/bitrix24/client'
import type { ExternalService } from '@/lib/errors'
import { SERVICE_LABELS, type OutageNotifier } from '@/lib/jobs'
import { getPortal, getPortalTokens } from '@/lib/portals/repository'

const serviceName = (service: ExternalService) => `«${SERVICE_LABELS[service]}»`

async function adminUserId(db: Database, memberId: string): Promise<number> {
  const portal = await getPortal(db, memberId)
  const tokens = await getPortalTokens(db, memberId)
  return portal?.settings.adminUserId ?? tokens?.userId ?? 1
}

export function bitrix24OutageNotifier(db: Database): OutageNotifier {
  const notify = async (memberId: string, service: ExternalService, message: string) => {
    const client = await bitrix24For(db, memberId)
    await client.call('im.notify.system.add', {
      USER_ID: await adminUserId(db, memberId),
      MESSAGE: message,
      TAG: `b24-moedelo-link|outage|${service}`,
    })
  }
  return {
    outageStarted: (memberId, service, userMessage) =>
      notify(
        memberId,
        service,
        `[B]${serviceName(service)} не отвечает.[/B] ${userMessage} Задачи сохранены и будут выполнены автоматически, когда сервис снова ответит — ничего делать не нужно.`,
      ),
    outageEnded: (memberId, service) =>
      notify(memberId, service, `${serviceName(service)} снова отвечает: отложенные задачи выполняются.`),
  }
}
