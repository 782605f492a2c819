/**
 * The real install and event route handlers, fed by the Bitrix24 emulator over HTTP: genuine
 * events become durable jobs; forged, unknown and malformed ones are rejected and enqueue nothing;
 * after uninstall the portal's tokens are gone and its events do no work.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { resetConfigForTests } from '@/lib/config'
import { resetSecretForTests } from '@/lib/security/secret'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { waitFor } from '../support/ports'
import { serveRoutes } from '../support/route-server'

let database: TestDatabase
let portal: Bitrix24Emulator
let app: { url: string; close(): Promise<void> }

async function queuedEvents(): Promise<number> {
  const rows = (await database.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'b24.event'`)) as unknown
  const list = Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows
  return (list[0] as { n: number }).n
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

const postEvent = (body: string) =>
  fetch(`${app.url}/api/b24/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })

beforeAll(async () => {
  database = await createTestDatabase()
  setDatabase(database)
  const routes = {
    '/b24/install': await import('@/app/b24/install/route'),
    '/api/b24/events': await import('@/app/api/b24/events/route'),
  }
  app = await serveRoutes(routes)
  Object.assign(process.env, {
    APP_URL: app.url,
    APP_SECRET: 'event-intake-test-secret-0123456789',
    B24_CLIENT_ID: 'local.intake.1',
    B24_CLIENT_SECRET: 'intake-secret',
    ALLOW_INSECURE_ENDPOINTS: '1',
    RUN_WORKERS_IN_APP: 'no',
  })
  resetConfigForTests()
  resetSecretForTests()
  portal = await startBitrix24Emulator({
    app: { clientId: 'local.intake.1', clientSecret: 'intake-secret', installUrl: `${app.url}/b24/install`, appUrl: `${app.url}/b24/app` },
  })
  const installed = await portal.install()
  expect(installed.status).toBe(200)
})

afterAll(async () => {
  const { getRuntime } = await import('@/lib/runtime')
  await (await getRuntime()).jobs.stop()
  await portal?.close()
  await app?.close()
  setDatabase(undefined)
  await database?.drop()
})

describe('event intake through the real route handlers', () => {
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
    expect([wrongToken.status, unknownPortal.status, malformed.status, noAuth.status]).toEqual([403, 401, 400, 400])
    for (const response of [wrongToken, unknownPortal, malformed, noAuth]) expect(await response.text()).toBe('')
    expect(await queuedEvents()).toBe(before)
  })

  it('a robot change (no tokens in the event) is still accepted: jobs use the stored tokens', async () => {
    const before = await queuedEvents()
    await portal.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: 2 } }, { withoutTokens: true })
    await portal.waitForDeliveries()
    expect(await queuedEvents()).toBe(before + 1)
  })

  it('uninstall removes the tokens, and later events do no work', async () => {
    const applicationToken = portal.state.app.applicationToken
    await portal.uninstall({ clean: true })
    await portal.waitForDeliveries()
    await waitFor('the portal to be marked uninstalled', async () => {
      const rows = (await database.db.execute(sql`select state from portals where member_id = ${portal.memberId}`)) as unknown
      const list = Array.isArray(rows) ? rows : (rows as { rows: { state: string }[] }).rows
      return (list[0] as { state: string } | undefined)?.state === 'uninstalled'
    })
    const tokens = (await database.db.execute(sql`select count(*)::int as n from portal_tokens`)) as unknown
    const list = Array.isArray(tokens) ? tokens : (tokens as { rows: { n: number }[] }).rows
    expect((list[0] as { n: number }).n).toBe(0)

    const before = await queuedEvents()
    expect((await postEvent(eventBody({ ts: '1790000500', 'auth[application_token]': applicationToken }))).status).toBe(200)
    expect(await queuedEvents()).toBe(before)
  })
})
