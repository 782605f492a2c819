import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_API_KEY, startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B } from './test-helpers'

let emu: MoeDeloEmulator
beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'ООО "Альфа"' } })
})
afterAll(() => emu.close())

describe('md-api-key authentication', () => {
  it('answers 401 without a key, with an unknown key, and 200 with a known one', async () => {
    const none = await call(emu.url, 'GET', K)
    expect(none.status).toBe(401)
    expect(none.body).toEqual({ Message: expect.any(String) })
    expect((await call(emu.url, 'GET', K, { key: 'not-a-key' })).status).toBe(401)
    expect((await call(emu.url, 'GET', `${K}/1`, { key: 'not-a-key' })).status).toBe(401)
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
  })

  it('ignores Bearer tokens while OAuth is off', async () => {
    const res = await call(emu.url, 'GET', K, { headers: { authorization: 'Bearer anything' } })
    expect(res.status).toBe(401)
    expect((await call(emu.url, 'GET', '/oauth/authorize?response_type=code')).status).toBe(404)
  })

  it('answers 403 on a service the key\'s tariff lacks (per key, per service)', async () => {
    const set = await call(emu.url, 'PUT', `/__emulator/firms/${KEY_A}/forbidden`, { body: { services: ['kontragents'] } })
    expect(set.status).toBe(200)
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(403)
    await call(emu.url, 'PUT', `/__emulator/firms/${KEY_A}/forbidden`, { body: { services: [] } })
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
    expect((await call(emu.url, 'PUT', `/__emulator/firms/${KEY_A}/forbidden`, { body: { services: ['nope'] } })).status).toBe(400)
  })

  it('uses the configured 401 body (null = empty body)', async () => {
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { unauthorizedBody: null } })
    const res = await call(emu.url, 'GET', K)
    expect(res.status).toBe(401)
    expect(res.body).toBeUndefined()
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { unauthorizedBody: { Message: 'Authorization has been denied for this request.' } } })
  })
})

describe('control routes', () => {
  it('adds, lists, dumps and removes API keys', async () => {
    const added = await call(emu.url, 'POST', '/__emulator/firms', { body: { apiKey: KEY_B, name: 'ООО "Бета"' } })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ apiKey: KEY_B, name: 'ООО "Бета"' })
    const generated = await call(emu.url, 'POST', '/__emulator/firms', { body: { name: 'Сгенерированный ключ' } })
    expect(generated.body.apiKey).toMatch(/^[0-9a-f-]{36}$/)
    const list = await call(emu.url, 'GET', '/__emulator/firms')
    expect(list.body.firms.map((f: { apiKey: string }) => f.apiKey)).toEqual(expect.arrayContaining([KEY_A, KEY_B, generated.body.apiKey]))

    await call(emu.url, 'POST', `/__emulator/firms/${KEY_B}/kontragents`, {
      body: { kontragents: [{ Name: 'Дубль', Inn: '7707083893' }, { Name: 'Дубль', Inn: '7707083893' }] },
    })
    const dump = await call(emu.url, 'GET', `/__emulator/firms/${KEY_B}`)
    expect(dump.body.kontragents).toHaveLength(2)
    expect(dump.body.kontragents[0]).toMatchObject({ Name: 'Дубль', Inn: '7707083893', Form: 1, Type: 1 })
    expect(emu.firm(KEY_B).kontragents.size).toBe(2)

    expect((await call(emu.url, 'GET', K, { key: KEY_B })).status).toBe(200)
    expect((await call(emu.url, 'DELETE', `/__emulator/firms/${KEY_B}`)).status).toBe(204)
    expect((await call(emu.url, 'GET', K, { key: KEY_B })).status).toBe(401)
    expect((await call(emu.url, 'GET', `/__emulator/firms/${KEY_B}`)).status).toBe(404)
  })

  it('seeds with explicit ids when asked (for fixtures that mirror real data)', async () => {
    const res = await call(emu.url, 'POST', `/__emulator/firms/${KEY_A}/kontragents`, { body: { Id: 18320606, Name: 'ООО "МЗ"', Inn: '2312108067' } })
    expect(res.body.created[0].Id).toBe(18320606)
    expect((await call(emu.url, 'GET', `${K}/18320606`, { key: KEY_A })).body.Name).toBe('ООО "МЗ"')
  })

  it('starts with the demo key by default', async () => {
    const demo = await startMoeDeloEmulator()
    try {
      expect((await call(demo.url, 'GET', K, { key: DEMO_API_KEY })).status).toBe(200)
    } finally {
      await demo.close()
    }
  })
})

describe('optional rate limiter', () => {
  it('answers 429 with Retry-After when the bucket is empty, and refills with the virtual clock', async () => {
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { rateLimit: { capacity: 2, refillPerSecond: 1 } } })
    try {
      expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
      expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
      const limited = await call(emu.url, 'GET', K, { key: KEY_A })
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('1')
      await call(emu.url, 'POST', '/__emulator/clock', { body: { advanceMs: 5_000 } })
      expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
    } finally {
      await call(emu.url, 'PATCH', '/__emulator/config', { body: { rateLimit: null } })
    }
  })
})

describe('fault injection (shared kit)', () => {
  it('injects 500, 429 and consumes `times`', async () => {
    await call(emu.url, 'POST', '/__emulator/faults', { body: { kind: 'status', status: 500, pathPrefix: '/kontragents', times: 1 } })
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(500)
    expect((await call(emu.url, 'GET', K, { key: KEY_A })).status).toBe(200)
    await call(emu.url, 'POST', '/__emulator/faults', { body: { kind: 'status', status: 429, times: 1, body: { Message: 'slow down' } } })
    const limited = await call(emu.url, 'GET', K, { key: KEY_A })
    expect(limited).toMatchObject({ status: 429, body: { Message: 'slow down' } })
  })

  it('holds a request (timeout) and drops the socket (reset) so clients see network failures', async () => {
    await call(emu.url, 'POST', '/__emulator/faults', { body: { kind: 'timeout', delayMs: 5_000, times: 1 } })
    await expect(
      fetch(emu.url + K, { headers: { 'md-api-key': KEY_A }, signal: AbortSignal.timeout(200) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    await call(emu.url, 'POST', '/__emulator/faults', { body: { kind: 'reset', times: 1 } })
    await expect(fetch(emu.url + K, { headers: { 'md-api-key': KEY_A } })).rejects.toThrow()
    await call(emu.url, 'DELETE', '/__emulator/faults')
    const log = await call(emu.url, 'GET', '/__emulator/requests')
    expect(log.body.requests.length).toBeGreaterThan(0)
  })
})
