/**
 * Connecting MoeDelo by the OAuth 2.0 authorization-code flow through the app's own routes: the
 * admin starts it, MoeDelo's authorization server sends them back with a code, the app exchanges
 * it, checks the connection live and keeps the tokens encrypted; a forged state is refused.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { resetConfigForTests } from '@/lib/config'
import { connectionStatus, moedeloClientFor } from '@/lib/connections/moedelo'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { resetSecretForTests } from '@/lib/security/secret'
import { issueSession } from '@/lib/security/session'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { serveRoutes } from '../support/route-server'

const KEY = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'
let database: TestDatabase
let portal: Bitrix24Emulator
let moedelo: MoeDeloEmulator
let receiver: Receiver
let app: { url: string; close(): Promise<void> }

beforeAll(async () => {
  database = await createTestDatabase()
  setDatabase(database)
  receiver = await startReceiver()
  moedelo = await startMoeDeloEmulator({ apiKeys: { [KEY]: 'ООО «Тест»' }, oauth: { enabled: true, clientId: 'b24-link', clientSecret: 'oauth-secret' } })
  app = await serveRoutes({
    '/api/portal/moedelo/oauth/start': await import('@/app/api/portal/moedelo/oauth/start/route'),
    '/api/moedelo/oauth/callback': await import('@/app/api/moedelo/oauth/callback/route'),
  })
  Object.assign(process.env, {
    APP_URL: app.url,
    APP_SECRET: 'oauth-connect-secret-0123456789abcdef',
    B24_CLIENT_ID: 'local.oauth.1',
    B24_CLIENT_SECRET: 'oauth-b24-secret',
    ALLOW_INSECURE_ENDPOINTS: '1',
    RUN_WORKERS_IN_APP: 'no',
    MOEDELO_API_URL: moedelo.url,
    MOEDELO_OAUTH_AUTHORIZE_URL: `${moedelo.url}/oauth/authorize`,
    MOEDELO_OAUTH_TOKEN_URL: `${moedelo.url}/oauth/token`,
    MOEDELO_OAUTH_CLIENT_ID: 'b24-link',
    MOEDELO_OAUTH_CLIENT_SECRET: 'oauth-secret',
  })
  resetConfigForTests()
  resetSecretForTests()
  portal = await startBitrix24Emulator({
    app: { clientId: 'local.oauth.1', clientSecret: 'oauth-b24-secret', installUrl: `${receiver.url}/b24/install`, appUrl: `${receiver.url}/b24/app` },
  })
  await portal.install()
  const [installBody] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(installBody!))
})

afterAll(async () => {
  const { getRuntime } = await import('@/lib/runtime')
  await (await getRuntime()).jobs.stop()
  await Promise.all([portal?.close(), moedelo?.close(), receiver?.close(), app?.close()])
  setDatabase(undefined)
  await database?.drop()
})

describe('MoeDelo OAuth 2.0 connection', () => {
  it('only an admin can start it', async () => {
    const manager = issueSession({ memberId: portal.memberId, userId: 2, isAdmin: false })
    const response = await fetch(`${app.url}/api/portal/moedelo/oauth/start`, { method: 'POST', headers: { authorization: `Bearer ${manager}` } })
    expect(response.status).toBe(403)
  })

  it('start → authorize → callback stores encrypted tokens that work', async () => {
    const admin = issueSession({ memberId: portal.memberId, userId: 1, isAdmin: true })
    const started = await fetch(`${app.url}/api/portal/moedelo/oauth/start`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })
    expect(started.status).toBe(200)
    const authorizeUrl = new URL(((await started.json()) as { authorizeUrl: string }).authorizeUrl)
    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${moedelo.url}/oauth/authorize`)
    const redirectUri = authorizeUrl.searchParams.get('redirect_uri')!
    const state = authorizeUrl.searchParams.get('state')!

    // The administrator clicks «Разрешить» in MoeDelo; the emulator's control route issues the same code.
    const codeResponse = await fetch(`${moedelo.url}/__emulator/oauth/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: KEY, redirectUri, clientId: 'b24-link' }),
    })
    const { code } = (await codeResponse.json()) as { code: string }
    const callback = await fetch(`${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`)
    expect(callback.status).toBe(200)
    expect(await callback.text()).toContain('«Моё дело» подключено')

    expect(await connectionStatus(database.db, portal.memberId)).toMatchObject({ connected: true, strategy: 'oauth2' })
    const stored = (await database.db.execute(sql`select credentials_enc from moedelo_connections`)) as unknown
    const rows = Array.isArray(stored) ? stored : (stored as { rows: { credentials_enc: string }[] }).rows
    expect((rows[0] as { credentials_enc: string }).credentials_enc).toMatch(/^v1:/)
    const client = await moedeloClientFor(database.db, portal.memberId)
    await expect(client!.checkConnection()).resolves.toBeDefined()
  })

  it('a callback with a forged state is refused', async () => {
    const response = await fetch(`${app.url}/api/moedelo/oauth/callback?code=abc&state=v1.forged.state`)
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Начните подключение заново')
  })
})
