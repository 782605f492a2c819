/**
 * Who may read what through the app's JSON API: a session belongs to one portal and, when opened
 * from a CRM card, to that card; the portal-wide journal is for the settings page's admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { resetConfigForTests } from '@/lib/config'
import { writeJournal } from '@/lib/jobs'
import { upsertInstalledPortal, markInstalled } from '@/lib/portals/repository'
import { resetSecretForTests } from '@/lib/security/secret'
import { issueSession } from '@/lib/security/session'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { serveRoutes } from '../support/route-server'

let database: TestDatabase
let app: { url: string; close(): Promise<void> }
const PORTAL_A = 'a'.repeat(32)
const PORTAL_B = 'b'.repeat(32)

async function installFake(memberId: string) {
  await upsertInstalledPortal(database.db, {
    memberId,
    domain: `${memberId.slice(0, 4)}.bitrix24.ru`,
    clientEndpoint: `https://${memberId.slice(0, 4)}.bitrix24.ru/rest/`,
    serverEndpoint: 'https://oauth.bitrix24.tech/rest/',
    applicationToken: `token-${memberId}`,
    accessToken: 'access',
    refreshToken: 'refresh',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    scope: 'crm',
    status: 'F',
  })
  await markInstalled(database.db, memberId)
}

const journal = (session: string, query = '') =>
  fetch(`${app.url}/api/portal/journal${query}`, { headers: { authorization: `Bearer ${session}` } })

beforeAll(async () => {
  Object.assign(process.env, { APP_SECRET: 'access-test-secret-0123456789abcdef', RUN_WORKERS_IN_APP: 'no' })
  resetConfigForTests()
  resetSecretForTests()
  database = await createTestDatabase()
  setDatabase(database)
  app = await serveRoutes({ '/api/portal/journal': await import('@/app/api/portal/journal/route') })
  await installFake(PORTAL_A)
  await installFake(PORTAL_B)
  await writeJournal(database.db, { memberId: PORTAL_A, level: 'info', topic: 't', message: 'Сделка №1 портала A', entityType: 'deal', entityId: 1 })
  await writeJournal(database.db, { memberId: PORTAL_A, level: 'info', topic: 't', message: 'Сделка №2 портала A', entityType: 'deal', entityId: 2 })
  await writeJournal(database.db, { memberId: PORTAL_B, level: 'info', topic: 't', message: 'Сделка №1 портала B', entityType: 'deal', entityId: 1 })
})

afterAll(async () => {
  const { getRuntime } = await import('@/lib/runtime')
  await (await getRuntime()).jobs.stop()
  await app?.close()
  setDatabase(undefined)
  await database?.drop()
})

describe('portal API access', () => {
  it('a deal tab reads its own deal of its own portal only', async () => {
    const dealTab = issueSession({ memberId: PORTAL_A, userId: 2, isAdmin: false, entityType: 'deal', entityId: 1 })
    const own = await journal(dealTab, '?entityType=deal&entityId=1')
    expect(own.status).toBe(200)
    const entries = ((await own.json()) as { entries: { message: string }[] }).entries.map((e) => e.message)
    expect(entries).toEqual(['Сделка №1 портала A'])
    expect((await journal(dealTab, '?entityType=deal&entityId=2')).status).toBe(403)
    expect((await journal(dealTab)).status).toBe(403)
  })

  it('the admin settings page reads the whole journal of its portal, never another portal', async () => {
    const settings = issueSession({ memberId: PORTAL_A, userId: 1, isAdmin: true })
    const response = await journal(settings)
    expect(response.status).toBe(200)
    const messages = ((await response.json()) as { entries: { message: string }[] }).entries.map((e) => e.message)
    expect(messages.sort()).toEqual(['Сделка №1 портала A', 'Сделка №2 портала A'])
  })

  it('no session, a forged one, or an unknown portal gets nothing', async () => {
    expect((await fetch(`${app.url}/api/portal/journal`)).status).toBe(401)
    expect((await journal('v1.e30.forged')).status).toBe(401)
    const stranger = issueSession({ memberId: 'c'.repeat(32), userId: 1, isAdmin: true })
    expect((await journal(stranger)).status).toBe(401)
  })
})
