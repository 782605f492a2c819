/**
 * DaData emulator: `POST /suggestions/api/4_1/rs/findById/party` (spec §2, checklist §6) plus the
 * account statistics `GET /api/v2/stat/daily` and `GET /api/v2/profile/balance` (spec §2.1, §2.6),
 * which on the real service live on `dadata.ru` and need `X-Secret`.
 *
 * Behaviour that the spec marks [unverified] is a switch (`DaDataSwitches`), changeable at runtime
 * with `PATCH /__emulator/config`.
 */
import { FaultInjector, Router, startEmulator, VirtualClock, type EmulatorRequest, type EmulatorResponse, type LoggedRequest, applySwitchPatch } from '../shared/http'
import { dadataParty, defaultDaDataRecords, type DaDataSuggestion } from './dadata-seed'
import { asStringList, moscowDay } from './util'

export const DADATA_FIND_PARTY_PATH = '/suggestions/api/4_1/rs/findById/party'
export const DADATA_STAT_PATH = '/api/v2/stat/daily'
export const DADATA_BALANCE_PATH = '/api/v2/profile/balance'

export const DADATA_DEMO_API_KEY = 'demo0dadata0api0key000000000000000000001'
export const DADATA_DEMO_SECRET_KEY = 'demo0dadata0secret0key0000000000000000001'

export interface DaDataSwitches {
  /** Successful suggestion requests per token per Moscow day (spec §2.6: 10 000 on the free plan). */
  dailyQuota: number
  /** Requests per second per token before 429 (spec §2.6: exists, value unknown). `null` = off. */
  rateLimitPerSecond: number | null
  /** `query` longer than this → 413 (spec §2.1: max length 300). */
  maxQueryLength: number
  /** Upper bound of `count` (spec §2.1: up to 300 for this method); larger values are clamped. */
  maxCount: number
  /** `count` when absent (spec §2.1: 10). */
  defaultCount: number
  /** A missing/empty `query` [unverified]: answer `{"suggestions":[]}` or 400. */
  emptyQuery: 'empty_result' | 'bad_request'
  /** Account balance served by `/api/v2/profile/balance`. */
  balance: number
}

export const defaultDaDataSwitches: DaDataSwitches = {
  dailyQuota: 10_000,
  rateLimitPerSecond: null,
  maxQueryLength: 300,
  maxCount: 300,
  defaultCount: 10,
  emptyQuery: 'empty_result',
  balance: 9922.3,
}

export interface DaDataEmulatorOptions {
  port?: number
  host?: string
  /** Accepted `Authorization: Token …` values. Default: `[DADATA_DEMO_API_KEY]`. */
  apiKeys?: string[]
  /** `X-Secret` values, paired with `apiKeys` by position. Default: `[DADATA_DEMO_SECRET_KEY]`. */
  secretKeys?: string[]
  /** Shortcut for `switches.dailyQuota`. */
  dailyQuota?: number
  /** Records to serve instead of the default seed (vendor-shaped `suggestions[]` elements). */
  records?: DaDataSuggestion[]
  switches?: Partial<DaDataSwitches>
}

export interface DaDataEmulator {
  url: string
  close(): Promise<void>
  readonly switches: DaDataSwitches
  readonly faults: FaultInjector
  readonly clock: VirtualClock
  /** The live record list (mutations are visible to the next request). */
  readonly records: DaDataSuggestion[]
  addRecords(records: unknown): DaDataSuggestion[]
  /** API key → secret key (`undefined` = no secret). */
  readonly accounts: Map<string, string | undefined>
  /** Counted requests of `apiKey` on the current Moscow day (virtual clock). */
  usage(apiKey: string): number
  setUsage(apiKey: string, used: number): void
  /** The vendor-route request log (`GET /__emulator/requests`). */
  requests(): Promise<LoggedRequest[]>
}

const json = (status: number, body: unknown): EmulatorResponse => ({
  status,
  headers: { 'content-type': 'application/json;charset=UTF-8' },
  body,
})

