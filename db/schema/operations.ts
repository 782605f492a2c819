/** What the app did (journal), what it is waiting for (parked work, outages), and what it last saw. */
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { portals } from './portals'

const memberId = () =>
  text('member_id')
    .notNull()
    .references(() => portals.memberId, { onDelete: 'cascade' })

/** The sync journal shown on the admin page: plain-language entries, newest first. */
export const syncJournal = pgTable(
  'sync_journal',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: memberId(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    level: text('level', { enum: ['info', 'warning', 'error'] }).notNull(),
    /** What kind of work: install, event, invoice, counterparty, … */
    topic: text('topic').notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    /** A plain-language message (Russian first); never an API error code. */
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('sync_journal_member_at').on(t.memberId, t.at)],
)

/** An external service that stopped answering for a portal; one admin notification per outage. */
export const outages = pgTable(
  'outages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: memberId(),
    service: text('service').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('outages_open').on(t.memberId, t.service, t.resolvedAt)],
)

/** Jobs that ran out of retries while a service was down; replayed when the probe sees it again. */
export const parkedJobs = pgTable(
  'parked_jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: memberId(),
    service: text('service').notNull(),
    queue: text('queue').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** The job's idempotency key, so a job is parked once however often it fails. */
    dedupKey: text('dedup_key').notNull(),
    parkedAt: timestamp('parked_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('parked_jobs_dedup').on(t.memberId, t.queue, t.dedupKey)],
)

/** Last known stage of each deal: Bitrix24 has no "stage changed" event, so we compare. */
export const dealStages = pgTable(
  'deal_stages',
  {
    memberId: memberId(),
    dealId: integer('deal_id').notNull(),
    categoryId: integer('category_id').notNull(),
    stageId: text('stage_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.dealId] })],
)

/** Effects that must happen once (idempotency ledger for writes to external systems). */
export const effects = pgTable(
  'effects',
  {
    memberId: memberId(),
    key: text('key').notNull(),
    result: jsonb('result').$type<Record<string, unknown>>(),
    doneAt: timestamp('done_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.key] })],
)
