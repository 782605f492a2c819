/**
 * Invoices (MoeDelo sales bills made from deals), their receipts, the catalog → nomenclature
 * mapping and the payment poller's cursor. Every row is keyed by `member_id`.
 */
import { sql } from 'drizzle-orm'
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { portals } from './portals'

const memberId = () =>
  text('member_id')
    .notNull()
    .references(() => portals.memberId, { onDelete: 'cascade' })

export const INVOICE_TRIGGERS = ['button', 'stage', 'repeat'] as const
export type InvoiceTrigger = (typeof INVOICE_TRIGGERS)[number]

/**
 * - `queued`: accepted, not started; `creating`: the bill is being made (a crash here is resolved by
 *   a lookup in MoeDelo before creating again); `waiting`: MoeDelo does not answer, retried per policy;
 * - `rejected`: the deal's data stops the bill (`problems`), nothing was sent;
 * - `failed`: MoeDelo refused the bill (`errorMessage` in plain Russian);
 * - `created`: the bill exists (`billId`); `cancelled`: it was deleted in MoeDelo afterwards.
 */
export const INVOICE_STATES = ['queued', 'creating', 'waiting', 'rejected', 'failed', 'created', 'cancelled'] as const
export type InvoiceState = (typeof INVOICE_STATES)[number]
/** States in which an invoice request is still being worked on: one such request per deal. */
export const IN_FLIGHT_STATES: readonly InvoiceState[] = ['queued', 'creating', 'waiting']

export const invoices = pgTable(
  'invoices',
  {
    /** Our internal invoice id (a UUID): the dedup key of the whole flow. */
    id: text('id').primaryKey(),
    memberId: memberId(),
    dealId: integer('deal_id').notNull(),
    trigger: text('trigger', { enum: INVOICE_TRIGGERS }).notNull(),
    /** For a repeat invoice: the invoice it copies. */
    repeatOf: text('repeat_of'),
    /** The Bitrix24 user who pressed the button (null for a stage trigger). */
    requestedBy: integer('requested_by'),
    state: text('state', { enum: INVOICE_STATES }).notNull().default('queued'),
    /** Why the deal cannot be invoiced (lib/invoices `InvoiceProblem[]`), for `rejected`. */
    problems: jsonb('problems').$type<unknown[]>(),
    /** Plain-language reason for `failed` / `waiting`. */
    errorMessage: text('error_message'),
    kontragentId: integer('kontragent_id'),
    /** When the create request was first sent: a retry looks for a bill made since then before creating. */
    createStartedAt: timestamp('create_started_at', { withTimezone: true }),
    billId: bigint('bill_id', { mode: 'number' }),
    number: text('number'),
    /** `YYYY-MM-DD` */
    docDate: text('doc_date'),
    deadline: text('deadline'),
    /** Decimal text, 2 places. */
    sum: text('sum'),
    paidSum: text('paid_sum').notNull().default('0.00'),
    /** MoeDelo bill `Status`: 4 not paid, 5 partially paid, 6 paid. */
    billStatus: integer('bill_status'),
    /** MoeDelo's `Online` path as given (relative). */
    onlinePath: text('online_path'),
    /** `attached`: the PDF is in the deal; `unavailable`: only the online link could be given. */
    pdf: text('pdf', { enum: ['attached', 'unavailable'] }),
    /** When number, date, sum, link and PDF were written to the deal. */
    dealWrittenAt: timestamp('deal_written_at', { withTimezone: true }),
    /** MoeDelo `Context.ModifyDate` as last seen by the payment poller. */
    billModifiedAt: text('bill_modified_at'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('invoices_member_deal').on(t.memberId, t.dealId, t.createdAt),
    uniqueIndex('invoices_member_bill').on(t.memberId, t.billId).where(sql`${t.billId} is not null`),
    uniqueIndex('invoices_one_in_flight_per_deal')
      .on(t.memberId, t.dealId)
      .where(sql`${t.state} in ('queued', 'creating', 'waiting')`),
    index('invoices_open').on(t.memberId, t.state, t.deadline),
    // A bank payment names its payer and, in the purpose, the bill number (payment poller, spec §6.3).
    index('invoices_member_kontragent').on(t.memberId, t.kontragentId),
    index('invoices_member_number').on(t.memberId, t.number),
  ],
)

/** A receipt on a bill, as MoeDelo lists it in `Payments[]`; one timeline entry per row. */
export const invoicePayments = pgTable(
  'invoice_payments',
  {
    memberId: memberId(),
    invoiceId: text('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    /** MoeDelo payment document id (`Payments[].Id`); 0 for a bill marked paid by hand. */
    paymentId: bigint('payment_id', { mode: 'number' }).notNull(),
    number: text('number'),
    /** `YYYY-MM-DD` */
    date: text('date'),
    sum: text('sum').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the timeline entry for this receipt was written (null: not yet). */
    announcedAt: timestamp('announced_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.invoiceId, t.paymentId] }),
    // "Is this bank payment recorded already?" for the money-registry read of the payment poller.
    index('invoice_payments_member_payment').on(t.memberId, t.paymentId),
  ],
)

/** Per-portal state of the payment poller: the `afterDate` cursor advances only after a run is recorded. */
export const paymentPollState = pgTable('payment_poll_state', {
  memberId: text('member_id')
    .primaryKey()
    .references(() => portals.memberId, { onDelete: 'cascade' }),
  /** MoeDelo time of the last fully recorded change (ISO with offset). */
  cursor: text('cursor'),
  /** Registry (money operations) window start already read, `YYYY-MM-DD`. */
  registryCursor: text('registry_cursor'),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastReconciledAt: timestamp('last_reconciled_at', { withTimezone: true }),
  /** Local date (portal time zone) of the last overdue reminder run, `YYYY-MM-DD`. */
  lastOverdueDate: text('last_overdue_date'),
})

/** A Bitrix24 catalog product (goods) and the MoeDelo stock good made from it. */
export const catalogGoods = pgTable(
  'catalog_goods',
  {
    memberId: memberId(),
    productId: integer('product_id').notNull(),
    goodId: bigint('good_id', { mode: 'number' }).notNull(),
    /** Content hash of what was last sent: an unchanged product is not sent again. */
    hash: text('hash').notNull(),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.productId] }), uniqueIndex('catalog_goods_member_good').on(t.memberId, t.goodId)],
)
