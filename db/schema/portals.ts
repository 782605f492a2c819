/** Installed Bitrix24 portals (the tenants) and their credentials. Secrets are stored encrypted. */
import { sql } from 'drizzle-orm'
import { doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const portals = pgTable('portals', {
  memberId: text('member_id').primaryKey(),
  domain: text('domain').notNull(),
  clientEndpoint: text('client_endpoint').notNull(),
  serverEndpoint: text('server_endpoint').notNull(),
  /** HMAC of the application_token: events are verified by comparing hashes in constant time. */
  applicationTokenHash: text('application_token_hash').notNull(),
  scope: text('scope').notNull().default(''),
  status: text('status').notNull().default(''),
  state: text('state', { enum: ['installing', 'active', 'uninstalled'] }).notNull().default('installing'),
  timeZone: text('time_zone').notNull().default('Europe/Moscow'),
  settings: jsonb('settings').$type<PortalSettings>().notNull().default(sql`'{}'::jsonb`),
  installedAt: timestamp('installed_at', { withTimezone: true }),
  uninstalledAt: timestamp('uninstalled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export interface PipelineSettings {
  /** Moving a deal into this stage issues an invoice. */
  invoiceStageId?: string
  /** Fully paid deals move here. */
  paidStageId?: string
}

export interface PortalSettings {
  pipelines?: Record<string, PipelineSettings>
  /** Bitrix24 user id of the admin who gets service notifications. */
  adminUserId?: number
  language?: 'ru' | 'en'
  /** Days from the invoice date to its payment deadline (default 5). */
  paymentTermDays?: number
}

/** The installer's OAuth pair, used for all background work; rotated on every refresh. */
export const portalTokens = pgTable('portal_tokens', {
  memberId: text('member_id')
    .primaryKey()
    .references(() => portals.memberId, { onDelete: 'cascade' }),
  accessTokenEnc: text('access_token_enc').notNull(),
  refreshTokenEnc: text('refresh_token_enc').notNull(),
  /** Unix seconds when the access token stops working. */
  expiresAt: integer('expires_at').notNull(),
  userId: integer('user_id'),
  /** Incremented on every rotation; lets a process tell that someone else refreshed already. */
  generation: integer('generation').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** One leaky bucket per portal shared by every process, mirroring Bitrix24's own limiter. */
export const rateBuckets = pgTable('rate_buckets', {
  memberId: text('member_id').primaryKey(),
  level: doublePrecision('level').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Verified placement AUTH_IDs (by keyed hash), so a frame reload does not cost a REST call. */
export const frameAuthCache = pgTable('frame_auth_cache', {
  authHash: text('auth_hash').primaryKey(),
  memberId: text('member_id')
    .notNull()
    .references(() => portals.memberId, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull(),
  isAdmin: integer('is_admin').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
})
