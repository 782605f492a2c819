/**
 * The per-portal leaky bucket, shared by every process through the `rate_buckets` table.
 * Bitrix24 counts +1 per HTTP request and drains `drainRate` per second; over `burst` it answers
 * 503 QUERY_LIMIT_EXCEEDED. We mirror it with a safety margin (burst 40 of 50) and take a slot
 * BEFORE every request, in one atomic upsert, so workers never overrun the portal together.
 */
import { eq, sql } from 'drizzle-orm'
import { rateBuckets } from '@/db/schema'
import type { Db } from '@/lib/portals/repository'

export interface RateLimitParams {
  /** Requests per second the bucket drains (Bitrix24 standard plans: 2). */
  drainRate: number
  /** Level at which we stop sending (Bitrix24 rejects above 50; keep a margin). */
  burst: number
}

export const DEFAULT_RATE_LIMIT: RateLimitParams = { drainRate: 2, burst: 40 }

let defaults: RateLimitParams = { ...DEFAULT_RATE_LIMIT }

/** Process-wide limiter parameters (tests use a faster drain; production keeps 2/s, 40). */
export function setDefaultRateLimit(params: Partial<RateLimitParams> | undefined): void {
  defaults = { ...DEFAULT_RATE_LIMIT, ...(params ?? {}) }
}

export function defaultRateLimit(): RateLimitParams {
  return defaults
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Tries to take one slot. Returns 0 when taken, otherwise the milliseconds until one frees up.
 * The drain since the last update and the +1 happen in the same statement (row-locked by the upsert).
 */
export async function tryAcquire(db: Db, memberId: string, params: RateLimitParams = defaults): Promise<number> {
  const drained = sql`greatest(0, ${rateBuckets.level} - extract(epoch from (clock_timestamp() - ${rateBuckets.updatedAt})) * ${params.drainRate})`
  const taken = await db
    .insert(rateBuckets)
    .values({ memberId, level: 1, updatedAt: sql`clock_timestamp()` })
    .onConflictDoUpdate({
      target: rateBuckets.memberId,
      set: { level: sql`${drained} + 1`, updatedAt: sql`clock_timestamp()` },
      setWhere: sql`${drained} + 1 <= ${params.burst}`,
    })
    .returning({ level: rateBuckets.level })
  if (taken.length > 0) return 0
  const [row] = await db
    .select({ level: sql<number>`${drained}`.mapWith(Number) })
    .from(rateBuckets)
    .where(eq(rateBuckets.memberId, memberId))
  const level = row?.level ?? 0
  const overflow = level + 1 - params.burst
  return Math.max(5, Math.ceil((overflow / params.drainRate) * 1000))
}

/**
 * Callers of one portal inside this process queue here (FIFO) so only one of them polls the
 * shared bucket at a time: fair ordering, and hundreds of parallel calls cost one polling loop,
 * not hundreds of competing upserts (which also delay requests between slot and send).
 */
const localQueues = new Map<string, Promise<void>>()

/** Waits until the portal's shared bucket has room, then takes one slot. */
export async function acquirePortalSlot(
  db: Db,
  memberId: string,
  params: RateLimitParams = defaults,
  signal?: AbortSignal,
): Promise<void> {
  const previous = localQueues.get(memberId) ?? Promise.resolve()
  let release!: () => void
  const mine = new Promise<void>((resolve) => (release = resolve))
  const tail = previous.then(() => mine)
  localQueues.set(memberId, tail)
  try {
    await previous
    for (;;) {
      const wait = await tryAcquire(db, memberId, params)
      if (wait === 0) return
      signal?.throwIfAborted()
      // Jitter spreads the pollers of different processes over time.
      await sleep(wait + Math.floor(Math.random() * Math.min(20, wait)))
    }
  } finally {
    release()
    if (localQueues.get(memberId) === tail) localQueues.delete(memberId)
  }
}
