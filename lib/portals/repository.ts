/**
 * Portal and token persistence. Every query is scoped by memberId; tokens only ever touch the
 * database encrypted (AES-256-GCM), the application token only as a keyed hash.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { frameAuthCache, portals, portalTokens, rateBuckets } from '@/db/schema'
import { decrypt, encrypt, keyedHash, safeEqual } from '@/lib/security/crypto'

export type Portal = typeof portals.$inferSelect
export type PortalState = Portal['state']

/** A database handle or an open transaction on it. */
export type Db = Database | Parameters<Parameters<Database['transaction']>[0]>[0]

export interface InstalledPortal {
  memberId: string
  domain: string
  clientEndpoint: string
  serverEndpoint: string
  applicationToken: string
  accessToken: string
  refreshToken: string
  /** Unix seconds when the access token stops working. */
  expiresAt: number
  userId?: number
  scope: string
  status: string
}

export interface PortalTokens {
  memberId: string
  accessToken: string
  refreshToken: string
  expiresAt: number
  userId: number | null
  generation: number
}

export const APPLICATION_TOKEN_PURPOSE = 'application-token'

export function applicationTokenHash(token: string): string {
  return keyedHash(token, APPLICATION_TOKEN_PURPOSE)
}

/** Constant-time comparison of a presented application token with the stored hash. */
export function applicationTokenMatches(portal: Pick<Portal, 'applicationTokenHash'>, presented: string): boolean {
  return safeEqual(applicationTokenHash(presented), portal.applicationTokenHash)
}

/**
 * Creates or refreshes a portal from an install payload and stores its token pair.
 * An already active portal stays active (re-install must not pause event processing);
 * anything else becomes 'installing' until `markInstalled`.
 */
export async function upsertInstalledPortal(db: Database, install: InstalledPortal): Promise<Portal> {
  return db.transaction(async (tx) => {
    const [portal] = await tx
      .insert(portals)
      .values({
        memberId: install.memberId,
        domain: install.domain,
        clientEndpoint: install.clientEndpoint,
        serverEndpoint: install.serverEndpoint,
        applicationTokenHash: applicationTokenHash(install.applicationToken),
        scope: install.scope,
        status: install.status,
        state: 'installing',
      })
      .onConflictDoUpdate({
        target: portals.memberId,
        set: {
          domain: install.domain,
          clientEndpoint: install.clientEndpoint,
          serverEndpoint: install.serverEndpoint,
          applicationTokenHash: applicationTokenHash(install.applicationToken),
          scope: install.scope,
          status: install.status,
          state: sql`case when ${portals.state} = 'active' then 'active' else 'installing' end`,
          uninstalledAt: null,
          updatedAt: sql`now()`,
        },
      })
      .returning()
    await tx
      .insert(portalTokens)
      .values({
        memberId: install.memberId,
        accessTokenEnc: encrypt(install.accessToken),
        refreshTokenEnc: encrypt(install.refreshToken),
        expiresAt: install.expiresAt,
        userId: install.userId ?? null,
        generation: 1,
      })
      .onConflictDoUpdate({
        target: portalTokens.memberId,
        set: {
          accessTokenEnc: encrypt(install.accessToken),
          refreshTokenEnc: encrypt(install.refreshToken),
          expiresAt: install.expiresAt,
          userId: install.userId ?? null,
          generation: sql`${portalTokens.generation} + 1`,
          updatedAt: sql`now()`,
        },
      })
    return portal!
  })
}

export async function markInstalled(db: Db, memberId: string): Promise<void> {
  await db
    .update(portals)
    .set({ state: 'active', installedAt: sql`coalesce(${portals.installedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(portals.memberId, memberId), sql`${portals.state} <> 'uninstalled'`))
}

export async function getPortal(db: Db, memberId: string): Promise<Portal | undefined> {
  const [row] = await db.select().from(portals).where(eq(portals.memberId, memberId)).limit(1)
  return row
}

export async function getActivePortal(db: Db, memberId: string): Promise<Portal | undefined> {
  const [row] = await db
    .select()
    .from(portals)
    .where(and(eq(portals.memberId, memberId), eq(portals.state, 'active')))
    .limit(1)
  return row
}

/** Tokens are gone, cached frame verifications too; the portal row stays (state 'uninstalled'). */
export async function markUninstalled(db: Database, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(portalTokens).where(eq(portalTokens.memberId, memberId))
    await tx.delete(frameAuthCache).where(eq(frameAuthCache.memberId, memberId))
    await tx.delete(rateBuckets).where(eq(rateBuckets.memberId, memberId))
    await tx
      .update(portals)
      .set({ state: 'uninstalled', uninstalledAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(portals.memberId, memberId))
  })
}

function decodeTokens(row: typeof portalTokens.$inferSelect): PortalTokens {
  return {
    memberId: row.memberId,
    accessToken: decrypt(row.accessTokenEnc),
    refreshToken: decrypt(row.refreshTokenEnc),
    expiresAt: row.expiresAt,
    userId: row.userId,
    generation: row.generation,
  }
}

export async function getPortalTokens(db: Db, memberId: string): Promise<PortalTokens | undefined> {
  const [row] = await db.select().from(portalTokens).where(eq(portalTokens.memberId, memberId)).limit(1)
  return row ? decodeTokens(row) : undefined
}

/** Reads the token row with a row lock: call inside a transaction (one refresh per portal at a time). */
export async function lockPortalTokens(tx: Db, memberId: string): Promise<PortalTokens | undefined> {
  const [row] = await tx.select().from(portalTokens).where(eq(portalTokens.memberId, memberId)).for('update')
  return row ? decodeTokens(row) : undefined
}

/** Stores a rotated pair and bumps the generation; returns the new generation. */
export async function saveRotatedTokens(
  tx: Db,
  memberId: string,
  next: { accessToken: string; refreshToken: string; expiresAt: number; userId?: number | null },
): Promise<number> {
  const [row] = await tx
    .update(portalTokens)
    .set({
      accessTokenEnc: encrypt(next.accessToken),
      refreshTokenEnc: encrypt(next.refreshToken),
      expiresAt: next.expiresAt,
      ...(next.userId ? { userId: next.userId } : {}),
      generation: sql`${portalTokens.generation} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(portalTokens.memberId, memberId))
    .returning({ generation: portalTokens.generation })
  return row?.generation ?? 0
}

export async function updatePortalEndpoints(
  tx: Db,
  memberId: string,
  endpoints: { clientEndpoint?: string; serverEndpoint?: string; scope?: string },
): Promise<void> {
  const set: Partial<typeof portals.$inferInsert> = {}
  if (endpoints.clientEndpoint) set.clientEndpoint = endpoints.clientEndpoint
  if (endpoints.serverEndpoint) set.serverEndpoint = endpoints.serverEndpoint
  if (endpoints.scope) set.scope = endpoints.scope
  if (Object.keys(set).length === 0) return
  await tx
    .update(portals)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(portals.memberId, memberId))
}
