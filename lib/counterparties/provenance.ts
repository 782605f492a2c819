/**
 * Field-by-field conflict resolution with provenance: registry > MoeDelo > CRM (egrul.md §7).
 *
 * - A value from a source of lower priority never replaces one from a higher source (it is rejected,
 *   and the caller restores the higher value where the lower one came from).
 * - Equal or higher priority replaces; every replacement of a different non-empty value is an overwrite,
 *   journalled with the old value, the new value and the reason.
 * - Values are compared in their normalised form, so case and quotes never make a conflict; an equal
 *   value from a higher source takes over the provenance (the text already stored stays).
 * - Empty values are ignored: nothing is ever erased by a source that simply does not know a field.
 *
 * Merges of one counterparty are serialised by a row lock on the counterparty, in a short transaction
 * that does no I/O but the database.
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { counterparties, fieldProvenance } from '@/db/schema/counterparties'
import { fieldLabelRu, overwriteReasonRu } from '@/lib/domain/messages'
import { writeJournal } from '@/lib/jobs/journal'
import {
  COUNTERPARTY_FIELDS,
  comparable,
  isCounterpartyField,
  SOURCE_PRIORITY,
  type CounterpartyField,
  type CounterpartyFields,
  type FieldSource,
} from './fields'

export interface FieldOverwrite {
  field: CounterpartyField
  oldValue: string
  newValue: string
  oldSource: FieldSource
  source: FieldSource
}

export interface MergeResult {
  /** Values that stand after the merge as this source gave them (new, replaced, or equal to what was there). */
  accepted: Partial<CounterpartyFields>
  /** Values refused because a source of higher priority holds a different value. */
  rejected: Partial<CounterpartyFields>
  overwrites: FieldOverwrite[]
}

export interface MergeInput {
  memberId: string
  counterpartyId: number
  source: FieldSource
  fields: Partial<CounterpartyFields>
  /** Company the counterparty belongs to (journal entries point at it). */
  companyId?: number | null
}

export interface ProvenanceEntry {
  value: string
  source: FieldSource
  updatedAt: Date
}

export type Provenance = Partial<Record<CounterpartyField, ProvenanceEntry>>

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0]

async function loadIn(db: Database | Tx, counterpartyId: number): Promise<Provenance> {
  const rows = await db.select().from(fieldProvenance).where(eq(fieldProvenance.counterpartyId, counterpartyId))
  const out: Provenance = {}
  for (const row of rows) {
    if (isCounterpartyField(row.field) && row.value !== null) out[row.field] = { value: row.value, source: row.source, updatedAt: row.updatedAt }
  }
  return out
}

/** Where each field of a counterparty came from, and its value. */
export function loadProvenance(db: Database, counterpartyId: number): Promise<Provenance> {
  return loadIn(db, counterpartyId)
}

/** The merged values of a counterparty (what every side should show). */
export async function currentFields(db: Database, counterpartyId: number): Promise<Partial<CounterpartyFields>> {
  const p = await loadIn(db, counterpartyId)
  const out: Partial<CounterpartyFields> = {}
  for (const f of COUNTERPARTY_FIELDS) if (p[f]) out[f] = p[f].value
  return out
}

export async function mergeFields(db: Database, input: MergeInput): Promise<MergeResult> {
  const { memberId, counterpartyId, source } = input
  return db.transaction(async (tx) => {
    // Serialises merges of this counterparty (a no-op lock on PGlite, where transactions are exclusive anyway).
    const [owner] = await tx
      .select({ companyId: counterparties.companyId })
      .from(counterparties)
      .where(and(eq(counterparties.id, counterpartyId), eq(counterparties.memberId, memberId)))
      .for('update')
    const companyId = input.companyId ?? owner?.companyId ?? null
    const existing = await loadIn(tx, counterpartyId)
    const result: MergeResult = { accepted: {}, rejected: {}, overwrites: [] }
    const now = new Date()

    for (const field of COUNTERPARTY_FIELDS) {
      const raw = input.fields[field]
      if (typeof raw !== 'string' || raw.trim() === '') continue
      const value = raw.trim()
      const had = existing[field]
      if (had && comparable(had.value) === comparable(value)) {
        result.accepted[field] = had.value
        if (SOURCE_PRIORITY[source] > SOURCE_PRIORITY[had.source]) {
          await tx
            .update(fieldProvenance)
            .set({ source, updatedAt: now })
            .where(and(eq(fieldProvenance.counterpartyId, counterpartyId), eq(fieldProvenance.field, field)))
        }
        continue
      }
      if (had && SOURCE_PRIORITY[source] < SOURCE_PRIORITY[had.source]) {
        result.rejected[field] = value
        continue
      }
      result.accepted[field] = value
      await tx
        .insert(fieldProvenance)
        .values({ counterpartyId, memberId, field, value, source, updatedAt: now })
        .onConflictDoUpdate({
          target: [fieldProvenance.counterpartyId, fieldProvenance.field],
          set: { value, source, updatedAt: now },
        })
      if (had) {
        const overwrite: FieldOverwrite = { field, oldValue: had.value, newValue: value, oldSource: had.source, source }
        result.overwrites.push(overwrite)
        await writeJournal(tx as unknown as Database, {
          memberId,
          level: 'info',
          topic: 'counterparty-conflict',
          ...(companyId ? { entityType: 'company', entityId: companyId } : {}),
          message: `${fieldLabelRu(field)}: «${had.value}» заменено на «${value}» — ${overwriteReasonRu(source, had.source)}.`,
          details: { counterpartyId, ...overwrite, reason: overwriteReasonRu(source, had.source) },
        })
      }
    }
    return result
  })
}
