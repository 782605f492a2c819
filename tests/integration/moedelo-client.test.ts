/**
 * The MoeDelo client against the real emulator over HTTP: auth, error mapping, counterparties, OAuth2.
 */
import { createServer } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiKeyCredentials, MoeDeloClient, moeDeloMessages, OAuth2Credentials, type OAuth2Tokens } from '@/lib/moedelo'
import type { MoeDeloEmulator } from '@/tests/emulators/moedelo'
import type { EmulatorControl } from '../support/emulator-control'
import { moedeloError, startEmulatedClient } from '../support/moedelo-client'

const KEY = '3b1f0c55-7f1e-4a43-9a57-6b2d1c0e9a10'
const OTHER_KEY = '9c0d2e11-1111-4b2b-8c3c-222222222222'
const OAUTH = { clientId: 'b24-app', clientSecret: 'top-secret' }
const REDIRECT = 'https://app.example.test/moedelo/oauth/callback'

let emu: MoeDeloEmulator
let client: MoeDeloClient
let control: EmulatorControl

async function closedPortUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

beforeAll(async () => {
  ;({ emu, client, control } = await startEmulatedClient(
    { apiKeys: { [KEY]: 'ООО "Клиент"', [OTHER_KEY]: 'ООО "Другая"' }, oauth: { enabled: true, ...OAUTH, accessTokenTtlSeconds: 3600 } },
    { apiKey: KEY, timeoutMs: 5_000 },
  ))
})
afterAll(() => emu.close())
beforeEach(async () => {
  await control('DELETE', '/faults')
  await control('DELETE', `/firms/${KEY}/kontragents`)
  await control('PATCH', '/config', { validationErrorsShape: 'map', unknownInn: 'validation' })
})

describe('connection check and health', () => {
  it('accepts a good key and reports how many counterparties the company has', async () => {
    await control('POST', `/firms/${KEY}/kontragents`, [{ Name: 'А' }, { Name: 'Б' }])
    await expect(client.checkConnection()).resolves.toEqual({ counterpartyCount: 2 })
  })

  it('rejects a bad key as unauthorized, not retryable, with the Russian settings hint', async () => {
    const bad = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials('wrong-key') })
    const error = await moedeloError(bad.checkConnection())
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false, status: 401 })
    expect(error.userMessage).toBe('Ключ API «Моё дело» не принят — проверьте его в настройках приложения.')
    const empty = await moedeloError(new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials('  ') }).checkConnection())
    expect(empty.kind).toBe('unauthorized')
  })

  it('maps a tariff 403 to forbidden', async () => {
    await control('PUT', `/firms/${KEY}/forbidden`, { services: ['kontragents'] })
    try {
      const error = await moedeloError(client.checkConnection())
      expect(error).toMatchObject({ kind: 'forbidden', retryable: false, status: 403, userMessage: moeDeloMessages.forbidden })
    } finally {
      await control('PUT', `/firms/${KEY}/forbidden`, { services: [] })
    }
  })

  it('health() is reachable on any non-5xx answer and unreachable on 5xx or a closed port', async () => {
    await expect(client.health()).resolves.toMatchObject({ reachable: true, status: 401 })
    await control('POST', '/faults', { kind: 'status', status: 503, times: 1 })
    const down = await client.health()
    expect(down).toMatchObject({ reachable: false, status: 503 })
    expect(down.error?.kind).toBe('unavailable')
    const refused = await new MoeDeloClient({ baseUrl: await closedPortUrl(), credentials: new ApiKeyCredentials(KEY) }).health()
    expect(refused.reachable).toBe(false)
    expect(refused.error).toMatchObject({ kind: 'unavailable', retryable: true })
  })
})

