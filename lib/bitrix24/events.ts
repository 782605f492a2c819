/**
 * Incoming Bitrix24 events: parse the PHP-bracket form body, validate, normalise (event names
 * arrive upper- or camel-case, ids as strings or numbers), and verify the sender by comparing the
 * keyed hash of `auth[application_token]` with the stored one in constant time.
 * Results carry no details a caller could leak: the route maps kinds to 400/401/403.
 */
import { parseForm } from './form'
import { z } from 'zod'
import type { Database } from '@/db/client'
import { applicationTokenHash, getPortal } from '@/lib/portals/repository'
import { keyedHash, safeEqual } from '@/lib/security/crypto'

export interface Bitrix24Event {
  /** Upper-case event name (`ONCRMDEALUPDATE`). */
  event: string
  memberId: string
  /** `data.FIELDS.ID` as a number, when present. */
  entityId?: number
  /** Unix seconds from `ts` (or receipt time when absent). */
  ts: number
  handlerId?: number
  domain?: string
  /** Raw `data` (FIELDS, CLEAN, …). */
  data: Record<string, unknown>
  /** Set only on the parse result; dropped from anything that is stored or enqueued. */
  applicationToken: string
}

export type ParsedEvent = { ok: true; event: Bitrix24Event } | { ok: false }

const MAX_BODY = 256 * 1024

const idSchema = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v)))
  .pipe(z.number().int().nonnegative())

const bodySchema = z.object({
  event: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.]{3,100}$/),
  event_handler_id: idSchema.optional(),
  ts: idSchema.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  auth: z
    .object({
      member_id: z.string().trim().min(1).max(100),
      application_token: z.string().min(1).max(500),
      domain: z.string().max(300).optional(),
    })
    .loose(),
})

/** Parses a raw `application/x-www-form-urlencoded` body (or an already parsed object). */
export function parseEventBody(body: string | Record<string, unknown>): ParsedEvent {
  let raw: unknown
  if (typeof body === 'string') {
    if (body.length === 0 || body.length > MAX_BODY) return { ok: false }
    raw = parseForm(body)
  } else {
    raw = body
  }
  const parsed = bodySchema.safeParse(raw)
  if (!parsed.success) return { ok: false }
  const b = parsed.data
  const data = b.data ?? {}
  let entityId: number | undefined
  const fields = data.FIELDS
  if (fields && typeof fields === 'object' && 'ID' in fields) {
    const id = idSchema.safeParse((fields as Record<string, unknown>).ID)
    if (!id.success) return { ok: false }
    entityId = id.data
  }
  return {
    ok: true,
    event: {
      event: b.event.toUpperCase(),
      memberId: b.auth.member_id,
      entityId,
      ts: b.ts ?? Math.floor(Date.now() / 1000),
      handlerId: b.event_handler_id,
      domain: b.auth.domain,
      data,
      applicationToken: b.auth.application_token,
    },
  }
}

export type EventVerification =
  | { kind: 'ok'; event: Omit<Bitrix24Event, 'applicationToken'>; portalActive: boolean }
  | { kind: 'malformed' }
  | { kind: 'unknown' }
  | { kind: 'forbidden' }

/** Status code a route should answer for each kind. */
export const EVENT_REJECTION_STATUS = { malformed: 400, unknown: 401, forbidden: 403 } as const

// Hash work is done for unknown portals too, so timing does not tell which member ids exist.
const DUMMY_HASH = () => keyedHash('unknown-portal', 'application-token')

/**
 * Event bursts (1,000 updated deals → 1,000 calls) verify against the same portal row; it is kept
 * for a few seconds. A portal uninstalled meanwhile in another process may get a few more events
 * queued: its jobs check the portal is active before doing anything.
 * The cache belongs to the process, not to this module: the web server's event fast path and the
 * Next.js bundle each load their own copy of this module, and an install through either must
 * reach both.
 */
const PORTAL_CACHE_MS = 5_000
type CachedPortal = { at: number; portal: Awaited<ReturnType<typeof getPortal>> }
const cachesKey = Symbol.for('b24-moedelo-link.verified-portals')
type GlobalWithCaches = typeof globalThis & { [cachesKey]?: WeakMap<Database, Map<string, CachedPortal>> }
const portalCaches = ((globalThis as GlobalWithCaches)[cachesKey] ??= new WeakMap())

async function cachedPortal(db: Database, memberId: string) {
  let cache = portalCaches.get(db)
  if (!cache) portalCaches.set(db, (cache = new Map()))
  const hit = cache.get(memberId)
  if (hit && Date.now() - hit.at < PORTAL_CACHE_MS) return hit.portal
  const portal = await getPortal(db, memberId)
  if (cache.size > 10_000) cache.clear()
  cache.set(memberId, { at: Date.now(), portal })
  return portal
}

/** Install and uninstall in this process take effect at once. */
export function forgetVerifiedPortal(db: Database, memberId: string): void {
  portalCaches.get(db)?.delete(memberId)
}

export async function verifyEvent(db: Database, parsed: ParsedEvent): Promise<EventVerification> {
  if (!parsed.ok) return { kind: 'malformed' }
  const { applicationToken, ...event } = parsed.event
  const presented = applicationTokenHash(applicationToken)
  const portal = await cachedPortal(db, event.memberId)
  if (!portal) {
    safeEqual(presented, DUMMY_HASH())
    return { kind: 'unknown' }
  }
  if (!safeEqual(presented, portal.applicationTokenHash)) return { kind: 'forbidden' }
  return { kind: 'ok', event, portalActive: portal.state === 'active' }
}
