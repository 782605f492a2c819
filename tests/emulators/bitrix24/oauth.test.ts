/** OAuth server conformance (spec §1.6): refresh with rotation, errors, expires, expired_token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, postForm, startInstalled, type Installed } from './test-helpers'

let t: Installed
let tokenUrl: string

beforeAll(async () => {
  t = await startInstalled({ rateLimit: { enabled: false } })
  tokenUrl = `${t.emu.serverEndpoint.replace('rest/', '')}oauth/token/`
})
afterAll(async () => {
  await t.emu.close()
  await t.receiver.close()
})

const form = (refresh: string, secret = 'test-secret') =>
  new URLSearchParams({ grant_type: 'refresh_token', client_id: 'local.test.app', client_secret: secret, refresh_token: refresh }).toString()

describe('OAuth server', () => {
  it('install payload carries tokens, expires, user_id, application_token and both endpoints', () => {
    expect(t.auth).toMatchObject({
      domain: t.emu.domain,
      member_id: t.emu.memberId,
      client_endpoint: t.emu.clientEndpoint,
      server_endpoint: t.emu.serverEndpoint,
      user_id: '1',
      expires_in: '3600',
    })
    expect(t.auth.member_id).toMatch(/^[0-9a-f]{32}$/)
    expect(Number(t.auth.expires)).toBeGreaterThan(Date.now() / 1000)
    expect(t.auth.application_token).toMatch(/^[0-9a-f]{32}$/)
  })

  it('POST form refresh rotates the refresh token; the old one becomes invalid_grant', async () => {
    const first = await postForm(tokenUrl, form(t.auth.refresh_token!))
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      expires_in: 3600,
      client_endpoint: t.emu.clientEndpoint,
      server_endpoint: t.emu.serverEndpoint,
      member_id: t.emu.memberId,
      user_id: 1,
      status: 'F',
      domain: new URL(t.emu.serverEndpoint).host,
    })
    expect(first.body.expires).toBeGreaterThan(Date.now() / 1000)
    expect(first.body.refresh_token).not.toBe(t.auth.refresh_token)
    const reuse = await postForm(tokenUrl, form(t.auth.refresh_token!))
    expect(reuse).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } })
    // GET with query works as documented, and rotates again.
    const q = new URLSearchParams({ grant_type: 'refresh_token', client_id: 'local.test.app', client_secret: 'test-secret', refresh_token: first.body.refresh_token })
    const viaGet = await fetch(`${tokenUrl}?${q}`)
    expect(viaGet.status).toBe(200)
    const got = (await viaGet.json()) as any
    expect((await call(t.emu, 'user.current', {}, got.access_token)).body.result.ID).toBe('1')
    // old access token stays valid until its own expiry
    expect((await call(t.emu, 'profile', {}, first.body.access_token)).status).toBe(200)
  })

  it('wrong client credentials → invalid_client', async () => {
    const bad = await postForm(tokenUrl, form('whatever', 'wrong'))
    expect(bad.status).toBe(401)
    expect(bad.body.error).toBe('invalid_client')
  })

  it('expired access tokens answer 401 expired_token; refresh still works', async () => {
    const pair = t.emu.issueTokens(1)
    t.emu.expireAccessTokens()
    const expired = await call(t.emu, 'profile', {}, pair.accessToken)
    expect(expired).toEqual({ status: 401, body: { error: 'expired_token', error_description: 'The access token provided has expired.' } })
    const refreshed = await postForm(tokenUrl, form(pair.refreshToken))
    expect((await call(t.emu, 'profile', {}, refreshed.body.access_token)).status).toBe(200)
    expect(t.emu.state.refreshCount).toBeGreaterThanOrEqual(3)
  })

  it('refreshes are visible in the request log', async () => {
    const log = (await (await fetch(`${t.emu.url}/__emulator/requests`)).json()) as { requests: { path: string }[] }
    expect(log.requests.filter((r) => r.path.endsWith('/oauth/token/')).length).toBeGreaterThanOrEqual(4)
  })

  it('after uninstall tokens are revoked and refresh is refused', async () => {
    const pair = t.emu.issueTokens(1)
    await t.emu.uninstall()
    expect((await call(t.emu, 'profile', {}, pair.accessToken)).body.error).toBe('invalid_token')
    expect((await postForm(tokenUrl, form(pair.refreshToken))).body.error).toBe('invalid_client')
  })
})
