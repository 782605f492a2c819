/**
 * The sync journal: plain-language entries the portal admin reads on the settings page.
 * Messages are Russian and never carry API codes or tokens (token fragments are masked; technical
 * `details` are redacted like logs).
 */
import type { Database } from '@/db/client'
import { syncJournal } from '@/db/schema/operations'
import { maskSecretsInText, sanitizeForLog } from '@/lib/security/log'

export type JournalLevel = 'info' | 'warning' | 'error'

export interface JournalEntry {
  memberId: string
  level: JournalLevel
  /** What kind of work: install, event, invoice, counterparty, job name, … */
  topic: string
  /** Plain language (Russian first). */
  message: string
  entityType?: string
  entityId?: string | number
  details?: Record<string, unknown>
}

/** Writes one journal row and returns its id. */
export async function writeJournal(db: Database, entry: JournalEntry): Promise<number> {
  const [row] = await db
    .insert(syncJournal)
    .values({
      memberId: entry.memberId,
      level: entry.level,
      topic: entry.topic,
      message: maskSecretsInText(entry.message),
      entityType: entry.entityType ?? null,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      details: entry.details === undefined ? null : (sanitizeForLog(entry.details) as Record<string, unknown>),
    })
    .returning({ id: syncJournal.id })
  return row!.id
}
