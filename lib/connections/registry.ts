/**
 * A portal's registry provider (DaData or Kontur.Focus) and its encrypted key, and a ready provider
 * wrapped with the database-backed cache (table registry_cache; registry data is public, so the
 * cache is shared by all portals, keyed by provider + INN + unit).
 */
import { eq, lt, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '@/db/client'
import { registryCache, registryConnections } from '@/db/schema/counterparties'
import { config } from '@/lib/config'
import {
  createRegistryProvider,
  withCache,
  type RegistryCache,
  type RegistryProvider,
  type RegistryProviderKind,
  type RegistryRecord,
} from '@/lib/registry'
import { decryptJson, encryptJson } from '@/lib/security/crypto'

const stored = z.object({ apiKey: z.string().min(1), secretKey: z.string().optional() })

export interface RegistryConnectionInput {
  provider: RegistryProviderKind
  apiKey: string
  /** DaData only: the secret key, which tells a spent daily limit from a bad key. */
  secretKey?: string
}

export interface RegistryConnectionStatus {
  connected: boolean
  provider?: RegistryProviderKind
  updatedAt?: string
}

export interface RegistryProviderForOptions {
  /** Cache lifetime; default 24 h. */
  ttlSeconds?: number
  /** Skip cached answers (the «Обновить из ЕГРЮЛ» button); the fresh answer is cached. */
  fresh?: boolean
}

/** Cache lifetime (config REGISTRY_CACHE_TTL_SECONDS, 24 h by default). */
export function registryCacheTtlSeconds(): number {
  return config().REGISTRY_CACHE_TTL_SECONDS
}

/** An INN every registry knows (ПАО Сбербанк): the cheap live check of a key. */
const PROBE_INN = '7707083893'

function buildProvider(input: RegistryConnectionInput): RegistryProvider {
  const c = config()
  const timeoutMs = Math.min(c.HTTP_TIMEOUT_MS, 15_000)
  return input.provider === 'dadata'
    ? createRegistryProvider({
        provider: 'dadata',
        apiKey: input.apiKey,
        ...(input.secretKey ? { secretKey: input.secretKey } : {}),
        baseUrl: c.DADATA_API_URL,
        timeoutMs,
        count: 300,
      })
    : createRegistryProvider({ provider: 'kontur_focus', apiKey: input.apiKey, baseUrl: c.KONTUR_FOCUS_API_URL, timeoutMs })
}

/** Checks the key with one lookup and stores it only if the provider accepts it (throws RegistryError otherwise). */
export async function saveRegistryConnection(db: Database, memberId: string, input: RegistryConnectionInput): Promise<void> {
  const clean: RegistryConnectionInput = {
    provider: input.provider,
    apiKey: input.apiKey.trim(),
    ...(input.secretKey?.trim() ? { secretKey: input.secretKey.trim() } : {}),
  }
  await buildProvider(clean).findByInn(PROBE_INN)
  const values = {
    provider: clean.provider,
    credentialsEnc: encryptJson({ apiKey: clean.apiKey, ...(clean.secretKey ? { secretKey: clean.secretKey } : {}) }),
    updatedAt: new Date(),
  }
  await db
    .insert(registryConnections)
    .values({ memberId, ...values })
    .onConflictDoUpdate({ target: registryConnections.memberId, set: values })
}

export async function removeRegistryConnection(db: Database, memberId: string): Promise<void> {
  await db.delete(registryConnections).where(eq(registryConnections.memberId, memberId))
}

export async function registryConnectionStatus(db: Database, memberId: string): Promise<RegistryConnectionStatus> {
  const [row] = await db
    .select({ provider: registryConnections.provider, updatedAt: registryConnections.updatedAt })
    .from(registryConnections)
    .where(eq(registryConnections.memberId, memberId))
  if (!row) return { connected: false }
  return { connected: true, provider: row.provider, updatedAt: row.updatedAt.toISOString() }
}

/** Registry answers cached in PostgreSQL/PGlite (implements lib/registry's RegistryCache). */
export class DatabaseRegistryCache implements RegistryCache {
  constructor(
    private readonly db: Database,
    private readonly options: { readThrough?: boolean; now?: () => Date } = {},
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date()
  }

  async get(key: string): Promise<RegistryRecord[] | undefined> {
    if (this.options.readThrough === false) return undefined
    const [row] = await this.db.select().from(registryCache).where(eq(registryCache.key, key))
    if (!row || row.expiresAt.getTime() <= this.now().getTime()) return undefined
    return row.payload as RegistryRecord[]
  }

  async set(key: string, value: RegistryRecord[], ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return
    const fetchedAt = this.now()
    const expiresAt = new Date(fetchedAt.getTime() + ttlSeconds * 1000)
    await this.db
      .insert(registryCache)
      .values({ key, payload: value, fetchedAt, expiresAt })
      .onConflictDoUpdate({ target: registryCache.key, set: { payload: value, fetchedAt, expiresAt } })
  }

  /** Removes expired answers; returns how many. */
  async purgeExpired(): Promise<number> {
    const gone = await this.db.delete(registryCache).where(lt(registryCache.expiresAt, this.now())).returning({ key: registryCache.key })
    return gone.length
  }
}

/** When the cached answer for a key was fetched (for "checked at" in the UI). */
export async function registryFetchedAt(db: Database, key: string): Promise<Date | undefined> {
  const [row] = await db.select({ at: registryCache.fetchedAt }).from(registryCache).where(eq(registryCache.key, key))
  return row?.at
}

/**
 * The portal's provider behind the database cache, or undefined when no registry is connected.
 * Cache hits make no HTTP request; errors are never cached.
 */
export async function registryProviderFor(
  db: Database,
  memberId: string,
  options: RegistryProviderForOptions = {},
): Promise<RegistryProvider | undefined> {
  const [row] = await db.select().from(registryConnections).where(eq(registryConnections.memberId, memberId))
  if (!row) return undefined
  const credentials = stored.parse(decryptJson(row.credentialsEnc))
  const provider = buildProvider({ provider: row.provider, ...credentials })
  const cache = new DatabaseRegistryCache(db, { readThrough: !options.fresh })
  return withCache(provider, cache, options.ttlSeconds ?? registryCacheTtlSeconds())
}

/** Test helper and admin tool: drops every cached answer. */
export async function clearRegistryCache(db: Database): Promise<void> {
  await db.execute(sql`delete from ${registryCache}`)
}