describe('failure mapping', () => {
  it('a timeout (latency beyond the client timeout) is unavailable and retryable', async () => {
    await control('POST', '/faults', { kind: 'latency', delayMs: 3_000, times: 1 })
    const quick = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials(KEY), timeoutMs: 150 })
    const error = await moedeloError(quick.checkConnection())
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true, userMessage: moeDeloMessages.timeout })
    expect(error.status).toBeUndefined()
  })

  it('500 is unavailable and retryable; 429 is rate_limited and retryable with Retry-After', async () => {
    await control('POST', '/faults', { kind: 'status', status: 500, times: 1 })
    expect(await moedeloError(client.checkConnection())).toMatchObject({ kind: 'unavailable', retryable: true, status: 500 })
    await control('PATCH', '/config', { rateLimit: { capacity: 1, refillPerSecond: 0.001 } })
    try {
      await client.checkConnection()
      const limited = await moedeloError(client.checkConnection())
      expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429, retryAfterMs: 1000 })
      expect(limited.userMessage).toBe(moeDeloMessages.rateLimited)
    } finally {
      await control('PATCH', '/config', { rateLimit: null })
    }
  })

  it('a refused connection and a dropped socket are unavailable and retryable', async () => {
    const refused = new MoeDeloClient({ baseUrl: await closedPortUrl(), credentials: new ApiKeyCredentials(KEY) })
    expect(await moedeloError(refused.checkConnection())).toMatchObject({ kind: 'unavailable', retryable: true })
    await control('POST', '/faults', { kind: 'reset', times: 1 })
    expect(await moedeloError(client.checkConnection())).toMatchObject({ kind: 'unavailable', retryable: true })
  })

  it('an unexpected 2xx shape is unexpected and not retryable', async () => {
    await control('POST', '/faults', { kind: 'status', status: 200, body: { Items: [] }, times: 1 })
    expect(await moedeloError(client.checkConnection())).toMatchObject({ kind: 'unexpected', retryable: false, userMessage: moeDeloMessages.unexpected })
  })

  it('legacy validation errors become details and a plain-Russian message without API codes', async () => {
    const error = await moedeloError(client.createCounterparty({ name: 'ООО "Ошибка"', form: 'legal_entity', inn: '12345', kpp: 'bad' }))
    expect(error).toMatchObject({ kind: 'validation', retryable: false, status: 400 })
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { field: 'Inn', message: expect.stringContaining('ИНН') },
        { field: 'Kpp', message: expect.stringContaining('КПП') },
      ]),
    )
    expect(error.userMessage).toMatch(/^«Моё дело» не приняло данные: ИНН — /)
    expect(error.userMessage).toContain('КПП — ')
    expect(error.userMessage).not.toMatch(/\bInn\b|\bKpp\b|400|request is invalid/)
  })

  it('understands the flat-list ValidationErrors shape and the 404 on /inn for unknown INNs', async () => {
    await control('PATCH', '/config', { validationErrorsShape: 'list' })
    const error = await moedeloError(client.createCounterpartyByInn('7728168971', 'buyer'))
    expect(error.kind).toBe('validation')
    expect(error.issues).toEqual([{ message: expect.stringContaining('ИНН') }])
    await control('PATCH', '/config', { unknownInn: 'not_found' })
    expect(await moedeloError(client.createCounterpartyByInn('7728168971'))).toMatchObject({ kind: 'not_found', retryable: false })
  })
})

describe('counterparties', () => {
  it('creates by INN with the register data and reads it back in app types', async () => {
    const created = await client.createCounterpartyByInn('7707083893', 'buyer')
    expect(created).toMatchObject({
      name: 'ПАО СБЕРБАНК',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      form: 'legal_entity',
      role: 'buyer',
      isArchived: false,
      signerFio: 'ГРЕФ ГЕРМАН ОСКАРОВИЧ',
      inReason: 'Устава',
    })
    expect(created.id).toBeGreaterThanOrEqual(18_000_000)
    expect(created).not.toHaveProperty('Name')
    await expect(client.getCounterparty(created.id)).resolves.toEqual(created)
    await expect(client.getCounterparty(1)).resolves.toBeNull()
  })

  it('creates from fields and updates (sending Name every time)', async () => {
    const created = await client.createCounterparty({
      name: 'ИП Сидоров С. С.',
      form: 'sole_trader',
      role: 'supplier',
      inn: '773165008890',
      fio: 'Сидоров Сидор Сидорович',
      legalAddress: 'г. Москва',
    })
    expect(created).toMatchObject({ form: 'sole_trader', role: 'supplier', inn: '773165008890', kpp: null, fio: 'Сидоров Сидор Сидорович' })
    const updated = await client.updateCounterparty(created.id, { name: 'ИП Сидоров Сидор Сидорович', actualAddress: 'г. Тверь' })
    expect(updated).toMatchObject({ id: created.id, name: 'ИП Сидоров Сидор Сидорович', actualAddress: 'г. Тверь', legalAddress: 'г. Москва' })
    expect(await moedeloError(client.updateCounterparty(424242, { name: 'Нет такого' }))).toMatchObject({ kind: 'not_found' })
  })

  it('finds every duplicate by INN across pages, lowest id first, exact INN only', async () => {
    const duplicates = Array.from({ length: 103 }, (_, i) => ({ Name: `Дубль ${i}`, Inn: '7736207543' }))
    await control('POST', `/firms/${KEY}/kontragents`, [...duplicates, { Name: 'Другой', Inn: '7707083893' }])
    const found = await client.findCounterpartiesByInn('7736207543')
    expect(found).toHaveLength(103)
    expect(found.map((c) => c.id)).toEqual([...found.map((c) => c.id)].sort((a, b) => a - b))
    expect(new Set(found.map((c) => c.inn))).toEqual(new Set(['7736207543']))
    await expect(client.findCounterpartiesByInn('0000000000')).resolves.toEqual([])
  })

  it('lists a page with counts', async () => {
    await control('POST', `/firms/${KEY}/kontragents`, Array.from({ length: 7 }, (_, i) => ({ Name: `К${i}` })))
    const page = await client.listCounterparties({ pageNo: 2, pageSize: 3 })
    expect(page).toMatchObject({ pageNo: 2, pageSize: 3, count: 3, totalCount: 7 })
    expect(page.items.map((c) => c.name)).toEqual(['К3', 'К4', 'К5'])
  })
})

