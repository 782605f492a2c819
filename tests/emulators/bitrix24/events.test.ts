/** Event delivery (spec §2.2, §2.4), install flows, uninstall, rate limits. */
import { afterEach, describe, expect, it } from 'vitest'
import { startBitrix24Emulator, type Bitrix24Emulator } from './index'
import { call, Receiver, startInstalled, type Installed } from './test-helpers'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function installed(extra = {}): Promise<Installed> {
  const t = await startInstalled(extra)
  cleanups.push(() => t.receiver.close(), () => t.emu.close())
  return t
}

describe('event delivery', () => {
  it('ONAPPINSTALL is a form-encoded PHP-bracket POST to the install URL', async () => {
    const t = await installed()
    const [req] = t.receiver.on('/b24/install')
    expect(req!.contentType).toBe('application/x-www-form-urlencoded')
    expect(req!.raw).toContain('auth%5Baccess_token%5D=')
    expect(req!.form).toMatchObject({ event: 'ONAPPINSTALL', data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' } })
    expect(req!.form.ts).toMatch(/^\d+$/)
  })

  it('REST changes fire ONCRM* events with the acting user’s tokens, exactly as §2.2', async () => {
    const t = await installed()
    const handler = `${t.receiver.url}/b24/events`
    await call(t.emu, 'event.bind', { event: 'ONCRMDEALUPDATE', handler }, t.token)
    await call(t.emu, 'event.bind', { event: 'onCrmDealAdd', handler }, t.token)
    expect((await call(t.emu, 'event.get', {}, t.token)).body.result).toEqual([
      { event: 'ONCRMDEALUPDATE', handler, auth_type: '0', offline: 0 },
      { event: 'ONCRMDEALADD', handler, auth_type: '0', offline: 0 },
    ])
    const manager = t.emu.issueTokens(2)
    await call(t.emu, 'crm.deal.update', { id: 1, fields: { STAGE_ID: 'EXECUTING' } }, manager.accessToken)
    await t.emu.waitForDeliveries()
    const [ev] = t.receiver.on('/b24/events')
    expect(ev!.contentType).toBe('application/x-www-form-urlencoded')
    expect(ev!.raw).toMatch(/^event=ONCRMDEALUPDATE&event_handler_id=\d+&data%5BFIELDS%5D%5BID%5D=1&ts=\d+&auth%5Baccess_token%5D=/)
    const auth = ev!.form.auth as Record<string, string>
    expect(Object.keys(auth)).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'domain',
      'server_endpoint',
      'status',
      'client_endpoint',
      'member_id',
      'refresh_token',
      'application_token',
    ])
    expect(auth.application_token).toBe(t.auth.application_token)
    expect((await call(t.emu, 'user.current', {}, auth.access_token)).body.result.ID).toBe('2')
  })

  it('UI edits, robots (no tokens) and duplicates', async () => {
    const t = await installed()
    const handler = `${t.receiver.url}/b24/events`
    await call(t.emu, 'event.bind', { event: 'ONCRMDEALUPDATE', handler }, t.token)
    t.emu.uiUpdate('deal', 2, { STAGE_ID: 'WON' }, 2)
    await t.emu.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: 3 } }, { withoutTokens: true })
    await t.emu.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: 4 } }, { duplicate: true })
    await t.emu.waitForDeliveries()
    const got = t.receiver.on('/b24/events').map((r) => r.form)
    expect(got.map((f: any) => f.data.FIELDS.ID)).toEqual(['2', '3', '4', '4'])
    expect(Object.keys((got[1] as any).auth).sort()).toEqual(['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint'])
    expect(t.emu.state.deals.get(2)!.STAGE_ID).toBe('WON')
  })

  it('duplicate event.bind → "Handler already binded"; unknown event → ERROR_EVENT_NOT_FOUND', async () => {
    const t = await installed()
    const p = { event: 'ONCRMCOMPANYUPDATE', handler: `${t.receiver.url}/e` }
    expect((await call(t.emu, 'event.bind', p, t.token)).body.result).toBe(true)
    const dup = await call(t.emu, 'event.bind', p, t.token)
    expect(dup.status).toBe(400)
    expect(dup.body.error_description).toContain('Handler already binded')
    expect((await call(t.emu, 'event.bind', { event: 'ONNOTHING', handler: p.handler }, t.token)).body.error).toBe('ERROR_EVENT_NOT_FOUND')
    expect((await call(t.emu, 'event.unbind', p, t.token)).body.result).toEqual({ count: 1 })
  })

  it('deliveries are never retried: a failing handler loses the event', async () => {
    const t = await installed()
    await call(t.emu, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: 'http://127.0.0.1:1/closed' }, t.token)
    await t.emu.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: 1 } })
    await t.emu.waitForDeliveries()
    const deliveries = t.emu.state.deliveries.filter((d) => d.event === 'ONCRMDEALUPDATE')
    expect(deliveries).toHaveLength(1)
    expect(deliveries[0]!.error).toBeTruthy()
  })

  it('uninstall sends ONAPPUNINSTALL without tokens and removes handlers and placements', async () => {
    const t = await installed()
    await call(t.emu, 'event.bind', { event: 'ONAPPUNINSTALL', handler: `${t.receiver.url}/b24/uninstall` }, t.token)
    await call(t.emu, 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${t.receiver.url}/tab` }, t.token)
    await t.emu.uninstall({ clean: true })
    const [req] = t.receiver.on('/b24/uninstall')
    expect(req!.form).toMatchObject({ event: 'ONAPPUNINSTALL', data: { LANGUAGE_ID: 'ru', CLEAN: '1' } })
    expect(Object.keys(req!.form.auth as object).sort()).toEqual(['application_token', 'client_endpoint', 'domain', 'member_id', 'server_endpoint'])
    expect(t.emu.state.bindings).toEqual([])
    expect(t.emu.state.placements).toEqual([])
    expect(t.emu.state.app.installed).toBe(false)
  })
})

describe("'frame' install mode", () => {
  let emu: Bitrix24Emulator
  it('opens the install page with PLACEMENT=DEFAULT and delivers nothing until installFinish', async () => {
    const receiver = await new Receiver().start()
    emu = await startBitrix24Emulator({
      app: { clientId: 'c', clientSecret: 's', installUrl: `${receiver.url}/install`, appUrl: `${receiver.url}/app`, installMode: 'frame' },
      eventDelayMs: 1,
    })
    cleanups.push(() => receiver.close(), () => emu.close())
    const opened = await emu.install()
    expect(opened.status).toBe(200)
    const [page] = receiver.requests.filter((r) => r.path.startsWith('/install?'))
    const query = new URL(page!.path, receiver.url).searchParams
    expect(query.get('DOMAIN')).toBe(emu.domain)
    expect(query.get('PROTOCOL')).toBe('0')
    expect(query.get('LANG')).toBe('ru')
    expect(query.get('APP_SID')).toMatch(/^[0-9a-f]{32}$/)
    expect(page!.form).toMatchObject({ PLACEMENT: 'DEFAULT', member_id: emu.memberId, AUTH_EXPIRES: '3600', SERVER_ENDPOINT: emu.serverEndpoint })
    const token = String(page!.form.AUTH_ID)
    // The install page can bind handlers, but nothing is delivered yet.
    expect((await call(emu, 'app.info', {}, token)).body.result.INSTALLED).toBe(false)
    await call(emu, 'event.bind', { event: 'ONCRMDEALUPDATE', handler: `${receiver.url}/events` }, token)
    await call(emu, 'crm.deal.update', { id: 1, fields: { TITLE: 'до установки' } }, token)
    await emu.waitForDeliveries()
    expect(receiver.requests.filter((r) => r.path === '/events')).toHaveLength(0)
    emu.finishInstall()
    expect((await call(emu, 'app.info', {}, token)).body.result.INSTALLED).toBe(true)
    await call(emu, 'crm.deal.update', { id: 1, fields: { TITLE: 'после установки' } }, token)
    await emu.waitForDeliveries()
    expect(receiver.requests.filter((r) => r.path === '/events')).toHaveLength(1)
  })
})

describe('limits', () => {
  it('leaky bucket: requests beyond the burst get 503 QUERY_LIMIT_EXCEEDED (batch counts once)', async () => {
    const t = await installed({ rateLimit: { enabled: true, drainRate: 0.001, burst: 5 } })
    t.emu.rateLimit.reset()
    const batch = await call(t.emu, 'batch', { cmd: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, 'profile'])) }, t.token)
    expect(batch.status).toBe(200)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await call(t.emu, 'profile', {}, t.token)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 503])
    expect((await call(t.emu, 'profile', {}, t.token)).body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
  })

  it('operating-time switch answers 429 OPERATION_TIME_LIMIT for that method only', async () => {
    const t = await installed({ rateLimit: { enabled: false } })
    await fetch(`${t.emu.url}/__emulator/operation-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'crm.deal.list' }) })
    expect((await call(t.emu, 'crm.deal.list', {}, t.token)).status).toBe(429)
    expect((await call(t.emu, 'crm.deal.get', { id: 1 }, t.token)).status).toBe(200)
  })
})
