/**
 * Counterparties: one INN (and, for a branch, one KPP) is one record per portal, linking the
 * Bitrix24 company and the MoeDelo counterparty, with where each synced field came from.
 */
import { sql } from 'drizzle-orm'
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { portals } from './portals'

const memberId = () =>
  text('member_id')
    .notNull()
    .references(() => portals.memberId, { onDelete: 'cascade' })

export const counterparties = pgTable(
  'counterparties',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: memberId(),
    inn: text('inn').notNull(),
    /** '' when the record is not a separate branch (no KPP, or the head office). */
    kpp: text('kpp').notNull().default(''),
    kind: text('kind', { enum: ['legal_entity', 'sole_trader', 'individual'] }).notNull(),
    companyId: integer('company_id'),
    requisiteId: integer('requisite_id'),
    moedeloId: integer('moedelo_id'),
    /** Registry state: active, liquidating, liquidated, bankrupt, reorganizing… Once flagged, stays flagged. */
    registryStatus: text('registry_status'),
    registryCheckedAt: timestamp('registry_checked_at', { withTimezone: true }),
    /** Content hash of the MoeDelo record as last seen (reverse sync compares it). */
    moedeloHash: text('moedelo_hash'),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('counterparties_member_inn_kpp').on(t.memberId, t.inn, t.kpp),
    uniqueIndex('counterparties_member_company').on(t.memberId, t.companyId).where(sql`${t.companyId} is not null`),
    uniqueIndex('counterparties_member_moedelo').on(t.memberId, t.moedeloId).where(sql`${t.moedeloId} is not null`),
  ],
)

/** Which source last set each synced field, and when: "why did the KPP change?" has an answer. */
export const fieldProvenance = pgTable(
  'field_provenance',
  {
    counterpartyId: integer('counterparty_id').notNull(),
    memberId: memberId(),
    field: text('field').notNull(),
    value: text('value'),
    source: text('source', { enum: ['registry', 'moedelo', 'crm'] }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.counterpartyId, t.field] }), index('field_provenance_member').on(t.memberId)],
)

/** Registry answers (public data), cached so repeated edits do not burn the paid quota. */
export const registryCache = pgTable('registry_cache', {
  /** `<provider>:<inn>` */
  key: text('key').primaryKey(),
  payload: jsonb('payload').$type<unknown>().notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
})

/** The portal's registry provider (DaData or Kontur.Focus) and its encrypted key. */
export const registryConnections = pgTable('registry_connections', {
  memberId: text('member_id')
    .primaryKey()
    .references(() => portals.memberId, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['dadata', 'kontur_focus'] }).notNull(),
  credentialsEnc: text('credentials_enc').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Long-running syncs shown with a progress bar (bulk first sync of companies). */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: memberId(),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] }).notNull().default('running'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    details: jsonb('details').$type<Record<string, unknown>>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('sync_runs_member').on(t.memberId, t.kind)],
)
