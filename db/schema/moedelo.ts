/** The portal's MoeDelo connection: one credential strategy, secrets encrypted. */
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { portals } from './portals'

export const moedeloConnections = pgTable('moedelo_connections', {
  memberId: text('member_id')
    .primaryKey()
    .references(() => portals.memberId, { onDelete: 'cascade' }),
  strategy: text('strategy', { enum: ['api_key', 'oauth2'] }).notNull(),
  /** Encrypted JSON: { apiKey } or { accessToken, refreshToken, expiresAt }. */
  credentialsEnc: text('credentials_enc').notNull(),
  firmName: text('firm_name'),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
