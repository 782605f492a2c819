/** The REAL @bitrix24/b24jssdk B24OAuth (server side), unchanged, against the emulator. */
import { AjaxError, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startInstalled, type Installed } from './test-helpers'

let t: Installed
let b24: B24OAuth
const refreshed: string[] = []

beforeAll(async () => {
  t = await startInstalled()
  for (let i = 0; i < 70; i++) t.emu.uiCreate('deal', { TITLE: `SDK ${i}` })
  const a = t.auth
  b24 = new B24OAuth(
    {
      applicationToken: a.application_token!,
      userId: Number(a.user_id),
      memberId: a.member_id!,
      accessToken: a.access_token!,
      refreshToken: a.refresh_token!,
      expires: Number(a.expires),
      expiresIn: Number(a.expires_in),
      scope: a.scope!,
      domain: a.domain!,
      clientEndpoint: a.client_endpoint!,
      serverEndpoint: a.server_endpoint!,
      status: EnumAppStatus.Free,
    },
    { clientId: 'local.test.app', clientSecret: 'test-secret' },
  )
  b24.setCallbackRefreshAuth(async ({ b24OAuthParams }) => {
    refreshed.push(b24OAuthParams.refreshToken)
  })
})
afterAll(async () => {
  await t.emu.close()
  await t.receiver.close()
})

describe('B24OAuth against the emulator', () => {
  it('call.make returns the legacy result', async () => {
    const r = await b24.actions.v2.call.make<{ ID: string; TITLE: string }>({ method: 'crm.deal.get', params: { id: 1 } })
    expect(r.isSuccess).toBe(true)
    expect(r.getData()!.result.TITLE).toBe('Поставка ноутбуков для Яндекса')
    await b24.initIsAdmin()
    expect(b24.auth.isAdmin).toBe(true)
  })

  it('callList.make walks every page (legacy and crm.item)', async () => {
    const deals = await b24.actions.v2.callList.make<{ ID: string }>({ method: 'crm.deal.list', params: { select: ['ID', 'TITLE'] } })
    expect(deals.isSuccess).toBe(true)
    expect(deals.getData()!.length).toBe(75)
    const items = await b24.actions.v2.callList.make<{ id: number }>({
      method: 'crm.item.list',
      params: { entityTypeId: 2, select: ['id', 'title'] },
      idKey: 'id',
      customKeyForResult: 'items',
    })
    expect(items.getData()!.map((i) => i.id)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1))
  })

  it('batch.make with named calls, incl. a command that fails', async () => {
    const b = await b24.actions.v2.batch.make({
      calls: { deal: ['crm.deal.get', { id: 1 }], rows: ['crm.deal.productrows.get', { id: 1 }], item: ['crm.item.get', { entityTypeId: 2, id: 9999 }] },
      options: { isHaltOnError: false, returnAjaxResult: false },
    })
    const data = b.getData() as Record<string, any>
    expect(data.deal.ID).toBe('1')
    expect(data.rows).toHaveLength(2)
    expect(b.getErrorMessages().join(' ')).toContain('Элемент не найден')
  })

  it('errors map as the spec observed: legacy 400 → ERR_BAD_REQUEST, crm.item → NOT_FOUND', async () => {
    const legacy = await b24.actions.v2.call.make({ method: 'crm.deal.get', params: { id: 9999 } }).catch((e: unknown) => e)
    expect(legacy).toBeInstanceOf(AjaxError)
    expect((legacy as AjaxError).code).toBe('ERR_BAD_REQUEST')
    const item = await b24.actions.v2.call.make({ method: 'crm.item.get', params: { entityTypeId: 2, id: 9999 } }).catch((e: unknown) => e)
    expect((item as AjaxError).code).toBe('NOT_FOUND')
  })

  it('refreshes automatically after the portal expires the access token, then retries', async () => {
    const before = t.emu.state.refreshCount
    t.emu.expireAccessTokens()
    const r = await b24.actions.v2.call.make<{ ID: string }>({ method: 'crm.deal.get', params: { id: 2 } })
    expect(r.getData()!.result.ID).toBe('2')
    expect(t.emu.state.refreshCount).toBe(before + 1)
    expect(refreshed).toHaveLength(1)
    expect(refreshed[0]).not.toBe(t.auth.refresh_token)
    const again = await b24.actions.v2.batch.make({ calls: [['profile', {}], ['user.current', {}]], options: { isHaltOnError: true } })
    expect(again.isSuccess).toBe(true)
    expect(t.emu.state.refreshCount).toBe(before + 1)
  })
})
