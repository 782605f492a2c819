/**
 * Trust for placement / app-page POSTs. The form's AUTH_ID is the current user's token; it is
 * trusted only after the STORED portal endpoint accepts it (`profile`), so a token of portal A
 * sent with portal B's member_id is rejected by B. We never call an endpoint taken from the
 * request. A verification is cached by keyed hash of AUTH_ID until AUTH_EXPIRES, so reloading
 * a tab costs no REST call.
 */
import { and, eq, gt, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '@/db/client'
import { frameAuthCache } from '@/db/schema'
import { config } from '@/lib/config'
import { getActivePortal, type Portal } from '@/lib/portals/repository'
import { keyedHash } from '@/lib/security/crypto'
import { parseForm, type FormInput } from './form'
import { acquirePortalSlot } from './rate-limit'

export interface FrameAuth {
  memberId: string
  userId: number
  isAdmin: boolean
  /** `DEFAULT` for the app page, otherwise the placement code. */
  placement: string
  /** Parsed PLACEMENT_OPTIONS (`{}` when absent or not JSON). */
  placementOptions: Record<string, unknown>
  lang: 'ru' | 'en'
}

export type FrameAuthResult =
  | { ok: true; auth: FrameAuth; cached: boolean }
  | { ok: false; reason: 'malformed' | 'unknown' | 'forbidden' | 'unavailable' }

/** HTTP status a route should answer for each failure. */
export const FRAME_AUTH_REJECTION_STATUS = { malformed: 400, unknown: 401, forbidden: 403, unavailable: 503 } as const

const MAX_CACHE_SECONDS = 3600
const AUTH_HASH_PURPOSE = 'frame-auth'

const frameSchema = z.object({
  AUTH_ID: z.string().trim().min(8).max(500),
  AUTH_EXPIRES: z.union([z.string(), z.number()]).optional(),
  member_id: z.string().trim().min(1).max(100),
  DOMAIN: z.string().trim().min(1).max(300),
  PROTOCOL: z.union([z.string(), z.number()]).optional(),
  LANG: z.string().optional(),
  PLACEMENT: z.string().max(100).optional(),
  PLACEMENT_OPTIONS: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
})


export async function verifyFrameAuth(
  db: Database,
  request: { query: FormInput; form: FormInput },
): Promise<FrameAuthResult> {
  const parsed = frameSchema.safeParse({ ...parseForm(request.query), ...parseForm(request.form) })
  if (!parsed.success) return { ok: false, reason: 'malformed' }
  const f = parsed.data

  const portal = await getActivePortal(db, f.member_id)
  if (!portal) return { ok: false, reason: 'unknown' }
  if (!domainMatches(portal, f.DOMAIN)) return { ok: false, reason: 'forbidden' }

  const context = {
    placement: (f.PLACEMENT ?? 'DEFAULT').toUpperCase(),
    placementOptions: parsePlacementOptions(f.PLACEMENT_OPTIONS),
    lang: f.LANG?.toLowerCase().startsWith('en') ? ('en' as const) : ('ru' as const),
  }

  const authHash = keyedHash(f.AUTH_ID, AUTH_HASH_PURPOSE)
  const [cachedRow] = await db
    .select()
    .from(frameAuthCache)
    .where(and(eq(frameAuthCache.authHash, authHash), gt(frameAuthCache.expiresAt, sql`now()`)))
    .limit(1)
  if (cachedRow) {
    if (cachedRow.memberId !== portal.memberId) return { ok: false, reason: 'forbidden' }
    return {
      ok: true,
      cached: true,
      auth: { memberId: portal.memberId, userId: cachedRow.userId, isAdmin: cachedRow.isAdmin === 1, ...context },
    }
  }

  const profile = await fetchProfile(db, portal, f.AUTH_ID)
  if (!profile.ok) return { ok: false, reason: profile.reason }

  const ttl = Math.min(MAX_CACHE_SECONDS, Math.max(0, Number(f.AUTH_EXPIRES ?? MAX_CACHE_SECONDS) || MAX_CACHE_SECONDS))
  if (ttl > 0) {
    await db
      .insert(frameAuthCache)
      .values({
        authHash,
        memberId: portal.memberId,
        userId: profile.userId,
        isAdmin: profile.isAdmin ? 1 : 0,
        expiresAt: sql`now() + make_interval(secs => ${ttl})`,
      })
      .onConflictDoNothing()
  }
  return {
    ok: true,
    cached: false,
    auth: { memberId: portal.memberId, userId: profile.userId, isAdmin: profile.isAdmin, ...context },
  }
}

function domainMatches(portal: Portal, claimed: string): boolean {
  const domain = claimed.toLowerCase()
  if (domain === portal.domain.toLowerCase()) return true
  try {
    return new URL(portal.clientEndpoint).host.toLowerCase() === domain
  } catch {
    return false
  }
}

function parsePlacementOptions(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') return value as Record<string, unknown>
  if (typeof value !== 'string' || value === '') return {}
  try {
    const parsed = JSON.parse(value) as unknown
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

type ProfileResult = { ok: true; userId: number; isAdmin: boolean } | { ok: false; reason: 'forbidden' | 'unavailable' }

async function fetchProfile(db: Database, portal: Portal, authId: string): Promise<ProfileResult> {
  await acquirePortalSlot(db, portal.memberId)
  let response: Response
  try {
    response = await fetch(`${portal.clientEndpoint}profile`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ auth: authId }),
      signal: AbortSignal.timeout(Math.min(config().HTTP_TIMEOUT_MS, 15_000)),
    })
  } catch {
    return { ok: false, reason: 'unavailable' }
  }
  if (response.status >= 500) return { ok: false, reason: 'unavailable' }
  const body = (await response.json().catch(() => undefined)) as { result?: { ID?: unknown; ADMIN?: unknown } } | undefined
  if (!response.ok || !body?.result) return { ok: false, reason: 'forbidden' }
  const userId = Number(body.result.ID)
  if (!Number.isInteger(userId) || userId <= 0) return { ok: false, reason: 'forbidden' }
  const admin = body.result.ADMIN
  return { ok: true, userId, isAdmin: admin === true || admin === 'Y' || admin === 1 || admin === '1' }
}
