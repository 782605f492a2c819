/**
 * Failure paths through both providers against the emulators: provider down, injected 5xx/429/hangs,
 * spent quota (clear Russian message), rejected keys — and no key ever leaks into an error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DADATA_DEMO_API_KEY, FOCUS_DEMO_KEY, SEED, startDaDataEmulator, startKonturFocusEmulator } from '@/tests/emulators/registry'
import { userMessageOf, isRetryable, serviceOf } from '@/lib/errors'
import { createDaDataProvider, createKonturFocusProvider, RegistryError } from '@/lib/registry'
import { dadataProvider, focusProvider, PROVIDERS, registryError, resetEmulators, startEmulators, stopEmulators, type Emulators } from './helpers'

let emus: Emulators
beforeAll(async () => {
  emus = await startEmulators()
})
afterAll(async () => {
  await stopEmulators(emus)
})
beforeEach(async () => {
  await resetEmulators(emus)
})

/** Everything of an error that could end up in a log. */
const loggable = (e: RegistryError) => JSON.stringify({ message: e.message, details: e.details, userMessage: e.userMessage, cause: String(e.cause ?? '') })

describe('provider unavailable', () => {
  it.each(['dadata', 'kontur_focus'] as const)('%s down (connection refused) → unavailable, retryable, plain Russian', async (kind) => {
    const emu = kind === 'dadata' ? await startDaDataEmulator() : await startKonturFocusEmulator()
    const url = emu.url
    await emu.close()
    const provider =
      kind === 'dadata'
        ? createDaDataProvider({ baseUrl: url, apiKey: DADATA_DEMO_API_KEY, timeoutMs: 2_000 })
        : createKonturFocusProvider({ baseUrl: url, apiKey: FOCUS_DEMO_KEY, timeoutMs: 2_000 })
    const error = await registryError(() => provider.findByInn(SEED.sberbank.inn))
    expect(error).toBeInstanceOf(RegistryError)
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true, service: 'registry', provider: kind })
    expect(isRetryable(error)).toBe(true)
    expect(serviceOf(error)).toBe('registry')
    expect(userMessageOf(error)).toMatch(/не отвечает.*Повторим попытку автоматически/)
    expect(loggable(error)).not.toContain(kind === 'dadata' ? DADATA_DEMO_API_KEY : FOCUS_DEMO_KEY)
  })

  it.each(PROVIDERS)('$name: injected 502 → unavailable (status kept), 429 → rate_limited, both retryable', async ({ make, emulator }) => {
    const emu = emulator(emus)
    emu.faults.add({ kind: 'status', status: 502, body: 'Bad Gateway', times: 1 })
    const down = await registryError(() => make(emus).findByInn(SEED.yandex.inn))
    expect(down).toMatchObject({ kind: 'unavailable', retryable: true, status: 502 })

    emu.faults.add({ kind: 'status', status: 429, body: 'Too Many Requests', times: 1 })
    const limited = await registryError(() => make(emus).findByInn(SEED.yandex.inn))
    expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429 })
    expect(limited.userMessage).toMatch(/реже/)
  })

  it.each(PROVIDERS)('$name: a hanging server hits the client timeout → unavailable with the timeout message', async ({ name, emulator }) => {
    emulator(emus).faults.add({ kind: 'timeout', delayMs: 3_000, times: 1 })
    const provider = name === 'dadata' ? dadataProvider(emus, { timeoutMs: 200 }) : focusProvider(emus, { timeoutMs: 200 })
    const error = await registryError(() => provider.findByInn(SEED.yandex.inn))
    expect(error).toMatchObject({ kind: 'unavailable', retryable: true })
    expect(error.userMessage).toMatch(/не ответил вовремя/)
  })

  it('an answer that does not match the documented shape → unexpected, not retryable', async () => {
    emus.dadata.faults.add({ kind: 'status', status: 200, body: { result: [] }, times: 1 })
    const error = await registryError(() => dadataProvider(emus).findByInn(SEED.yandex.inn))
    expect(error).toMatchObject({ kind: 'unexpected', retryable: false })
  })
})