/** DaData's error body (spec §2.5). */
const errorBody = (status: number, reason: string, message: string) =>
  json(status, { family: status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR', reason, message })

const forbidden = (token: string) => errorBody(403, 'Forbidden', `Feature 'SUGGESTIONS' disabled for token '${token}'`)

function readToken(req: EmulatorRequest): string | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string') return undefined
  const m = /^Token\s+(\S+)\s*$/i.exec(header)
  return m?.[1]
}

/** Accepts an array, `{suggestions:[…]}`, `{records:[…]}`, one suggestion, or a bare `data` object. */
export function normalizeDaDataRecords(input: unknown): DaDataSuggestion[] {
  const list: unknown[] = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && Array.isArray((input as Record<string, unknown>).suggestions)
      ? ((input as Record<string, unknown>).suggestions as unknown[])
      : input && typeof input === 'object' && Array.isArray((input as Record<string, unknown>).records)
        ? ((input as Record<string, unknown>).records as unknown[])
        : [input]
  return list.map((item) => {
    const record = item as Record<string, unknown> | null
    if (!record || typeof record !== 'object') throw new Error('a record must be an object')
    const data = (record.data ?? record) as Record<string, unknown>
    if (typeof data.inn !== 'string' || (data.type !== 'LEGAL' && data.type !== 'INDIVIDUAL')) {
      throw new Error('a record needs data.inn (string) and data.type (LEGAL | INDIVIDUAL)')
    }
    // Missing keys are filled with null: real answers always carry the full key set (spec §2.8).
    const filled = dadataParty(data as DaDataSuggestion['data'])
    if (record.data && typeof record.value === 'string') {
      filled.value = record.value
      filled.unrestricted_value = typeof record.unrestricted_value === 'string' ? record.unrestricted_value : record.value
    }
    return filled
  })
}

const branchRank = (r: DaDataSuggestion) => (r.data.branch_type === 'BRANCH' ? 1 : 0)

export async function startDaDataEmulator(options: DaDataEmulatorOptions = {}): Promise<DaDataEmulator> {
  const clock = new VirtualClock()
  const faults = new FaultInjector()
  const switches: DaDataSwitches = { ...defaultDaDataSwitches, ...(options.switches ?? {}) }
  if (options.dailyQuota !== undefined) switches.dailyQuota = options.dailyQuota
  const initialSwitches = { ...switches }

  const records: DaDataSuggestion[] = structuredClone(options.records ?? defaultDaDataRecords())
  const initialRecords = structuredClone(records)

  const accounts = new Map<string, string | undefined>()
  const apiKeys = options.apiKeys ?? [DADATA_DEMO_API_KEY]
  const secretKeys = options.secretKeys ?? (options.apiKeys ? [] : [DADATA_DEMO_SECRET_KEY])
  apiKeys.forEach((key, i) => accounts.set(key, secretKeys[i]))

  /** `${token}|${moscowDay}` → successful requests. */
  const usageByDay = new Map<string, number>()
  /** `${token}|${second}` → requests (rate limit window). */
  const perSecond = new Map<string, number>()
  const today = () => moscowDay(clock.nowMs())
  const usage = (token: string, day = today()) => usageByDay.get(`${token}|${day}`) ?? 0

  function findParty(req: EmulatorRequest): EmulatorResponse {
    const token = readToken(req)
    if (!token) return errorBody(401, 'Unauthorized', 'You should provide Authorization header with your api token')
    if (!accounts.has(token)) return forbidden(token)
    if (usage(token) >= switches.dailyQuota) return forbidden(token)

    if (switches.rateLimitPerSecond !== null) {
      const second = `${token}|${Math.floor(clock.nowMs() / 1000)}`
      const n = (perSecond.get(second) ?? 0) + 1
      perSecond.set(second, n)
      if (n > switches.rateLimitPerSecond) return errorBody(429, 'Too Many Requests', 'Too many requests per second')
    }

    let body: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(req.rawBody.toString('utf8') || 'null')
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      body = parsed as Record<string, unknown>
    } catch {
      return errorBody(400, 'Bad Request', 'Invalid request body: JSON object expected')
    }

    const query = typeof body.query === 'string' || typeof body.query === 'number' ? String(body.query).trim() : ''
    if (query.length > switches.maxQueryLength) return errorBody(413, 'Request Entity Too Large', 'Query is too long')
    if (!query && switches.emptyQuery === 'bad_request') return errorBody(400, 'Bad Request', 'query is required')

    const requestedCount = Number(body.count ?? switches.defaultCount)
    const count = Number.isFinite(requestedCount) && requestedCount >= 1 ? Math.min(Math.floor(requestedCount), switches.maxCount) : switches.defaultCount
    const kpp = typeof body.kpp === 'string' && body.kpp ? body.kpp : undefined
    const branchTypes = asStringList(body.branch_type).map((s) => s.toUpperCase())
    const types = asStringList(body.type).map((s) => s.toUpperCase())
    const statuses = asStringList(body.status).map((s) => s.toUpperCase())

    const found = query
      ? records
          .filter((r) => r.data.inn === query || r.data.ogrn === query)
          .filter((r) => kpp === undefined || r.data.kpp === kpp)
          .filter((r) => branchTypes.length === 0 || branchTypes.includes(String(r.data.branch_type ?? '')))
          .filter((r) => types.length === 0 || types.includes(r.data.type))
          .filter((r) => statuses.length === 0 || statuses.includes(String((r.data.state as { status?: unknown } | null)?.status ?? '')))
          .map((r, i) => ({ r, i }))
          .sort((a, b) => branchRank(a.r) - branchRank(b.r) || a.i - b.i)
          .slice(0, count)
          .map(({ r }) => structuredClone(r))
      : []

    usageByDay.set(`${token}|${today()}`, usage(token) + 1)
    return json(200, { suggestions: found })
  }

  /** Account APIs need both `Authorization: Token` and `X-Secret` (spec §2.1). */
  function account(req: EmulatorRequest): { token: string } | EmulatorResponse {
    const token = readToken(req)
    const secret = req.headers['x-secret']
    if (!token || typeof secret !== 'string' || !secret) {
      return errorBody(401, 'Unauthorized', 'You should provide Authorization header with your api token and X-Secret header with your secret key')
    }
    if (!accounts.has(token) || accounts.get(token) !== secret) return errorBody(403, 'Forbidden', 'Invalid API key or secret key')
    return { token }
  }

  const router = new Router()
    .add('POST', DADATA_FIND_PARTY_PATH, findParty)
    .add('*', DADATA_FIND_PARTY_PATH, (req) => errorBody(405, 'Method Not Allowed', `Request method '${req.method}' not supported`))
    .add('GET', DADATA_STAT_PATH, (req) => {
      const auth = account(req)
      if (!('token' in auth)) return auth
      const date = typeof req.query.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.date) ? req.query.date : today()
      return json(200, { date, services: { merging: 0, suggestions: usage(auth.token, date), clean: 0, company: 0 } })
    })
    .add('GET', DADATA_BALANCE_PATH, (req) => {
      const auth = account(req)
      if (!('token' in auth)) return auth
      return json(200, { balance: switches.balance })
    })

  const control = new Router()
    .add('GET', '/records', () => ({ body: { suggestions: records } }))
    .add('POST', '/records', (req) => {
      try {
        const added = normalizeDaDataRecords(req.body)
        records.push(...added)
        return { status: 201, body: { added: added.length, total: records.length } }
      } catch (error) {
        return { status: 400, body: { error: (error as Error).message } }
      }
    })
    .add('DELETE', '/records', () => {
      records.length = 0
      return { status: 204 }
    })
    .add('DELETE', '/records/:id', (_req, params) => {
      const before = records.length
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i]!
        if (r.data.inn === params.id || r.data.ogrn === params.id || r.data.hid === params.id) records.splice(i, 1)
      }
      return { body: { removed: before - records.length } }
    })
    .add('GET', '/keys', () => ({ body: { keys: [...accounts].map(([apiKey, secretKey]) => ({ apiKey, hasSecret: Boolean(secretKey) })) } }))
    .add('POST', '/keys', (req) => {
      const apiKey = req.body?.apiKey
      if (typeof apiKey !== 'string' || !apiKey) return { status: 400, body: { error: 'apiKey is required' } }
      const secretKey = typeof req.body?.secretKey === 'string' ? req.body.secretKey : undefined
      accounts.set(apiKey, secretKey)
      return { status: 201, body: { apiKey, hasSecret: Boolean(secretKey) } }
    })
    .add('DELETE', '/keys/:key', (_req, params) => ({ body: { removed: accounts.delete(params.key!) } }))
    .add('GET', '/quota', () => ({
      body: {
        day: today(),
        dailyQuota: switches.dailyQuota,
        usage: Object.fromEntries([...accounts.keys()].map((k) => [k, usage(k)])),
      },
    }))
    .add('PUT', '/quota', (req) => {
      const body = req.body ?? {}
      if (typeof body.dailyQuota === 'number') switches.dailyQuota = body.dailyQuota
      if (typeof body.used === 'number') {
        const keys = typeof body.apiKey === 'string' ? [body.apiKey] : [...accounts.keys()]
        for (const k of keys) usageByDay.set(`${k}|${today()}`, body.used)
      }
      return { body: { day: today(), dailyQuota: switches.dailyQuota, usage: Object.fromEntries([...accounts.keys()].map((k) => [k, usage(k)])) } }
    })
    .add('GET', '/config', () => ({ body: switches }))
    .add('PATCH', '/config', (req) => ({ body: applySwitchPatch(switches, Object.keys(defaultDaDataSwitches) as (keyof DaDataSwitches)[], req.body) }))
    .add('POST', '/reset', () => {
      records.splice(0, records.length, ...structuredClone(initialRecords))
      Object.assign(switches, initialSwitches)
      usageByDay.clear()
      perSecond.clear()
      faults.clear()
      clock.reset()
      return { status: 204 }
    })

  const started = await startEmulator({ name: 'dadata', router, control, faults, clock, port: options.port, host: options.host })
  return {
    url: started.url,
    close: () => started.close(),
    switches,
    faults,
    clock,
    records,
    addRecords: (input) => {
      const added = normalizeDaDataRecords(input)
      records.push(...added)
      return added
    },
    accounts,
    usage: (apiKey) => usage(apiKey),
    setUsage: (apiKey, used) => void usageByDay.set(`${apiKey}|${today()}`, used),
    requests: async () => {
      const res = await fetch(`${started.url}/__emulator/requests`)
      return ((await res.json()) as { requests: LoggedRequest[] }).requests
    },
  }
}
