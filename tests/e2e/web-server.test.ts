/**
 * The production web server (server.ts, as `npm start` runs it): Bitrix24 event deliveries are
 * answered on its own fast path, every other request by Next.js. The two load separate copies of
 * the app's modules in one process, so what one learns (an install) must reach the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOT_FRAMEABLE_HEADERS } from '@/lib/http/security-headers'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startAppServer, TEST_CLIENT_ID, TEST_CLIENT_SECRET, type AppServer } from '../support/app-server'
import { createEmptyDatabase } from '../support/database'
import { freePort } from '../support/ports'

let database: Awaited<ReturnType<typeof createEmptyDatabase>>
let portal: Bitrix24Emulator
let app: AppServer

beforeAll(async () => {
  database = await createEmptyDatabase()
  const appPort = await freePort()
  const appUrl = `http://127.0.0.1:${appPort}`
  portal = await startBitrix24Emulator({
    app: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, installUrl: `${appUrl}/b24/install`, appUrl: `${appUrl}/b24/app` },
  })
  app = await startAppServer({ DATABASE_URL: database.url ?? '' }, appPort)
  const installed = await portal.install()
  expect(installed.status, app.output()).toBe(200)
})

afterAll(async () => {
  await app?.stop()
  await portal?.close()
  await database?.drop()
})

const eventBody = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    event: 'ONCRMDEALUPDATE',
    'data[FIELDS][ID]': '1',
    ts: String(Math.floor(Date.now() / 1000)),
    'auth[domain]': portal.domain,
    'auth[member_id]': portal.memberId,
    'auth[application_token]': portal.state.app.applicationToken,
    ...overrides,
  }).toString()

const postEvent = (body: string, path = '/api/b24/events') =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  })

describe('the web server', () => {
  it('answers events with the status codes of the route, no body, and the headers Next.js gives its API answers', async () => {
    const answers = [
      await postEvent(eventBody()),
      await postEvent(eventBody({ 'auth[application_token]': 'f'.repeat(32) })),
      await postEvent(eventBody({ 'auth[member_id]': '0'.repeat(32) })),
      await postEvent('this is not a bitrix24 event'),
    ]
    expect(answers.map((r) => r.status)).toEqual([200, 403, 401, 400])
    for (const answer of answers) expect(await answer.text()).toBe('')

    // Any other method on the same path is Next.js's: the route has no GET.
    const fromNext = await fetch(`${app.url}/api/b24/events`)
    expect(fromNext.status).toBe(405)
    for (const name of Object.keys(NOT_FRAMEABLE_HEADERS)) {
      expect(fromNext.headers.get(name)).not.toBeNull()
      for (const answer of answers) expect(answer.headers.get(name), name).toBe(fromNext.headers.get(name))
    }
  })

  it('takes only the exact event path: anything near it is routed by Next.js as before', async () => {
    const trailingSlash = await postEvent(eventBody(), '/api/b24/events/')
    expect(trailingSlash.status).toBe(308)
    expect(trailingSlash.headers.get('location')).toBe('/api/b24/events')
    expect((await postEvent(eventBody(), '/api/b24/events?source=portal')).status).toBe(200)
  })

  it('events from the portal are delivered, and a new install is heard at once after an uninstall', async () => {
    await portal.uiUpdate('deal', 1, { COMMENTS: 'Клиент просит счёт' })
    await portal.waitForDeliveries()
    expect(portal.state.deliveries.at(-1)?.status).toBe(200)

    const oldToken = portal.state.app.applicationToken
    await portal.uninstall({ clean: true })
    await portal.waitForDeliveries()
    expect(portal.state.deliveries.at(-1)?.status).toBe(200)
    // Acknowledged (the portal is known, just inactive) and remembered by the fast path for a few seconds.
    expect((await postEvent(eventBody({ 'auth[application_token]': oldToken }))).status).toBe(200)

    // The install is handled by Next.js; the fast path must not go on verifying against the old token.
    const installed = await portal.install()
    expect(installed.status, app.output()).toBe(200)
    expect(portal.state.app.applicationToken).not.toBe(oldToken)
    expect((await postEvent(eventBody())).status).toBe(200)
    expect((await postEvent(eventBody({ 'auth[application_token]': oldToken }))).status).toBe(403)
  })
})
