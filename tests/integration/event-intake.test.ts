/**
 * The real install and event handlers, fed by the Bitrix24 emulator over HTTP, through both doors
 * an event can come in by: the Next.js route handler and the web server's fast path (server.ts
 * answers POST /api/b24/events itself). Each door must answer alike: genuine events become durable
 * jobs; forged, unknown and malformed ones, and senders outside ALLOWED_IPS, are rejected and
 * enqueue nothing; an inactive portal's events are acknowledged and do no work; after uninstall the
 * portal's tokens are gone.
 */
import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { forgetVerifiedPortal } from '@/lib/bitrix24/events'
import { resetConfigForTests } from '@/lib/config'
import { serveEventDelivery } from '@/lib/http/event-fast-path'
import { resetSecretForTests } from '@/lib/security/secret'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { waitFor } from '../support/ports'
import { serveRoutes } from '../support/route-server'

let database: TestDatabase
let app: { url: string; close(): Promise<void> }
/** Which door POST /api/b24/events goes through: the server's fast path, or the Next.js route. */
let throughFastPath = false

async function rowsOf<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const rows = (await database.db.execute(query)) as unknown
  return (Array.isArray(rows) ? rows : (rows as { rows: T[] }).rows) as T[]
}

async function setEnv(values: Record<string, string>): Promise<void> {
  Object.assign(process.env, values)
  resetConfigForTests()
}

beforeAll(async () => {
  database = await createTestDatabase()
  setDatabase(database)
  const routes = {
    '/b24/install': await import('@/app/b24/install/route'),
    '/api/b24/events': await import('@/app/api/b24/events/route'),
  }
  app = await serveRoutes(routes, { intercept: (req, res) => throughFastPath && serveEventDelivery(req, res) })
  await setEnv({
    APP_URL: app.url,
    APP_SECRET: 'event-intake-test-secret-0123456789',
    B24_CLIENT_ID: 'local.intake.1',
    B24_CLIENT_SECRET: 'intake-secret',
    ALLOW_INSECURE_ENDPOINTS: '1',
    RUN_WORKERS_IN_APP: 'no',
    ALLOWED_IPS: '',
  })
  resetSecretForTests()
})

afterAll(async () => {
  const { getRuntime } = await import('@/lib/runtime')
  await (await getRuntime()).jobs.stop()
  await app?.close()
  setDatabase(undefined)
  await database?.drop()
})

