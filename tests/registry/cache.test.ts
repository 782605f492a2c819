/**
 * `withCache`: repeated lookups must not burn the paid quota — checked on the emulators' request logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DADATA_FIND_PARTY_PATH, SEED } from '@/tests/emulators/registry'
import { InMemoryRegistryCache, registryCacheKey, withCache, type RegistryCache, type RegistryRecord } from '@/lib/registry'
import { PROVIDERS, registryError, resetEmulators, startEmulators, stopEmulators, type Emulators } from './helpers'

let emus: Emulators
beforeAll(async () => {
  emus = await startEmulators()
})
afterAll(async () => {
  await stopEmulators(emus)
})
beforeEach(async () => {
  await resetEmulators(emus)
})

const vendorCalls = async (emus: Emulators, name: string) => {
  const log = name === 'dadata' ? await emus.dadata.requests() : await emus.focus.requests()
  return log.filter((r) => r.path === DADATA_FIND_PARTY_PATH || r.path.startsWith('/api3/')).length
}

describe.each(PROVIDERS)('withCache over $name', ({ name, make }) => {
  it('a cache hit makes no second HTTP request and returns the same records', async () => {
    const provider = withCache(make(emus), new InMemoryRegistryCache())
    const first = await provider.findByInn(SEED.sberbank.inn)
    const callsAfterFirst = await vendorCalls(emus, name)
    expect(callsAfterFirst).toBe(name === 'dadata' ? 1 : 2) // Focus: req + egrDetails
    const second = await provider.findByInn('7707 083 893')
    expect(second).toEqual(first)
    expect(await vendorCalls(emus, name)).toBe(callsAfterFirst)
    expect(provider.kind).toBe(name)
  })

  it('concurrent identical lookups share one request; a different KPP is a different key', async () => {
    const provider = withCache(make(emus), new InMemoryRegistryCache())
    await Promise.all([provider.findByInn(SEED.kontur.inn), provider.findByInn(SEED.kontur.inn), provider.findByInn(SEED.kontur.inn)])
    const oneLookup = await vendorCalls(emus, name)
    expect(oneLookup).toBe(name === 'dadata' ? 1 : 2)
    const branch = await provider.findByInn(SEED.kontur.inn, { kpp: '590443001' })
    expect(branch.map((r) => r.kpp)).toEqual(['590443001'])
    expect(await vendorCalls(emus, name)).toBe(oneLookup * 2)
  })

  it('errors are not cached: after a failure the next lookup goes to the vendor again', async () => {
    const emu = name === 'dadata' ? emus.dadata : emus.focus
    emu.faults.add({ kind: 'status', status: 503, times: 1 })
    const provider = withCache(make(emus), new InMemoryRegistryCache())
    expect((await registryError(() => provider.findByInn(SEED.yandex.inn))).kind).toBe('unavailable')
    expect(await provider.findByInn(SEED.yandex.inn)).toHaveLength(1)
  })

  it('entries expire after the TTL (injected clock); "not found" is cached for a shorter time', async () => {
    let now = Date.UTC(2026, 3, 1)
    const provider = withCache(make(emus), new InMemoryRegistryCache(() => now), 86_400)
    const perLookup = name === 'dadata' ? 1 : 2
    await provider.findByInn(SEED.yandex.inn)
    await provider.findByInn('1234567894') // nothing found: one request (Focus skips egrDetails)
    expect(await vendorCalls(emus, name)).toBe(perLookup + 1)
    now += 2 * 3_600_000 // past the 1-hour TTL of empty answers, within the day
    await provider.findByInn(SEED.yandex.inn)
    await provider.findByInn('1234567894')
    expect(await vendorCalls(emus, name)).toBe(perLookup + 2)
    now += 86_400_000
    await provider.findByInn(SEED.yandex.inn)
    expect(await vendorCalls(emus, name)).toBe(2 * perLookup + 2)
  })
})

describe('withCache resilience', () => {
  it('a failing cache store degrades to a provider call and is reported', async () => {
    const broken: RegistryCache = {
      get: async () => {
        throw new Error('db down')
      },
      set: async () => {
        throw new Error('db down')
      },
    }
    const seen: string[] = []
    const provider = withCache(PROVIDERS[0]!.make(emus), broken, 86_400, { onCacheError: (_e, op) => seen.push(op) })
    expect(await provider.findByInn(SEED.yandex.inn)).toHaveLength(1)
    expect(seen).toEqual(['get', 'set'])
  })

  it('returned records are copies: mutating one does not change the cache', async () => {
    const cache = new InMemoryRegistryCache()
    const provider = withCache(PROVIDERS[0]!.make(emus), cache)
    const first = await provider.findByInn(SEED.yandex.inn)
    ;(first[0] as RegistryRecord).fullName = 'changed'
    expect((await provider.findByInn(SEED.yandex.inn))[0]?.fullName).toBe('ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЯНДЕКС"')
    expect(registryCacheKey('dadata', ' 7736207543 ', '')).toBe('dadata:7736207543:*')
    expect(cache.size).toBe(1)
  })
})
