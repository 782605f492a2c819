/**
 * Install → events → stage detection → uninstall, through the emulator over HTTP, the real SDK
 * and a real database (PGlite, or PostgreSQL with DATABASE_URL).
 */
import qs from 'qs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVENTS, PLACEMENTS, USER_FIELDS } from '@/lib/bitrix24/app-manifest'
import { bitrix24For } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { b24EventJobInput, handleB24Event } from '@/lib/bitrix24/event-jobs'
import { parseEventBody, verifyEvent } from '@/lib/bitrix24/events'
import {
  installPayloadFromEvent,
  installPayloadFromFrame,
  installPortal,
  InstallError,
  uninstallPortal,
} from '@/lib/bitrix24/install'
import { getActivePortal, getPortal, getPortalTokens } from '@/lib/portals/repository'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { allTextValues, countRows } from './support/db-scan'
import { setTestEnv, startPortalFor } from './support/env'
import { startReceiver, type Receiver } from './support/receiver'

type Emulator = Awaited<ReturnType<typeof startBitrix24Emulator>>

let database: TestDatabase
let receiver: Receiver
let emulator: Emulator
const EVENTS_PATH = '/api/b24/events'

beforeAll(async () => {
  receiver = await startReceiver()
  setTestEnv({ APP_URL: receiver.url })
  database = await createTestDatabase()
  emulator = await startPortalFor(receiver.url)
})

afterAll(async () => {
  await emulator?.close()
  await receiver?.close()
  await database?.drop()
})

async function installThroughEmulator() {
  const before = receiver.bodiesAt('/b24/install').length
  await emulator.install()
  const bodies = await receiver.waitFor('/b24/install', before + 1)
  const payload = installPayloadFromEvent(bodies[before]!)
  return { payload, outcome: await installPortal(database.db, payload) }
}

function snapshotBindings() {
  const s = emulator.state
  return {
    events: s.bindings.map((b) => `${b.event} ${b.handler}`).sort(),
    placements: s.placements.map((p) => `${p.placement} ${p.handler} ${p.title}`).sort(),
    userFields: s.userFields.map((u) => `${u.ENTITY_ID} ${u.FIELD_NAME} ${u.USER_TYPE_ID}`).sort(),
  }
}

async function deliveredEvents(count: number): Promise<string[]> {
  await emulator.waitForDeliveries()
  return receiver.waitFor(EVENTS_PATH, count)
}

