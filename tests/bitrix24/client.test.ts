/**
 * The portal client against the emulator: token expiry mid-work (one refresh), the shared
 * leaky bucket under 500 calls (no QUERY_LIMIT_EXCEEDED), batch per-key checking and chunking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bitrix24For } from '@/lib/bitrix24/client'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { getPortalTokens } from '@/lib/portals/repository'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { setTestEnv, TEST_CLIENT_ID, TEST_CLIENT_SECRET, startPortalFor } from './support/env'
import { startReceiver, type Receiver } from './support/receiver'

type Emulator = Awaited<ReturnType<typeof startBitrix24Emulator>>
interface LoggedRequest {
  method: string
  path: string
  status: number
}

let database: TestDatabase
let receiver: Receiver
let emulator: Emulator

// The emulator drains 20/s here instead of 2/s (keeps the test around 25 s); the client gets the
// same drain rate. Its safety margin must cover the time between taking a slot and the request
// reaching the portal (here: event-loop jitter in one process shared with PGlite, the emulator and
// other test files): at 2/s the production margin of 10 requests is 5 s; at 20/s we keep
// 25 requests (1.25 s). Production defaults stay 2/s, burst 40.
const EMULATOR_BUCKET = { enabled: true, drainRate: 20, burst: 50 }
const FAST = { drainRate: 20, burst: 25 }

async function requestLog(): Promise<LoggedRequest[]> {
  const response = await fetch(`${emulator.url}/__emulator/requests`)
  return ((await response.json()) as { requests: LoggedRequest[] }).requests
}

async function clearRequestLog(): Promise<void> {
  await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' })
}

beforeAll(async () => {
  receiver = await startReceiver()
  setTestEnv({ APP_URL: receiver.url })
  setDefaultRateLimit(FAST)
  database = await createTestDatabase()
  emulator = await startPortalFor(receiver.url, { rateLimit: EMULATOR_BUCKET })
  await emulator.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
})

afterAll(async () => {
  setDefaultRateLimit(undefined)
  await emulator?.close()
  await receiver?.close()
  await database?.drop()
})

describe('token refresh', () => {
  it('refreshes once when the token expires mid-work, for many parallel calls', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    expect(await client.call<{ ID: string }>('profile')).toMatchObject({ ID: expect.any(String) })
    const before = await getPortalTokens(database.db, emulator.memberId)

    emulator.expireAccessTokens()
    await clearRequestLog()
    const results = await Promise.all(Array.from({ length: 20 }, () => client.call<{ ID: string }>('user.current')))
    expect(results.every((r) => r && r.ID)).toBe(true)

    const log = await requestLog()
    expect(log.filter((r) => r.path.includes('/oauth/token')).length).toBe(1)
    const after = await getPortalTokens(database.db, emulator.memberId)
    expect(after!.generation).toBe(before!.generation + 1)
    expect(after!.refreshToken).not.toBe(before!.refreshToken)
    expect(client.tokenGeneration).toBe(after!.generation)
    expect(client.stats.refreshes).toBe(1)
  })

  it('a rejected refresh token surfaces as a non-retryable re-install error', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    // Rotate behind the client's back so the stored refresh token is the used one.
    const stored = await getPortalTokens(database.db, emulator.memberId)
    const response = await fetch(`${emulator.url}/oauth/token/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        refresh_token: stored!.refreshToken,
      }),
    })
    expect(response.status).toBe(200)
    emulator.expireAccessTokens()
    const error = await client.call('profile').catch((e: unknown) => e)
    expect(error).toMatchObject({
      service: 'bitrix24',
      kind: 'reinstall-required',
      code: 'invalid_grant',
      retryable: false,
      needsUser: true,
    })
    expect((error as { userMessage: string }).userMessage).toMatch(/Переустановите/)
    expect(JSON.stringify(error)).not.toContain(stored!.refreshToken)

    // Put a working pair back for the following tests: re-install.
    receiver.clear()
    await emulator.install()
    const [body] = await receiver.waitFor('/b24/install', 1)
    await installPortal(database.db, installPayloadFromEvent(body!))
  })
})

describe('batch', () => {
  it('reports legacy errors per key (invisible to the SDK) and chunks by 50', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    const id = Number(await client.call('crm.deal.add', { fields: { TITLE: 'Batch', STAGE_ID: 'NEW' } }))
    const result = await client.batch({
      ok: ['crm.deal.get', { id }],
      missing: ['crm.deal.get', { id: 999_999 }],
      update: { method: 'crm.deal.update', params: { id, fields: { TITLE: 'Batch 2' } } },
    })
    expect(result.ok).toBe(false)
    expect(result.results.ok).toMatchObject({ ID: String(id) })
    expect(result.results.update).toBe(true)
    expect(result.errors.missing).toMatchObject({ key: 'missing', description: expect.stringMatching(/not found/i) })
    await expect(client.batchOrThrow({ missing: ['crm.deal.get', { id: 999_999 }] })).rejects.toMatchObject({
      kind: 'batch-command-failed',
      service: 'bitrix24',
    })

    await clearRequestLog()
    const calls = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`d${i}`, ['crm.deal.get', { id }] as const]))
    const big = await client.batch(calls)
    expect(big.ok).toBe(true)
    expect(Object.keys(big.results)).toHaveLength(120)
    const batches = (await requestLog()).filter((r) => /\/batch$/i.test(r.path))
    expect(batches).toHaveLength(3)
  })
})

describe('callList', () => {
  it('collects every page of a list method', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    const before = await client.callList<{ ID: string }>('crm.deal.list', { select: ['ID'] })
    for (let i = 0; i < 60; i++) {
      await client.call('crm.deal.add', { fields: { TITLE: `List ${i}`, STAGE_ID: 'NEW' } })
    }
    const all = await client.callList<{ ID: string }>('crm.deal.list', { select: ['ID', 'TITLE'] })
    expect(all).toHaveLength(before.length + 60)
    expect(new Set(all.map((d) => d.ID)).size).toBe(all.length)
    await expect(client.call('crm.deal.get', { id: 987_654 })).rejects.toMatchObject({
      kind: 'not-found',
      retryable: false,
      service: 'bitrix24',
    })
  })
})

describe('shared rate limiter', () => {
  it('500 calls against the leaky bucket: no QUERY_LIMIT_EXCEEDED reaches callers or the wire', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    await clearRequestLog()
    const settled = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => client.call<{ ID: string }>(i % 2 ? 'profile' : 'user.current')),
    )
    const failures = settled.filter((s) => s.status === 'rejected')
    expect(failures).toEqual([])
    const log = await requestLog()
    expect(log.filter((r) => r.status === 503)).toEqual([])
    expect(log.filter((r) => r.path.includes('profile') || r.path.includes('user.current')).length).toBe(500)
  })
})