describe('OAuth2 credentials (behind the emulator switch)', () => {
  const settings = () => ({
    authorizeUrl: `${emu.url}/oauth/authorize`,
    tokenUrl: `${emu.url}/oauth/token`,
    ...OAUTH,
    scopes: ['kontragents', 'accounting'],
  })

  /** Follows the consent page as a browser would: open the URL, press «Разрешить». */
  async function consent(authorizationUrl: string, firmKey: string): Promise<URL> {
    const url = new URL(authorizationUrl)
    const page = await fetch(url)
    expect(await page.text()).toContain('Разрешить')
    const form = new URLSearchParams(url.searchParams)
    form.set('firm', firmKey)
    form.set('decision', 'allow')
    const res = await fetch(`${emu.url}/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    })
    expect(res.status).toBe(302)
    return new URL(res.headers.get('location')!)
  }

  it('runs the code flow, persists tokens, and refreshes with rotation after a 401', async () => {
    const saved: OAuth2Tokens[] = []
    const credentials = new OAuth2Credentials({ ...settings(), onTokens: (t) => void saved.push(t) })
    const authUrl = credentials.authorizationUrl('state-xyz', REDIRECT)
    expect(new URL(authUrl).searchParams.get('scope')).toBe('kontragents accounting')
    const back = await consent(authUrl, OTHER_KEY)
    expect(back.searchParams.get('state')).toBe('state-xyz')

    const tokens = await credentials.exchangeCode(back.searchParams.get('code')!, REDIRECT)
    expect(saved).toEqual([tokens])
    expect(tokens.refreshToken).toEqual(expect.any(String))

    const oauthClient = new MoeDeloClient({ baseUrl: emu.url, credentials })
    await control('POST', `/firms/${OTHER_KEY}/kontragents`, [{ Name: 'Видно через OAuth' }])
    await expect(oauthClient.checkConnection()).resolves.toEqual({ counterpartyCount: 1 })

    await control('POST', '/oauth/expire-access-tokens')
    await expect(oauthClient.checkConnection()).resolves.toEqual({ counterpartyCount: 1 })
    expect(saved).toHaveLength(2)
    expect(saved[1]!.refreshToken).not.toBe(tokens.refreshToken)
    expect(saved[1]!.accessToken).not.toBe(tokens.accessToken)

    // The rotated-out refresh token is dead.
    const replay = new OAuth2Credentials({ ...settings(), tokens: { ...tokens, expiresAt: 0 } })
    const error = await moedeloError(new MoeDeloClient({ baseUrl: emu.url, credentials: replay }).checkConnection())
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false, userMessage: moeDeloMessages.oauthRevoked })
  })

  it('refreshes ahead of expiry once for concurrent calls, and adopts tokens another process refreshed', async () => {
    const code = (await control('POST', '/oauth/code', { apiKey: KEY, redirectUri: REDIRECT })).body as { code: string }
    let store: OAuth2Tokens | undefined
    let chain: Promise<unknown> = Promise.resolve()
    const refreshLock = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = chain.then(fn, fn)
      chain = run.catch(() => undefined)
      return run
    }
    let clockMs = Date.now()
    const shared = {
      ...settings(),
      now: () => clockMs,
      refreshLock,
      loadTokens: async () => store,
      onTokens: (t: OAuth2Tokens) => {
        store = t
      },
    }
    const processA = new OAuth2Credentials(shared)
    const initial = await processA.exchangeCode(code.code, REDIRECT)
    const processB = new OAuth2Credentials({ ...shared, tokens: initial })

    const before = (await control('GET', '/oauth/stats')).body as { refreshGrants: number }
    clockMs += 3_600_000 // both processes now consider the access token expired
    const clientA = new MoeDeloClient({ baseUrl: emu.url, credentials: processA })
    const clientB = new MoeDeloClient({ baseUrl: emu.url, credentials: processB })
    await Promise.all([clientA.checkConnection(), clientA.checkConnection(), clientB.checkConnection()])
    const after = (await control('GET', '/oauth/stats')).body as { refreshGrants: number }
    expect(after.refreshGrants - before.refreshGrants).toBe(1)
    expect(processB.currentTokens()).toEqual(processA.currentTokens())
    expect(store?.refreshToken).not.toBe(initial.refreshToken)
  })

  it('tells the user to connect when there are no tokens, and maps an unreachable token endpoint to unavailable', async () => {
    const none = new OAuth2Credentials(settings())
    const error = await moedeloError(new MoeDeloClient({ baseUrl: emu.url, credentials: none }).checkConnection())
    expect(error).toMatchObject({ kind: 'unauthorized', userMessage: moeDeloMessages.oauthNotConnected })

    await control('POST', '/faults', { kind: 'status', status: 502, pathPrefix: '/oauth/token', times: 1 })
    const expired: OAuth2Tokens = { accessToken: 'x', refreshToken: 'y', expiresAt: 0, tokenType: 'Bearer' }
    const down = new OAuth2Credentials({ ...settings(), tokens: expired })
    expect(await moedeloError(new MoeDeloClient({ baseUrl: emu.url, credentials: down }).checkConnection())).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    })
  })
})