describe('install through ONAPPINSTALL', () => {
  let tokens: { access: string; refresh: string; app: string }

  it('stores the portal with encrypted tokens and binds the manifest', async () => {
    const { payload, outcome } = await installThroughEmulator()
    tokens = { access: payload.accessToken, refresh: payload.refreshToken, app: payload.applicationToken }
    expect(payload.memberId).toBe(emulator.memberId)
    expect(outcome.portal.state).toBe('active')
    expect(outcome.bound.events.sort()).toEqual([...EVENTS].sort())
    expect(outcome.bound.placements.sort()).toEqual(PLACEMENTS.map((p) => p.placement).sort())
    expect(outcome.bound.userFields.sort()).toEqual(USER_FIELDS.map((u) => u.fieldName).sort())

    const bound = snapshotBindings()
    expect(bound.events).toEqual(EVENTS.map((e) => `${e} ${receiver.url}${EVENTS_PATH}`).sort())
    expect(bound.placements).toEqual(
      [
        `CRM_DEAL_DETAIL_TAB ${receiver.url}/b24/placement/deal Счета и оплаты`,
        `CRM_DEAL_DETAIL_TOOLBAR ${receiver.url}/b24/placement/deal Выставить счёт`,
        `CRM_COMPANY_DETAIL_TAB ${receiver.url}/b24/placement/company Расчёты`,
      ].sort(),
    )
    for (const uf of USER_FIELDS) {
      const entity = uf.entity === 'deal' ? 'CRM_DEAL' : 'CRM_COMPANY'
      expect(bound.userFields).toContain(`${entity} ${uf.fieldName} ${uf.userTypeId}`)
    }
    const tab = emulator.state.placements.find((p) => p.placement === 'CRM_DEAL_DETAIL_TAB')!
    expect(tab.langAll).toMatchObject({ ru: { TITLE: 'Счета и оплаты' }, en: { TITLE: expect.any(String) } })

    // Tokens decrypt back, and no secret is stored in plaintext anywhere.
    const stored = await getPortalTokens(database.db, payload.memberId)
    expect(stored).toMatchObject({ accessToken: payload.accessToken, refreshToken: payload.refreshToken })
    const values = await allTextValues(database.db)
    expect(values.length).toBeGreaterThan(0)
    for (const secret of [tokens.access, tokens.refresh, tokens.app]) {
      expect(values.some((v) => v.includes(secret))).toBe(false)
    }
  })

  it('a second install changes nothing on the portal', async () => {
    const before = snapshotBindings()
    const { outcome } = await installThroughEmulator()
    expect(outcome.bound).toEqual({ events: [], placements: [], userFields: [] })
    expect(snapshotBindings()).toEqual(before)
    expect(outcome.portal.state).toBe('active')
  })

  it('the frame install flow goes through the same path', async () => {
    const pair = emulator.issueTokens(1)
    const payload = installPayloadFromFrame(
      { DOMAIN: emulator.domain, PROTOCOL: '0', LANG: 'ru', APP_SID: 'sid' },
      new URLSearchParams({
        AUTH_ID: pair.accessToken,
        AUTH_EXPIRES: '3600',
        REFRESH_ID: pair.refreshToken,
        SERVER_ENDPOINT: emulator.serverEndpoint,
        APPLICATION_TOKEN: emulator.state.app.applicationToken,
        APPLICATION_SCOPE: 'crm,placement,user_brief',
        member_id: emulator.memberId,
        status: 'F',
        PLACEMENT: 'DEFAULT',
      }).toString(),
    )
    expect(payload).toMatchObject({ clientEndpoint: emulator.clientEndpoint, memberId: emulator.memberId })
    expect(payload.expires).toBeGreaterThan(Date.now() / 1000)
    const before = snapshotBindings()
    const outcome = await installPortal(database.db, payload)
    expect(outcome.bound).toEqual({ events: [], placements: [], userFields: [] })
    expect(snapshotBindings()).toEqual(before)
    expect((await getPortalTokens(database.db, emulator.memberId))?.accessToken).toBe(pair.accessToken)
  })

  it('refuses http endpoints unless allowed, and incomplete payloads', async () => {
    const body = receiver.bodiesAt('/b24/install')[0]!
    setTestEnv({ APP_URL: receiver.url, ALLOW_INSECURE_ENDPOINTS: '' })
    try {
      await expect(installPortal(database.db, installPayloadFromEvent(body))).rejects.toMatchObject({
        reason: 'insecure-endpoint',
      })
    } finally {
      setTestEnv({ APP_URL: receiver.url })
    }
    const broken = qs.parse(body) as { auth: Record<string, unknown> }
    delete broken.auth.refresh_token
    expect(() => installPayloadFromEvent(qs.stringify(broken))).toThrow(InstallError)
  })

  it('a forged install cannot take over the portal', async () => {
    const body = receiver.bodiesAt('/b24/install')[0]!
    const forged = qs.parse(body) as { auth: Record<string, unknown> }
    forged.auth.application_token = 'forged-application-token'
    forged.auth.access_token = 'forged-access-token'
    await expect(installPortal(database.db, installPayloadFromEvent(qs.stringify(forged)))).rejects.toMatchObject({
      reason: 'token-rejected',
    })
    forged.auth.client_endpoint = 'https://evil.example.test/rest/'
    await expect(installPortal(database.db, installPayloadFromEvent(qs.stringify(forged)))).rejects.toMatchObject({
      reason: 'forbidden',
    })
    const stored = await getPortalTokens(database.db, emulator.memberId)
    expect(stored?.accessToken).not.toBe('forged-access-token')
  })
})

