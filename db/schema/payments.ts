/**
 * What the payment poller still has to tell Bitrix24 (an outbox). A change seen in MoeDelo is recorded
 * together with the deal effects it causes, in one transaction; a deliverer sends them later and marks
 * them done. The unique key makes "each receipt once" a database fact, however often the poller sees it.
 */
import { sql } from 'drizzle-orm'
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { invoices } from './invoices'
import { portals } from './portals'

/**
 * - `receipt`: a timeline entry for one receipt (or for a bill marked paid by hand);
 * - `paid`: the bill is fully paid — move the deal to the pipeline's «Оплачено» stage (or say why not);
 * - `cancelled`: the bill was deleted in MoeDelo — a timeline entry, the deal stays;
 * - `paid_field`: write the deal's «Оплачено» amount (one row per deal, re-armed when the amount changes).
 */
export const PAYMENT_EFFECT_KINDS = ['receipt', 'paid', 'cancelled', 'paid_field'] as const
export type PaymentEffectKind = (typeof PAYMENT_EFFECT_KINDS)[number]

/**
 * - `pending`: to send; `sending`: handed to Bitrix24, outcome not yet confirmed (after a crash or a
 *   timeout it is checked against the deal before anything is sent again); `done`: finished.
 */
export const PAYMENT_EFFECT_STATES = ['pending', 'sending', 'done'] as const
export type PaymentEffectState = (typeof PAYMENT_EFFECT_STATES)[number]

export const paymentEffects = pgTable(
  'payment_effects',
  {
    /** Delivery order: receipts in the order they were recorded, before the stage move they lead to. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: text('member_id')
      .notNull()
      .references(() => portals.memberId, { onDelete: 'cascade' }),
    /** `receipt:<invoiceId>:<paymentId>`, `paid:<invoiceId>`, `cancelled:<invoiceId>`, `paid_field:<dealId>`. */
    key: text('key').notNull(),
    kind: text('kind', { enum: PAYMENT_EFFECT_KINDS }).notNull(),
    dealId: integer('deal_id').notNull(),
    invoiceId: text('invoice_id').references(() => invoices.id, { onDelete: 'cascade' }),
    state: text('state', { enum: PAYMENT_EFFECT_STATES }).notNull().default('pending'),
    /** The exact timeline text, fixed before sending, so an unconfirmed send can be looked up in the timeline. */
    comment: text('comment'),
    /** How it ended (`written`, `moved`, `already_there`, `deal_closed`, `later_stage`, `no_paid_stage`, `deal_missing`, `failed`). */
    outcome: text('outcome'),
    /** Failed sends so far; after a limit the effect is given up and journalled. */
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('payment_effects_member_key').on(t.memberId, t.key),
    index('payment_effects_open').on(t.memberId, t.id).where(sql`${t.state} <> 'done'`),
  ],
)
