/**
 * Conformance of the Kontur.Focus emulator with spec egrul.md §3 and checklist §6: `key` query
 * parameter, comma-separated ids, top-level arrays, nested branches, plain-text 400/403.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FOCUS_DEMO_KEY, SEED, startKonturFocusEmulator, type KonturFocusEmulator } from './index'
import { call } from './test-helpers'

let emu: KonturFocusEmulator
const get = (method: 'req' | 'egrDetails', query: string) => call(`${emu.url}/api3/${method}?${query}`)
const withKey = (query: string) => `key=${FOCUS_DEMO_KEY}&${query}`

beforeAll(async () => {
  emu = await startKonturFocusEmulator()
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await call(`${emu.url}/__emulator/reset`, { method: 'POST' })
  await call(`${emu.url}/__emulator/requests`, { method: 'DELETE' })
})

describe('/api3/req — shapes (spec §3.2, §3.4)', () => {
  it('returns a top-level array; one UL item with nested branches for СКБ Контур (the documentation sample)', async () => {
    const res = await get('req', withKey(`inn=${SEED.kontur.inn}`))
    expect(res.status).toBe(200)
    expect(Array.isArray(res.body)).toBe(true)
    expect(res.body).toHaveLength(1)
    const item = res.body[0]
    expect(Object.keys(item)).toEqual(['inn', 'ogrn', 'focusHref', 'UL', 'briefReport', 'contactPhones'])
    expect(item.focusHref).toBe('https://focus.kontur.ru/entity?query=1026605606620')
    expect(item.UL.kpp).toBe('667101001')
    expect(item.UL.branches.map((b: any) => b.kpp)).toEqual(['590443001', '771543001'])
    expect(item.UL.status).toEqual({ statusString: 'Действующее' })
    expect(item.UL.registrationDate).toBe('1992-03-26')
    expect(item.UL.heads[0]).toMatchObject({ fio: 'Филатов Евгений Юрьевич', position: 'Генеральный Директор' })
    expect(item.UL.history.kpps.map((k: any) => k.kpp)).toEqual(['668601001', '667301001'])
    expect(item.UL).not.toHaveProperty('activities')
  })

  it('ИП: `IP` instead of `UL`, no KPP/address/OKVED, ceased status as booleans + date', async () => {
    const { body } = await get('req', withKey(`inn=${SEED.closedSoleTrader.inn}`))
    expect(body).toHaveLength(1)
    expect(body[0]).not.toHaveProperty('UL')
    expect(body[0].IP).toMatchObject({ fio: 'Иванов Иван Иванович', okopf: '50102', dissolutionDate: '2018-01-10' })
    expect(body[0].IP.status).toMatchObject({ dissolved: true, date: '2018-01-10' })
    for (const absent of ['kpp', 'legalAddress', 'activities']) expect(body[0].IP).not.toHaveProperty(absent)
  })

  it('liquidated, liquidating, bankrupt and reorganising entities carry the matching status booleans', async () => {
    const { body } = await get('req', withKey(`inn=${[SEED.avaps.inn, SEED.liquidating.inn, SEED.bankrupt.inn, SEED.reorganizing.inn].join(',')}`))
    expect(body.map((i: any) => i.UL.status)).toEqual([
      { statusString: 'Ликвидация', dissolved: true, date: '2012-09-17' },
      expect.objectContaining({ dissolving: true }),
      expect.objectContaining({ bankrupting: true }),
      expect.objectContaining({ reorganizing: true }),
    ])
    expect(body[0].UL.dissolutionDate).toBe('2012-09-17')
  })

  it('several ИП registrations of one person come back as separate items', async () => {
    const { body } = await get('req', withKey(`inn=${SEED.soleTrader.inn}`))
    expect(body.map((i: any) => i.ogrn)).toEqual([SEED.soleTrader.ogrnip, SEED.soleTrader.closedOgrnip])
  })
})

describe('/api3/egrDetails (spec §3.3)', () => {
  it('carries OKVED in UL.activities.principalActivity and the ОГРН date in regInfo', async () => {
    const { body } = await get('egrDetails', withKey(`inn=${SEED.kontur.inn}`))
    expect(body[0].UL.activities.principalActivity).toEqual({ code: '62.01', text: 'Разработка компьютерного программного обеспечения', date: '2006-03-28' })
    expect(body[0].UL.activities.okvedVersion).toBe('2')
    expect(body[0].UL.regInfo.ogrnDate).toBe('2002-07-19')
  })

  it('ИП: shortenedAddress (region/city only) and activities', async () => {
    const { body } = await get('egrDetails', withKey(`inn=${SEED.soleTrader.inn}`))
    expect(body[0].IP.shortenedAddress.regionName.topoValue).toBe('Москва')
    expect(body[0].IP.activities.principalActivity.code).toBe('62.01')
  })

  it('reorganising company lists its successors', async () => {
    const { body } = await get('egrDetails', withKey(`ogrn=${SEED.reorganizing.ogrn}`))
    expect(body[0].UL.successors).toEqual([expect.objectContaining({ inn: SEED.successor.inn, ogrn: SEED.successor.ogrn })])
  })
})

describe('ids (spec §3.1, §6)', () => {
  it('comma-separated inn and ogrn lists; unknown valid ids are omitted; unknown-only → []', async () => {
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn},${SEED.kontur.inn}`))).body.map((i: any) => i.inn)).toEqual([SEED.sberbank.inn, SEED.kontur.inn])
    expect((await get('req', withKey(`ogrn=${SEED.yandex.ogrn}`))).body.map((i: any) => i.inn)).toEqual([SEED.yandex.inn])
    expect((await get('req', withKey(`inn=${SEED.unknownInns[0]},${SEED.yandex.inn}`))).body).toHaveLength(1)
    const unknown = await get('req', withKey(`inn=${SEED.unknownInns.join(',')}`))
    expect(unknown.status).toBe(200)
    expect(unknown.body).toEqual([])
  })

  it('malformed ids are dropped; nothing valid left → 400 plain text', async () => {
    expect((await get('req', withKey(`inn=7707083894,${SEED.yandex.inn}`))).body.map((i: any) => i.inn)).toEqual([SEED.yandex.inn])
    for (const query of ['inn=7707083894', 'inn=abc', 'ogrn=1027700132194', '']) {
      const res = await get('req', withKey(query))
      expect(res.status).toBe(400)
      expect(res.text).toBe('inn/ogrn param is not specified')
      expect(res.headers.get('content-type')).toMatch(/text\/plain/)
    }
  })

  it('caps the id list (switch: truncate by default, or reject)', async () => {
    await call(`${emu.url}/__emulator/config`, { method: 'PATCH', body: { maxIds: 2 } })
    const truncated = await get('req', withKey(`inn=${SEED.sberbank.inn},${SEED.yandex.inn},${SEED.kontur.inn}`))
    expect(truncated.body.map((i: any) => i.inn)).toEqual([SEED.sberbank.inn, SEED.yandex.inn])
    await call(`${emu.url}/__emulator/config`, { method: 'PATCH', body: { overMaxIds: 'reject' } })
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn},${SEED.yandex.inn},${SEED.kontur.inn}`))).status).toBe(400)
  })
})

describe('key, quota and errors', () => {
  it('403 "No valid key specified" (plain text) for a missing or unknown key', async () => {
    for (const query of [`inn=${SEED.sberbank.inn}`, `key=wrong&inn=${SEED.sberbank.inn}`]) {
      const res = await get('req', query)
      expect(res.status).toBe(403)
      expect(res.text).toBe('No valid key specified')
    }
  })

  it('quota per key: configurable answer once spent, restorable through the control route', async () => {
    await call(`${emu.url}/__emulator/quota`, { method: 'PUT', body: { quota: 2 } })
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn}`))).status).toBe(200)
    expect((await get('egrDetails', withKey(`inn=${SEED.sberbank.inn}`))).status).toBe(200)
    const spent = await get('req', withKey(`inn=${SEED.sberbank.inn}`))
    expect(spent.status).toBe(403)
    expect(spent.text).toBe('Request limit exceeded')
    expect(emu.usage(FOCUS_DEMO_KEY)).toBe(2)
    await call(`${emu.url}/__emulator/quota`, { method: 'PUT', body: { used: 0 } })
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn}`))).status).toBe(200)
  })

  it('GET only by default (405), POST when switched on', async () => {
    const post = () => call(`${emu.url}/api3/req`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: withKey(`inn=${SEED.sberbank.inn}`) })
    expect((await post()).status).toBe(405)
    await call(`${emu.url}/__emulator/config`, { method: 'PATCH', body: { acceptPost: true } })
    const res = await post()
    expect(res.status).toBe(200)
    expect(res.body[0].inn).toBe(SEED.sberbank.inn)
  })

  it('control routes add entities and the request log records vendor calls', async () => {
    const add = await call(`${emu.url}/__emulator/records`, {
      method: 'POST',
      body: { req: { inn: '7736050003', ogrn: '1027700070518', focusHref: 'x', UL: { kpp: '772801001', legalName: { short: 'ПАО "Газпром"' }, status: { statusString: 'Действующее' } } } },
    })
    expect(add.status).toBe(201)
    expect((await get('req', withKey('inn=7736050003'))).body[0].UL.kpp).toBe('772801001')
    expect((await get('egrDetails', withKey('inn=7736050003'))).body).toEqual([])
    const log = await emu.requests()
    expect(log.map((r) => r.path)).toEqual(['/api3/req', '/api3/egrDetails'])
  })

  it('shared fault injection', async () => {
    await call(`${emu.url}/__emulator/faults`, { method: 'POST', body: { kind: 'status', status: 502, pathPrefix: '/api3/', times: 1 } })
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn}`))).status).toBe(502)
    expect((await get('req', withKey(`inn=${SEED.sberbank.inn}`))).status).toBe(200)
  })
})
