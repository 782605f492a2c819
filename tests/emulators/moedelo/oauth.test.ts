import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B } from './test-helpers'

const CLIENT = { clientId: 'b24-app', clientSecret: 's3cret' }
const REDIRECT = 'https://app.example.test/moedelo/oauth/callback'
let emu: MoeDeloEmulator

beforeAll(async () => {
  emu = await startMoeDeloEmulator({
    apiKeys: { [KEY_A]: 'ООО "Альфа"', [KEY_B]: 'ООО "Бета"' },
    oauth: { enabled: true, ...CLIENT, accessTokenTtlSeconds: 600 },
  })
})
afterAll(() => emu.close())

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

async function token(fields: Record<string, string>) {
  return call(emu.url, 'POST', '/oauth/token', { form: form({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, ...fields }) })
}

describe('OAuth 2.0 switch (assumption, spec §1.2)', () => {
  it('renders a consent page with «Разрешить» and redirects back with code and state', async () => {
    const query = form({ response_type: 'code', client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: 'st-1', firm: KEY_B })
    const page = await fetch(`${emu.url}/oauth/authorize?${query}`)
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Разрешить')
    expect(html).toContain('ООО &#34;Бета&#34;')

    const approve = await call(emu.url, 'POST', '/oauth/authorize', {
      form: form({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: 'st-1', response_type: 'code', firm: KEY_B, decision: 'allow' }),
    })
    expect(approve.status).toBe(302)
    const location = new URL(approve.headers.get('location')!)
    expect(location.origin + location.pathname).toBe(REDIRECT)
    expect(location.searchParams.get('state')).toBe('st-1')
    const code = location.searchParams.get('code')!

    const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })
    expect(tokens.status).toBe(200)
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, access_token: expect.any(String), refresh_token: expect.any(String) })
    const list = await call(emu.url, 'GET', K, { headers: { authorization: `Bearer ${tokens.body.access_token}` } })
    expect(list.status).toBe(200)
    await call(emu.url, 'POST', `${K}`, { headers: { authorization: `Bearer ${tokens.body.access_token}` }, body: { Name: 'Через OAuth' } })
    expect([...emu.firm(KEY_B).kontragents.values()].map((k) => k.Name)).toContain('Через OAuth')

    const reused = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT })
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
  })

  it('redirects with error=access_denied when the user declines', async () => {
    const res = await call(emu.url, 'POST', '/oauth/authorize', {
      form: form({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, state: 'st-2', firm: KEY_A, decision: 'deny' }),
    })
    const location = new URL(res.headers.get('location')!)
    expect(location.searchParams.get('error')).toBe('access_denied')
    expect(location.searchParams.get('state')).toBe('st-2')
  })

  it('issues codes over a control route, rotates refresh tokens and rejects the old one', async () => {
    const { body } = await call(emu.url, 'POST', '/__emulator/oauth/code', { body: { apiKey: KEY_A, redirectUri: REDIRECT } })
    const first = await token({ grant_type: 'authorization_code', code: body.code, redirect_uri: REDIRECT })
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })
    expect(second.status).toBe(200)
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token)
    expect(second.body.access_token).not.toBe(first.body.access_token)
    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    const third = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token })
    expect(third.status).toBe(200)
  })

  it('expires access tokens on the virtual clock (401) and checks the client and redirect_uri', async () => {
    const { body } = await call(emu.url, 'POST', '/__emulator/oauth/code', { body: { apiKey: KEY_A, redirectUri: REDIRECT } })
    const wrongRedirect = await token({ grant_type: 'authorization_code', code: body.code, redirect_uri: 'https://evil.test/cb' })
    expect(wrongRedirect.body.error).toBe('invalid_grant')

    const { body: again } = await call(emu.url, 'POST', '/__emulator/oauth/code', { body: { apiKey: KEY_A, redirectUri: REDIRECT } })
    const badClient = await call(emu.url, 'POST', '/oauth/token', {
      form: form({ grant_type: 'authorization_code', code: again.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: 'wrong' }),
    })
    expect(badClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } })

    const { body: third } = await call(emu.url, 'POST', '/__emulator/oauth/code', { body: { apiKey: KEY_A, redirectUri: REDIRECT } })
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')
    const tokens = await call(emu.url, 'POST', '/oauth/token', {
      headers: { authorization: `Basic ${basic}` },
      form: form({ grant_type: 'authorization_code', code: third.code, redirect_uri: REDIRECT }),
    })
    expect(tokens.status).toBe(200)
    const bearer = { authorization: `Bearer ${tokens.body.access_token}` }
    expect((await call(emu.url, 'GET', K, { headers: bearer })).status).toBe(200)
    await call(emu.url, 'POST', '/__emulator/clock', { body: { advanceMs: 601_000 } })
    expect((await call(emu.url, 'GET', K, { headers: bearer })).status).toBe(401)
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
    expect((await token({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type')
  })
})
