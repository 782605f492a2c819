/**
 * Caching of registry lookups so repeated checks do not burn the paid/daily quota.
 *
 * `RegistryCache` is storage-agnostic (the lead adds a database-backed one); `InMemoryRegistryCache`
 * serves tests and single-process use. `withCache` wraps any provider: hits make no HTTP request,
 * concurrent identical lookups share one request, errors are never cached, and a failing cache store
 * degrades to "miss" instead of failing the lookup.
 */
import { validateInn } from './identifiers'
import type { FindByInnOptions, RegistryProvider, RegistryProviderKind, RegistryRecord } from './provider'

export interface RegistryCache {
  get(key: string): Promise<RegistryRecord[] | undefined>
  set(key: string, value: RegistryRecord[], ttlSeconds: number): Promise<void>
}

export const DEFAULT_REGISTRY_TTL_SECONDS = 86_400

/** `dadata:7707083893:*` / `kontur_focus:7707083893:540602001`. */
export function registryCacheKey(provider: RegistryProviderKind, inn: string, kpp?: string): string {
  const checked = validateInn(inn)
  const id = checked.ok ? checked.inn : inn.trim()
  const unit = kpp?.trim().toUpperCase() || '*'
  return `${provider}:${id}:${unit}`
}

export interface WithCacheOptions {
  /** TTL for "nothing found" answers (an INN may get registered): default min(ttl, 1 hour). */
  emptyTtlSeconds?: number
  /** Called when the cache store throws; the lookup then goes to the provider. */
  onCacheError?: (error: unknown, operation: 'get' | 'set', key: string) => void
}

export function withCache(
  provider: RegistryProvider,
  cache: RegistryCache,
  ttlSeconds: number = DEFAULT_REGISTRY_TTL_SECONDS,
  options: WithCacheOptions = {},
): RegistryProvider {
  const emptyTtl = options.emptyTtlSeconds ?? Math.min(ttlSeconds, 3600)
  const inFlight = new Map<string, Promise<RegistryRecord[]>>()

  async function lookup(key: string, inn: string, opts: FindByInnOptions | undefined): Promise<RegistryRecord[]> {
    try {
      const hit = await cache.get(key)
      if (hit !== undefined) return hit
    } catch (error) {
      options.onCacheError?.(error, 'get', key)
    }
    const records = await provider.findByInn(inn, opts)
    try {
      await cache.set(key, records, records.length === 0 ? emptyTtl : ttlSeconds)
    } catch (error) {
      options.onCacheError?.(error, 'set', key)
    }
    return records
  }

  return {
    kind: provider.kind,
    findByInn(inn: string, opts?: FindByInnOptions): Promise<RegistryRecord[]> {
      // Invalid input goes straight to the provider, which throws the typed error.
      if (!validateInn(inn).ok) return provider.findByInn(inn, opts)
      const key = registryCacheKey(provider.kind, inn, opts?.kpp)
      const pending = inFlight.get(key)
      if (pending) return pending.then((r) => structuredClone(r))
      const promise = lookup(key, inn, opts).finally(() => inFlight.delete(key))
      inFlight.set(key, promise)
      return promise.then((r) => structuredClone(r))
    },
  }
}

/** Process-local cache with TTLs; `now` is injectable so tests need no real waiting. */
export class InMemoryRegistryCache implements RegistryCache {
  private readonly entries = new Map<string, { value: RegistryRecord[]; expiresAt: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<RegistryRecord[] | undefined> {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      return undefined
    }
    return structuredClone(entry.value)
  }

  async set(key: string, value: RegistryRecord[], ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return
    this.entries.set(key, { value: structuredClone(value), expiresAt: this.now() + ttlSeconds * 1000 })
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
