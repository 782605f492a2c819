/** The shared bucket's acquire is atomic: concurrent takers never exceed the burst. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tryAcquire } from '@/lib/bitrix24/rate-limit'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { setTestEnv } from './support/env'

let database: TestDatabase

beforeAll(async () => {
  setTestEnv()
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe('rate_buckets limiter', () => {
  it('grants exactly `burst` slots to concurrent takers when nothing drains', async () => {
    const params = { drainRate: 0.0001, burst: 10 }
    const results = await Promise.all(Array.from({ length: 30 }, () => tryAcquire(database.db, 'member-rate', params)))
    expect(results.filter((w) => w === 0)).toHaveLength(10)
    for (const wait of results.filter((w) => w > 0)) expect(wait).toBeGreaterThan(0)
  })

  it('keeps portals apart', async () => {
    const params = { drainRate: 0.0001, burst: 1 }
    expect(await tryAcquire(database.db, 'member-x', params)).toBe(0)
    expect(await tryAcquire(database.db, 'member-y', params)).toBe(0)
    expect(await tryAcquire(database.db, 'member-x', params)).toBeGreaterThan(0)
  })
})
