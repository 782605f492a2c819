/**
 * Placement / app-page trust: AUTH_ID verified against the stored portal's endpoint, cached until
 * AUTH_EXPIRES; a token of portal A presented with portal B's member_id is rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyFrameAuth } from '@/lib/bitrix24/frame-auth'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { getPortalTokens } from '@/lib/portals/repository'
import { issueSession, verifySession } from '@/lib/security/session'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { setTestEnv, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from './support/env'
import { startReceiver, type Receiver } from './support/receiver'

type Emulator = Awaited<ReturnType<typeof startBitrix24Emulator>>

let database: TestDatabase
let receiver: Receiver
let portalA: Emulator
let portalB: Emulator

async function startPortal(name: string): Promise<Emulator> {
  const emulator = await startBitrix24Emulator({
    seed: false,
    memberId: `member-${name}-${Date.now()}`,
    app: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      installUrl: `${receiver.url}/b24/install/${name}`,
      appUrl: `${receiver.url}/b24/app`,
      installMode: 'event',
    },
  })
  await emulator.install()
  const [body] = await receiver.waitFor(`/b24/install/${name}`, 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
  return emulator
}

async function profileRequests(emulator: Emulator): Promise<number> {
  const log = ((await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
    requests: Array<{ path: string }>
  }).requests
  return log.filter((r) => /\/profile$/.test(r.path)).length
}

function framePost(emulator: Emulator, authId: string, memberId = emulator.memberId, domain = emulator.domain) {
  return {
    query: { DOMAIN: domain, PROTOCOL: '0', LANG: 'ru', APP_SID: 'sid123' },
    form: new URLSearchParams({
      AUTH_ID: authId,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: 'refresh-not-used',
      SERVER_ENDPOINT: emulator.serverEndpoint,
      APPLICATION_TOKEN: 'not-used-for-frames',
      member_id: memberId,
      status: 'L',
      PLACEMENT: 'CRM_DEAL_DETAIL_TAB',
      PLACEMENT_OPTIONS: JSON.stringify({ ID: '8061', URI: '/crm/deal/details/8061/' }),
    }).toString(),
  }
}

beforeAll(async () => {
  receiver = await startReceiver()
  setTestEnv({ APP_URL: receiver.url })
  database = await createTestDatabase()
  portalA = await startPortal('a')
  portalB = await startPortal('b')
})

afterAll(async () => {
  await portalA?.close()
  await portalB?.close()
  await receiver?.close()
  await database?.drop()
})

describe('frame auth', () => {
  it('accepts a valid AUTH_ID and caches the verification', async () => {
    const token = (await getPortalTokens(database.db, portalA.memberId))!.accessToken
    await fetch(`${portalA.url}/__emulator/requests`, { method: 'DELETE' })

    const first = await verifyFrameAuth(database.db, framePost(portalA, token))
    expect(first).toMatchObject({
      ok: true,
      cached: false,
      auth: {
        memberId: portalA.memberId,
        userId: expect.any(Number),
        isAdmin: true,
        placement: 'CRM_DEAL_DETAIL_TAB',
        placementOptions: { ID: '8061' },
        lang: 'ru',
      },
    })
    expect(await profileRequests(portalA)).toBe(1)

    const second = await verifyFrameAuth(database.db, framePost(portalA, token))
    expect(second).toMatchObject({ ok: true, cached: true, auth: { memberId: portalA.memberId } })
    expect(await profileRequests(portalA)).toBe(1)
  })

  it("rejects portal A's token presented as portal B", async () => {
    const tokenA = (await getPortalTokens(database.db, portalA.memberId))!.accessToken
    // Cached for A: B's member id must not reuse A's verification.
    expect(await verifyFrameAuth(database.db, framePost(portalB, tokenA))).toEqual({ ok: false, reason: 'forbidden' })
    // A's domain with B's member id: the stored portal's domain does not match.
    expect(await verifyFrameAuth(database.db, framePost(portalA, tokenA, portalB.memberId))).toEqual({
      ok: false,
      reason: 'forbidden',
    })
    // A fresh (uncached) token of A's manager, presented as B: portal B itself rejects it.
    const freshA = portalA.issueTokens(2).accessToken
    expect(await verifyFrameAuth(database.db, framePost(portalB, freshA))).toEqual({ ok: false, reason: 'forbidden' })
    // The same token is fine on its own portal (a non-admin user).
    expect(await verifyFrameAuth(database.db, framePost(portalA, freshA))).toMatchObject({
      ok: true,
      auth: { memberId: portalA.memberId, userId: 2, isAdmin: false },
    })
  })

  it('rejects unknown portals and malformed requests', async () => {
    const token = (await getPortalTokens(database.db, portalA.memberId))!.accessToken
    expect(await verifyFrameAuth(database.db, framePost(portalA, token, 'unknown-member'))).toEqual({
      ok: false,
      reason: 'unknown',
    })
    expect(await verifyFrameAuth(database.db, { query: {}, form: 'AUTH_ID=x' })).toEqual({ ok: false, reason: 'malformed' })
  })

  it('issues a session for the verified user that expires and cannot be altered', async () => {
    const token = (await getPortalTokens(database.db, portalA.memberId))!.accessToken
    const verified = await verifyFrameAuth(database.db, framePost(portalA, token))
    if (!verified.ok) throw new Error('expected ok')
    const now = Date.now()
    const session = issueSession({ ...verified.auth, entityType: 'deal', entityId: 8061 }, 900, now)
    expect(verifySession(session, now)).toMatchObject({ memberId: portalA.memberId, entityId: 8061 })
    expect(verifySession(session, now + 900_000)).toBeNull()
    expect(verifySession(session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), now)).toBeNull()
  })
})