describe('events', () => {
  let dealId: number

  it('accepts a genuine event and rejects forged ones', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    dealId = Number(await client.call('crm.deal.add', { fields: { TITLE: 'Поставка', STAGE_ID: 'NEW' } }))
    // The add itself fires ONCRMDEALADD; start from a clean slate.
    await emulator.waitForDeliveries()
    receiver.clear()
    await emulator.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: String(dealId) } })
    const [body] = await deliveredEvents(1)

    const genuine = await verifyEvent(database.db, parseEventBody(body!))
    expect(genuine).toMatchObject({
      kind: 'ok',
      portalActive: true,
      event: { event: 'ONCRMDEALUPDATE', memberId: emulator.memberId, entityId: dealId },
    })
    expect(JSON.stringify(genuine)).not.toContain('application_token')

    const mutate = (fn: (b: Record<string, any>) => void) => {
      const parsed = qs.parse(body!, { depth: 10 }) as Record<string, any>
      fn(parsed)
      return qs.stringify(parsed)
    }
    const wrongToken = mutate((b) => (b.auth.application_token = 'not-the-token'))
    expect(await verifyEvent(database.db, parseEventBody(wrongToken))).toEqual({ kind: 'forbidden' })
    const unknownMember = mutate((b) => (b.auth.member_id = 'ffffffffffffffffffffffffffffffff'))
    expect(await verifyEvent(database.db, parseEventBody(unknownMember))).toEqual({ kind: 'unknown' })
    for (const malformed of [
      '',
      'garbage',
      mutate((b) => delete b.auth),
      mutate((b) => delete b.auth.application_token),
      mutate((b) => (b.data.FIELDS.ID = 'abc')),
      mutate((b) => (b.event = '<script>')),
    ]) {
      expect(await verifyEvent(database.db, parseEventBody(malformed))).toEqual({ kind: 'malformed' })
    }
  })

  it('normalises camelCase names and numeric ids', () => {
    const parsed = parseEventBody({
      event: 'onCrmRequisiteAdd',
      data: { FIELDS: { ID: 27 } },
      ts: '1736405807',
      auth: { member_id: 'm', application_token: 't' },
    })
    expect(parsed).toMatchObject({ ok: true, event: { event: 'ONCRMREQUISITEADD', entityId: 27, ts: 1736405807 } })
  })

  it('detects a stage change once, even when the event is delivered twice', async () => {
    const client = await bitrix24For(database.db, emulator.memberId)
    // First sighting of the deal (it was created above).
    const first = await handleB24Event(database.db, { memberId: emulator.memberId, event: 'ONCRMDEALADD', entityId: dealId, ts: 1 })
    expect(first).toMatchObject({ kind: 'stage', change: { changed: true, to: 'NEW', categoryId: 0 } })

    await client.call('crm.deal.update', { id: dealId, fields: { STAGE_ID: 'PREPARATION' } })
    await emulator.waitForDeliveries()
    receiver.clear()
    await emulator.emitEvent('ONCRMDEALUPDATE', { FIELDS: { ID: String(dealId) } }, { duplicate: true })
    const bodies = await deliveredEvents(2)
    expect(bodies).toHaveLength(2)
    const outcomes = []
    for (const body of bodies.slice(0, 2)) {
      const verified = await verifyEvent(database.db, parseEventBody(body))
      if (verified.kind !== 'ok') throw new Error(`unexpected ${verified.kind}`)
      outcomes.push(await handleB24Event(database.db, b24EventJobInput(verified.event).payload))
    }
    expect(outcomes[0]).toMatchObject({ kind: 'stage', change: { changed: true, from: 'NEW', to: 'PREPARATION' } })
    expect(outcomes[1]).toMatchObject({ kind: 'stage', change: { changed: false, from: 'PREPARATION', to: 'PREPARATION' } })
    expect(await countRows(database.db, 'sync_journal', emulator.memberId)).toBe(1)

    const company = await handleB24Event(database.db, { memberId: emulator.memberId, event: 'ONCRMCOMPANYUPDATE', entityId: 1, ts: 2 })
    expect(company).toEqual({ kind: 'accepted' })
  })
})

describe('uninstall', () => {
  it('verifies the application token, drops credentials and stops work', async () => {
    receiver.clear()
    await emulator.uninstall({ clean: true })
    await emulator.waitForDeliveries()
    const [body] = await receiver.waitFor(EVENTS_PATH, 1)
    const parsed = parseEventBody(body!)
    expect(parsed).toMatchObject({ ok: true, event: { event: 'ONAPPUNINSTALL' } })
    if (!parsed.ok) return

    expect(await uninstallPortal(database.db, parsed.event.memberId, 'forged-token')).toBe('forbidden')
    expect(await uninstallPortal(database.db, 'no-such-member', parsed.event.applicationToken)).toBe('unknown')
    expect(await getActivePortal(database.db, emulator.memberId)).toBeDefined()

    const verified = await verifyEvent(database.db, parsed)
    expect(verified.kind).toBe('ok')
    expect(await uninstallPortal(database.db, parsed.event.memberId, parsed.event.applicationToken)).toBe('ok')

    expect((await getPortal(database.db, emulator.memberId))?.state).toBe('uninstalled')
    expect(await getActivePortal(database.db, emulator.memberId)).toBeUndefined()
    expect(await getPortalTokens(database.db, emulator.memberId)).toBeUndefined()
    expect(await countRows(database.db, 'portal_tokens', emulator.memberId)).toBe(0)
    await expect(bitrix24For(database.db, emulator.memberId)).rejects.toBeInstanceOf(Bitrix24Error)
    // A job queued before the uninstall does nothing now.
    expect(
      await handleB24Event(database.db, { memberId: emulator.memberId, event: 'ONCRMDEALUPDATE', entityId: 1, ts: 3 }),
    ).toEqual({ kind: 'skipped-inactive' })
  })
})
