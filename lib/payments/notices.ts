/**
 * Journal warnings about a lasting condition (a refused key, a tariff without the money registry),
 * written once when it starts rather than on every poll, and armed again when it is over.
 */
import type { Database } from '@/db/client'
import { releaseOnce, takeOnce } from '@/lib/counterparties/store'
import { writeJournal } from '@/lib/jobs'

export const PAYMENTS_NOTICE_TOPIC = 'payments'

export async function warnOnce(db: Database, memberId: string, key: string, message: string, details?: Record<string, unknown>): Promise<void> {
  if (!(await takeOnce(db, memberId, `payments:notice:${key}`))) return
  await writeJournal(db, { memberId, level: 'warning', topic: PAYMENTS_NOTICE_TOPIC, message, ...(details ? { details } : {}) })
}

export async function conditionOver(db: Database, memberId: string, key: string): Promise<void> {
  await releaseOnce(db, memberId, `payments:notice:${key}`)
}
