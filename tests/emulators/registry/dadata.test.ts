/**
 * Conformance of the DaData emulator with spec egrul.md §2 and checklist §6 — shapes, filters, errors,
 * quota. Asserts the vendor's documented behaviour, not anything our client needs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  ADDRESS_DATA_KEYS,
  DADATA_DEMO_API_KEY,
  DADATA_DEMO_SECRET_KEY,
  DADATA_FIND_PARTY_PATH,
  SEED,
  startDaDataEmulator,
  type DaDataEmulator,
} from './index'
import { call } from './test-helpers'

let emu: DaDataEmulator
const auth = { Authorization: `Token ${DADATA_DEMO_API_KEY}` }
const find = (body: unknown, headers: Record<string, string> = auth) =>
  call(emu.url + DADATA_FIND_PARTY_PATH, { method: 'POST', headers: { Accept: 'application/json', ...headers }, body })

beforeAll(async () => {
  emu = await startDaDataEmulator()
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await call(`${emu.url}/__emulator/reset`, { method: 'POST' })
  await call(`${emu.url}/__emulator/requests`, { method: 'DELETE' })
})

describe('findById/party — envelope and shapes (spec §2.2–§2.9)', () => {
  it('answers {"suggestions": [...]} with the head (MAIN) before its branches, all sharing INN/OGRN', async () => {
    const res = await find({ query: SEED.sberbank.inn })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(Object.keys(res.body)).toEqual(['suggestions'])
    const [main, branch] = res.body.suggestions
    expect(res.body.suggestions).toHaveLength(2)
    expect(main.data).toMatchObject({ branch_type: 'MAIN', kpp: '773601001', inn: '7707083893', ogrn: '1027700132195', type: 'LEGAL' })
    expect(branch.data).toMatchObject({ branch_type: 'BRANCH', kpp: '540602001', inn: '7707083893', ogrn: '1027700132195' })
    expect(branch.value).toBe('СИБИРСКИЙ БАНК ПАО СБЕРБАНК')
  })

  it('serves the captured Сбербанк record of §2.7: value = short_with_opf, epoch-ms dates, full address.data key set', async () => {
    const { body } = await find({ query: '7707083893', branch_type: 'MAIN', count: 1 })
    const s = body.suggestions[0]
    expect(s.value).toBe('ПАО СБЕРБАНК')
    expect(s.unrestricted_value).toBe(s.value)
    expect(s.data.name).toEqual({
      full_with_opf: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"',
      short_with_opf: 'ПАО СБЕРБАНК',
      latin: null,
      full: 'СБЕРБАНК РОССИИ',
      short: 'СБЕРБАНК',
    })
    expect(s.data.state).toEqual({ status: 'ACTIVE', code: null, actuality_date: 1775001600000, registration_date: 677376000000, liquidation_date: null })
    expect(s.data.management).toMatchObject({ name: 'Греф Герман Оскарович', post: 'ПРЕЗИДЕНТ, ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ', start_date: 1254690000000 })
    expect(s.data.hid).toMatch(/^[0-9a-f]{64}$/)
    expect(s.data.okved).toBe('64.19')
    expect(s.data.ogrn_date).toBe(1029456000000)
    expect(Object.keys(s.data.address.data)).toEqual([...ADDRESS_DATA_KEYS])
    expect(s.data.address.data.source).toBe('117312, Г.МОСКВА, УЛ. ВАВИЛОВА, Д.19')
  })

  it('every legal record carries the full key set; branch KPPs differ from the head', async () => {
    const { body } = await find({ query: SEED.kontur.inn })
    expect(body.suggestions.map((s: any) => s.data.kpp)).toEqual(['667101001', '590443001', '771543001'])
    const keys = Object.keys(body.suggestions[0].data)
    for (const s of body.suggestions) {
      expect(Object.keys(s.data)).toEqual(keys)
      expect(Object.keys(s.data.address.data)).toEqual([...ADDRESS_DATA_KEYS])
    }
  })

  it('ИП: no kpp/management/branch_type/branch_count/founders/managers/capital; fio + citizenship; address is the city (§2.8)', async () => {
    const { body } = await find({ query: SEED.soleTrader.inn, type: 'INDIVIDUAL' })
    expect(body.suggestions.length).toBe(2)
    for (const s of body.suggestions) {
      for (const absent of ['kpp', 'management', 'branch_type', 'branch_count', 'founders', 'managers', 'capital']) {
        expect(s.data).not.toHaveProperty(absent)
      }
      expect(s.data.type).toBe('INDIVIDUAL')
      expect(s.data.opf.code).toBe('50102')
      expect(s.data.fio).toMatchObject({ surname: 'Петрова', name: 'Мария', patronymic: 'Сергеевна' })
      expect(s.data.name.short).toBeNull()
      expect(s.data.address.value).toBe('г Москва')
    }
    const statuses = body.suggestions.map((s: any) => [s.data.ogrn, s.data.state.status])
    expect(statuses).toEqual([
      ['321774600123451', 'ACTIVE'],
      ['316774600123454', 'LIQUIDATED'],
    ])
  })

  it('liquidated company keeps being returned with the §2.9 state block', async () => {
    const { body } = await find({ query: SEED.avaps.inn })
    expect(body.suggestions[0].data.state).toEqual({
      status: 'LIQUIDATED', code: '201', actuality_date: 1347840000000, registration_date: 1226880000000, liquidation_date: 1347840000000,
    })
  })

  it('serves REORGANIZING (with successors), BANKRUPT and LIQUIDATING companies with their EGRUL codes (§2.4)', async () => {
    const reorg = (await find({ query: SEED.reorganizing.inn })).body.suggestions[0].data
    expect(reorg.state).toMatchObject({ status: 'REORGANIZING', code: '124' })
    expect(reorg.successors).toEqual([{ ogrn: SEED.successor.ogrn, inn: SEED.successor.inn, name: 'ООО "ТД ПРЕЕМНИК"' }])
    expect((await find({ query: SEED.bankrupt.inn })).body.suggestions[0].data.state).toMatchObject({ status: 'BANKRUPT', code: '114' })
    expect((await find({ query: SEED.liquidating.inn })).body.suggestions[0].data.state).toMatchObject({ status: 'LIQUIDATING', code: '101' })
  })

  it('nothing found → 200 {"suggestions": []} (the official clients test INN 1234567890)', async () => {
    for (const query of ['1234567890', ...SEED.unknownInns]) {
      const res = await find({ query })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ suggestions: [] })
    }
  })
})

describe('findById/party — matching and filters (spec §2.1, §6)', () => {
  it('matches the query exactly against INN or OGRN/OGRNIP, no fuzzy matching', async () => {
    expect((await find({ query: SEED.sberbank.ogrn })).body.suggestions).toHaveLength(2)
    expect((await find({ query: SEED.soleTrader.closedOgrnip })).body.suggestions.map((s: any) => s.data.state.status)).toEqual(['LIQUIDATED'])
    expect((await find({ query: '770708389' })).body.suggestions).toEqual([])
    expect((await find({ query: '770708' })).body.suggestions).toEqual([])
  })

  it('branch_type accepts a plain string and an array', async () => {
    const one = await find({ query: SEED.sberbank.inn, branch_type: 'MAIN' })
    const arr = await find({ query: SEED.sberbank.inn, branch_type: ['BRANCH'] })
    expect(one.body.suggestions.map((s: any) => s.data.branch_type)).toEqual(['MAIN'])
    expect(arr.body.suggestions.map((s: any) => s.data.kpp)).toEqual(['540602001'])
  })

  it('kpp pins one unit (the Альфа-Банк Екатеринбург branch 667143001)', async () => {
    const { body } = await find({ query: SEED.alfaBank.inn, kpp: SEED.alfaBank.branchKpp })
    expect(body.suggestions).toHaveLength(1)
    expect(body.suggestions[0].value).toBe('ФИЛИАЛ "ЕКАТЕРИНБУРГСКИЙ" АО "АЛЬФА-БАНК"')
  })

  it('type and status[] filter; count slices (default 10)', async () => {
    expect((await find({ query: SEED.soleTrader.inn, type: 'LEGAL' })).body.suggestions).toEqual([])
    expect((await find({ query: SEED.soleTrader.inn, status: ['ACTIVE'] })).body.suggestions).toHaveLength(1)
    expect((await find({ query: SEED.kontur.inn, count: 1 })).body.suggestions.map((s: any) => s.data.branch_type)).toEqual(['MAIN'])
    emu.addRecords(
      Array.from({ length: 12 }, (_, i) => ({
        data: { ...structuredClone(emu.records[1]!.data), kpp: `5406020${String(10 + i)}`, hid: undefined },
      })),
    )
    expect((await find({ query: SEED.sberbank.inn })).body.suggestions).toHaveLength(10)
    expect((await find({ query: SEED.sberbank.inn, count: 300 })).body.suggestions).toHaveLength(14)
  })
})

describe('findById/party — errors (spec §2.5)', () => {
  it('401 without Authorization, with the documented message', async () => {
    const res = await find({ query: '7707083893' }, {})
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ family: 'CLIENT_ERROR', reason: 'Unauthorized', message: 'You should provide Authorization header with your api token' })
  })

  it('403 for an unknown token, body naming the disabled feature', async () => {
    const res = await find({ query: '7707083893' }, { Authorization: 'Token nope' })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ family: 'CLIENT_ERROR', reason: 'Forbidden', message: "Feature 'SUGGESTIONS' disabled for token 'nope'" })
  })

  it('405 for other methods, 400 for bad JSON, 413 for a query over 300 characters', async () => {
    expect((await call(emu.url + DADATA_FIND_PARTY_PATH, { headers: auth })).status).toBe(405)
    const bad = await call(emu.url + DADATA_FIND_PARTY_PATH, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, raw: '{"query":' })
    expect(bad.status).toBe(400)
    expect(bad.body.family).toBe('CLIENT_ERROR')
    expect((await find({ query: '7'.repeat(301) })).status).toBe(413)
  })

  it('daily quota: 403 once spent, back after Moscow midnight (virtual clock), counted in stat/daily', async () => {
    emu.clock.set(new Date('2026-04-01T20:58:00Z')) // 23:58 in Moscow
    await call(`${emu.url}/__emulator/quota`, { method: 'PUT', body: { dailyQuota: 2 } })
    expect((await find({ query: '7707083893' })).status).toBe(200)
    expect((await find({ query: '1234567894' })).status).toBe(200)
    const spent = await find({ query: '7707083893' })
    expect(spent.status).toBe(403)
    expect(spent.body).toEqual({ family: 'CLIENT_ERROR', reason: 'Forbidden', message: `Feature 'SUGGESTIONS' disabled for token '${DADATA_DEMO_API_KEY}'` })

    const stat = await call(`${emu.url}/api/v2/stat/daily`, { headers: { ...auth, 'X-Secret': DADATA_DEMO_SECRET_KEY } })
    expect(stat.body).toEqual({ date: '2026-04-01', services: { merging: 0, suggestions: 2, clean: 0, company: 0 } })

    await call(`${emu.url}/__emulator/clock`, { method: 'POST', body: { advanceMs: 3 * 60_000 } }) // 00:01 Moscow
    expect((await find({ query: '7707083893' })).status).toBe(200)
  })

  it('stat/daily and profile/balance need Authorization and X-Secret', async () => {
    expect((await call(`${emu.url}/api/v2/stat/daily`, { headers: auth })).status).toBe(401)
    expect((await call(`${emu.url}/api/v2/stat/daily`, { headers: { ...auth, 'X-Secret': 'wrong' } })).status).toBe(403)
    const balance = await call(`${emu.url}/api/v2/profile/balance`, { headers: { ...auth, 'X-Secret': DADATA_DEMO_SECRET_KEY } })
    expect(balance.body).toEqual({ balance: 9922.3 })
  })

  it('429 above a configured requests-per-second limit', async () => {
    await call(`${emu.url}/__emulator/config`, { method: 'PATCH', body: { rateLimitPerSecond: 1 } })
    const statuses = await Promise.all(Array.from({ length: 5 }, () => find({ query: '7707083893' }).then((r) => r.status)))
    expect(statuses).toContain(429)
  })

  it('injected faults (shared kit) answer instead of the vendor route', async () => {
    await call(`${emu.url}/__emulator/faults`, { method: 'POST', body: { kind: 'status', status: 503, times: 1 } })
    expect((await find({ query: '7707083893' })).status).toBe(503)
    expect((await find({ query: '7707083893' })).status).toBe(200)
  })
})

describe('control routes', () => {
  it('adds records (vendor-shaped or bare data), removes them, manages keys, and logs requests', async () => {
    const add = await call(`${emu.url}/__emulator/records`, {
      method: 'POST',
      body: { data: { type: 'LEGAL', inn: '7736050003', ogrn: '1027700070518', kpp: '772801001', branch_type: 'MAIN', name: { full_with_opf: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "ГАЗПРОМ"', short_with_opf: 'ПАО "ГАЗПРОМ"' }, state: { status: 'ACTIVE' } } },
    })
    expect(add.status).toBe(201)
    const found = await find({ query: '7736050003' })
    expect(found.body.suggestions[0].value).toBe('ПАО "ГАЗПРОМ"')
    expect(found.body.suggestions[0].data).toHaveProperty('okveds', null)

    await call(`${emu.url}/__emulator/records/7736050003`, { method: 'DELETE' })
    expect((await find({ query: '7736050003' })).body.suggestions).toEqual([])

    await call(`${emu.url}/__emulator/keys`, { method: 'POST', body: { apiKey: 'second-key' } })
    expect((await find({ query: '7707083893' }, { Authorization: 'Token second-key' })).status).toBe(200)

    const log = await emu.requests()
    expect(log.filter((r) => r.path === DADATA_FIND_PARTY_PATH).length).toBeGreaterThanOrEqual(3)
  })
})