describe.each([
  { door: 'the Next.js route handler', fastPath: false },
  { door: 'the web server fast path', fastPath: true },
])('event intake through $door', ({ door, fastPath }) => {
  let portal: Bitrix24Emulator

  /** Jobs queued for this door's portal (each door has its own portal). */
  async function queuedEvents(): Promise<number> {
    const [row] = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'b24.event' and data->>'memberId' = ${portal.memberId}`,
    )
    return row!.n
  }

  const eventBody = (overrides: Record<string, string>) =>
    new URLSearchParams({
      event: 'ONCRMDEALUPDATE',
      'data[FIELDS][ID]': '3',
      ts: String(Math.floor(Date.now() / 1000)),
      'auth[domain]': portal.domain,
      'auth[client_endpoint]': portal.clientEndpoint,
      'auth[server_endpoint]': portal.serverEndpoint,
      'auth[member_id]': portal.memberId,
      'auth[application_token]': portal.state.app.applicationToken,
      ...overrides,
    }).toString()

  const postEvent = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/b24/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    })

  beforeAll(async () => {
    throughFastPath = fastPath
    portal = await startBitrix24Emulator({
      memberId: createHash('md5').update(`event-intake:${door}`).digest('hex'),
      app: { clientId: 'local.intake.1', clientSecret: 'intake-secret', installUrl: `${app.url}/b24/install`, appUrl: `${app.url}/b24/app` },
    })
    const installed = await portal.install()
    expect(installed.status).toBe(200)
  })

  afterAll(async () => {
    await portal?.close()
  })

  it('a genuine event from the portal becomes one durable job', async () => {
    const before = await queuedEvents()
    await portal.uiUpdate('deal', 1, { COMMENTS: 'Клиент просит счёт' }, 2)
    await portal.waitForDeliveries()
    expect(portal.state.deliveries.at(-1)?.status).toBe(200)
    expect(await queuedEvents()).toBe(before + 1)
  })

  it('the same event delivered twice is queued once', async () => {
    const before = await queuedEvents()
    const body = eventBody({ ts: '1790000000' })
    expect((await postEvent(body)).status).toBe(200)
    expect((await postEvent(body)).status).toBe(200)
    expect(await queuedEvents()).toBe(before + 1)
  })

  it('forged, unknown and malformed events are rejected and enqueue nothing', async () => {
    const before = await queuedEvents()
    const wrongToken = await postEvent(eventBody({ 'auth[application_token]': 'f'.repeat(32) }))
    const unknownPortal = await postEvent(eventBody({ 'auth[member_id]': '0'.repeat(32) }))
    const malformed = await postEvent('this is not a bitrix24 event')
    const noAuth = await postEvent('event=ONCRMDEALUPDATE&data[FIELDS][ID]=1')
    const empty = await postEvent('')
    expect([wrongToken.status, unknownPortal.status, malformed.status, noAuth.status, empty.status]).toEqual([403, 401, 400, 400, 400])
    for (const response of [wrongToken, unknownPortal, malformed, noAuth, empty]) expect(await response.text()).toBe('')
    expect(await queuedEvents()).toBe(before)
  })

  it('a body with a leading byte order mark reads as the same event', async () => {
    const before = await queuedEvents()
    const response = await postEvent(`\uFEFF${eventBody({ ts: '1790000100' })}`)
    expect(response.status).toBe(200)
    expect(await queuedEvents()).toBe(before + 1)
  })

  it('with ALLOWED_IPS set, only senders on the list are heard (the client address as Next.js sees it)', async () => {
    const before = await queuedEvents()
    try {
      await setEnv({ ALLOWED_IPS: '10.0.0.0/8' })
      const direct = await postEvent(eventBody({ ts: '1790000200' }))
      expect(direct.status).toBe(403)
      expect(await direct.text()).toBe('')
      // Behind one proxy (TRUSTED_PROXIES=1) the client is the address the proxy appended.
      const viaProxy = await postEvent(eventBody({ ts: '1790000201' }), { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' })
      expect(viaProxy.status).toBe(200)
      const spoofedByTheProxyClient = await postEvent(eventBody({ ts: '1790000202' }), { 'x-forwarded-for': '10.1.2.3, 203.0.113.9' })
      expect(spoofedByTheProxyClient.status).toBe(403)
      await setEnv({ ALLOWED_IPS: '127.0.0.1, ::1' })
      expect((await postEvent(eventBody({ ts: '1790000203' }))).status).toBe(200)
    } finally {
      await setEnv({ ALLOWED_IPS: '' })
    }
    expect(await queuedEvents()).toBe(before + 2)
  })

  it('a robot change (no tokens in the event) is still accepted: jobs use the stored tokens', async () => {
    const before = await queuedEvents()
    await portal.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: 2 } }, { withoutTokens: true })
    await portal.waitForDeliveries()
    expect(await queuedEvents()).toBe(before + 1)
  })

  it('a portal whose install is not finished gets its events acknowledged, and nothing is queued', async () => {
    await database.db.execute(sql`update portals set state = 'installing' where member_id = ${portal.memberId}`)
    forgetVerifiedPortal(database.db, portal.memberId)
    const before = await queuedEvents()
    const response = await postEvent(eventBody({ ts: '1790000300' }))
    expect(response.status).toBe(200)
    expect(await queuedEvents()).toBe(before)
    await database.db.execute(sql`update portals set state = 'active' where member_id = ${portal.memberId}`)
    forgetVerifiedPortal(database.db, portal.memberId)
  })

  it('uninstall removes the tokens, and later events do no work', async () => {
    const applicationToken = portal.state.app.applicationToken
    await portal.uninstall({ clean: true })
    await portal.waitForDeliveries()
    expect(portal.state.deliveries.at(-1)?.status).toBe(200)
    await waitFor('the portal to be marked uninstalled', async () => {
      const [row] = await rowsOf<{ state: string }>(sql`select state from portals where member_id = ${portal.memberId}`)
      return row?.state === 'uninstalled'
    })
    const [tokens] = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from portal_tokens where member_id = ${portal.memberId}`,
    )
    expect(tokens!.n).toBe(0)

    const before = await queuedEvents()
    expect((await postEvent(eventBody({ ts: '1790000500', 'auth[application_token]': applicationToken }))).status).toBe(200)
    expect(await queuedEvents()).toBe(before)
  })
})
