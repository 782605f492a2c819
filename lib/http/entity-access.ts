/**
 * A session opened from one CRM card reads that card's data only; the app page (admin) may read any.
 * Bitrix24 checked the viewer's rights on the card that opened the tab, not on other records.
 */
import type { VerifiedSession } from '@/lib/security/session'

export function mayReadEntity(session: VerifiedSession, entityType: 'deal' | 'company', entityId: number): boolean {
  if (session.isAdmin && session.entityType === undefined) return true
  return session.entityType === entityType && session.entityId === entityId
}

export function entityIdParam(raw: string): number | undefined {
  return /^\d{1,10}$/.test(raw) ? Number(raw) : undefined
}