describe('DaData quota (403 is the same for a spent limit and a bad key, spec §2.5)', () => {
  const QUOTA_TEXT = 'Исчерпан дневной лимит запросов к DaData. Лимит обновится в полночь по московскому времени — тогда проверка реквизитов повторится автоматически. Чтобы не ждать, расширьте тариф в личном кабинете DaData.'

  it('with the secret key: the statistics API confirms the key → quota_exhausted with a clear message', async () => {
    emus.dadata.setUsage(DADATA_DEMO_API_KEY, 10_000)
    const error = await registryError(() => dadataProvider(emus).findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'quota_exhausted', retryable: true, status: 403, provider: 'dadata', userMessage: QUOTA_TEXT })
    expect(error.retryAfterMs).toBeGreaterThan(0)
    expect(error.retryAfterMs).toBeLessThanOrEqual(86_400_000)
    expect(error.details).toMatchObject({ evidence: 'statistics API', suggestionsToday: 10_000 })
    expect(loggable(error)).not.toContain(DADATA_DEMO_API_KEY) // DaData echoes the token in its 403 body
  })

  it('without the secret key: a success earlier the same Moscow day proves the key → quota_exhausted', async () => {
    emus.dadata.switches.dailyQuota = 1
    const provider = dadataProvider(emus, { secretKey: undefined })
    expect(await provider.findByInn(SEED.yandex.inn)).toHaveLength(1)
    const error = await registryError(() => provider.findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'quota_exhausted', userMessage: QUOTA_TEXT })
  })

  it('without the secret key and no evidence: an honest "limit or key" message, retried after midnight', async () => {
    emus.dadata.setUsage(DADATA_DEMO_API_KEY, 10_000)
    const error = await registryError(() => dadataProvider(emus, { secretKey: undefined }).findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'forbidden', retryable: true })
    expect(error.userMessage).toMatch(/исчерпан дневной лимит запросов или ключ API недействителен/)
  })
})

describe('Kontur.Focus quota', () => {
  it('a spent request package → quota_exhausted with a plain message; the key is not in the error', async () => {
    emus.focus.switches.quota = 0
    const error = await registryError(() => focusProvider(emus).findByInn(SEED.kontur.inn))
    expect(error).toMatchObject({ kind: 'quota_exhausted', retryable: true, status: 403, provider: 'kontur_focus' })
    expect(error.userMessage).toMatch(/^Исчерпан лимит запросов к «Контур\.Фокусу»/)
    expect(loggable(error)).not.toContain(FOCUS_DEMO_KEY)
  })
})

describe('unauthorized', () => {
  it('DaData: an unknown key (statistics API rejects it too) → unauthorized, not retryable, key not leaked', async () => {
    const provider = createDaDataProvider({ baseUrl: emus.dadata.url, apiKey: 'wrong-token-123', secretKey: 'wrong-secret-456', timeoutMs: 5_000 })
    const error = await registryError(() => provider.findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'unauthorized', retryable: false, userMessage: 'Ключ API DaData не принят — проверьте его в настройках приложения.' })
    expect(loggable(error)).not.toContain('wrong-token-123')
    expect(loggable(error)).not.toContain('wrong-secret-456')
  })

  it('DaData: 401 (no token reaches the server) → unauthorized', async () => {
    const provider = createDaDataProvider({ baseUrl: emus.dadata.url, apiKey: '', timeoutMs: 5_000 })
    const error = await registryError(() => provider.findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, retryable: false })
  })

  it('Kontur.Focus: "No valid key specified" → unauthorized, key not leaked', async () => {
    const provider = createKonturFocusProvider({ baseUrl: emus.focus.url, apiKey: 'wrong-focus-key-789', timeoutMs: 5_000 })
    const error = await registryError(() => provider.findByInn(SEED.sberbank.inn))
    expect(error).toMatchObject({ kind: 'unauthorized', status: 403, retryable: false, userMessage: 'Ключ API «Контур.Фокус» не принят — проверьте его в настройках приложения.' })
    expect(loggable(error)).not.toContain('wrong-focus-key-789')
  })
})
