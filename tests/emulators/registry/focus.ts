/**
 * Kontur.Focus emulator: `GET /api3/req` and `GET /api3/egrDetails` (spec §3, checklist §6).
 * API key in the `key` query parameter; plain-text 403/400 bodies as the Ruby client expects them
 * (spec §3.1). Behaviour the spec does not confirm (quota answer, POST, >100 ids, rate limits) is a
 * switch (`FocusSwitches`), changeable with `PATCH /__emulator/config`.
 */
import { FaultInjector, Router, startEmulator, VirtualClock, type EmulatorRequest, type EmulatorResponse, type LoggedRequest, applySwitchPatch } from '../shared/http'
import { defaultFocusEntities, type FocusEntity } from './focus-seed'
import { asStringList, isValidInn, isValidOgrn } from './util'

export const FOCUS_REQ_PATH = '/api3/req'
export const FOCUS_EGR_DETAILS_PATH = '/api3/egrDetails'
export const FOCUS_DEMO_KEY = 'demo0focus0key0000000000000000000000001'

export interface FocusSwitches {
  /** Requests (or ids, see `quotaUnit`) each key may spend; `null` = unlimited. [unverified: Focus sells request packages] */
  quota: number | null
  /** What one unit of quota is: one HTTP request, or one requested id. */
  quotaUnit: 'request' | 'id'
  /** The answer once the quota is spent — [unverified] assumption: 403 with a plain-text body. */
  quotaExceededStatus: number
  quotaExceededBody: string
  /** Ids per call (spec §3.1: ≤ 100). */
  maxIds: number
  /** Above `maxIds`: serve the first `maxIds`, or answer 400. [unverified] */
  overMaxIds: 'truncate' | 'reject'
  /** Drop ids failing the INN/OGRN checksum too, not only malformed ones (spec §3.1: "only the valid ones"). */
  validateChecksums: boolean
  /** Whether POST (form body) is accepted like GET (spec §8: unknown). When false → 405. */
  acceptPost: boolean
  /** Requests per second per key before 429 [unverified]. `null` = off. */
  rateLimitPerSecond: number | null
}

export const defaultFocusSwitches: FocusSwitches = {
  quota: null,
  quotaUnit: 'request',
  quotaExceededStatus: 403,
  quotaExceededBody: 'Request limit exceeded',
  maxIds: 100,
  overMaxIds: 'truncate',
  validateChecksums: true,
  acceptPost: false,
  rateLimitPerSecond: null,
}

export interface KonturFocusEmulatorOptions {
  port?: number
  host?: string
  /** Accepted `key` values. Default: `[FOCUS_DEMO_KEY]`. */
  keys?: string[]
  /** Shortcut for `switches.quota`. */
  quota?: number | null
  /** Entities to serve instead of the default seed. */
  records?: FocusEntity[]
  switches?: Partial<FocusSwitches>
}

export interface KonturFocusEmulator {
  url: string
  close(): Promise<void>
  readonly switches: FocusSwitches
  readonly faults: FaultInjector
  readonly clock: VirtualClock
  readonly entities: FocusEntity[]
  addRecords(input: unknown): FocusEntity[]
  readonly keys: Set<string>
  /** Quota units spent by `key`. */
  usage(key: string): number
  setUsage(key: string, used: number): void
  requests(): Promise<LoggedRequest[]>
}

const text = (status: number, body: string): EmulatorResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body,
})

/** Accepts an array, `{records:[…]}` or one entity; an entity is `{req, egrDetails?}` or a bare `req` item. */
export function normalizeFocusEntities(input: unknown): FocusEntity[] {
  const list: unknown[] = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && Array.isArray((input as Record<string, unknown>).records)
      ? ((input as Record<string, unknown>).records as unknown[])
      : [input]
  return list.map((item) => {
    const record = item as Record<string, unknown> | null
    if (!record || typeof record !== 'object') throw new Error('an entity must be an object')
    const req = (record.req ?? record) as Record<string, unknown>
    if (typeof req.inn !== 'string' || typeof req.ogrn !== 'string' || (!req.UL && !req.IP)) {
      throw new Error('an entity needs req.inn, req.ogrn (strings) and req.UL or req.IP')
    }
    const egrDetails = record.req ? (record.egrDetails as FocusEntity['egrDetails']) : undefined
    return { req: req as FocusEntity['req'], ...(egrDetails ? { egrDetails } : {}) }
  })
}

export async function startKonturFocusEmulator(options: KonturFocusEmulatorOptions = {}): Promise<KonturFocusEmulator> {
  const clock = new VirtualClock()
  const faults = new FaultInjector()
  const switches: FocusSwitches = { ...defaultFocusSwitches, ...(options.switches ?? {}) }
  if (options.quota !== undefined) switches.quota = options.quota
  const initialSwitches = { ...switches }

  const entities: FocusEntity[] = structuredClone(options.records ?? defaultFocusEntities())
  const initialEntities = structuredClone(entities)
  const keys = new Set(options.keys ?? [FOCUS_DEMO_KEY])
  const spent = new Map<string, number>()
  const perSecond = new Map<string, number>()

  function validId(kind: 'inn' | 'ogrn', id: string): boolean {
    if (kind === 'inn') return switches.validateChecksums ? isValidInn(id) : /^\d{10}(\d{2})?$/.test(id)
    return switches.validateChecksums ? isValidOgrn(id) : /^(\d{13}|\d{15})$/.test(id)
  }

  const handler = (method: 'req' | 'egrDetails') => (req: EmulatorRequest): EmulatorResponse => {
    if (req.method !== 'GET' && !(req.method === 'POST' && switches.acceptPost)) return text(405, 'Method Not Allowed')
    const params: Record<string, unknown> = req.method === 'POST' ? { ...req.query, ...(req.body ?? {}) } : req.query

    const key = asStringList(params.key)[0]
    if (!key || !keys.has(key)) return text(403, 'No valid key specified')

    if (switches.rateLimitPerSecond !== null) {
      const second = `${key}|${Math.floor(clock.nowMs() / 1000)}`
      const n = (perSecond.get(second) ?? 0) + 1
      perSecond.set(second, n)
      if (n > switches.rateLimitPerSecond) return text(429, 'Too Many Requests')
    }

    const split = (v: unknown) => asStringList(v).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)
    let ids = [
      ...split(params.inn).filter((id) => validId('inn', id)).map((id) => ({ kind: 'inn' as const, id })),
      ...split(params.ogrn).filter((id) => validId('ogrn', id)).map((id) => ({ kind: 'ogrn' as const, id })),
    ]
    if (ids.length === 0) return text(400, 'inn/ogrn param is not specified')
    if (ids.length > switches.maxIds) {
      if (switches.overMaxIds === 'reject') return text(400, `Too many ids: at most ${switches.maxIds} are allowed`)
      ids = ids.slice(0, switches.maxIds)
    }

    const cost = switches.quotaUnit === 'id' ? ids.length : 1
    const used = spent.get(key) ?? 0
    if (switches.quota !== null && used + cost > switches.quota) return text(switches.quotaExceededStatus, switches.quotaExceededBody)
    spent.set(key, used + cost)

    const out: Record<string, unknown>[] = []
    const seen = new Set<FocusEntity>()
    for (const { kind, id } of ids) {
      for (const entity of entities) {
        if (seen.has(entity) || entity.req[kind] !== id) continue
        const item = method === 'req' ? entity.req : entity.egrDetails
        if (!item) continue
        seen.add(entity)
        out.push(structuredClone(item))
      }
    }
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: out }
  }

  const router = new Router()
    .add('*', FOCUS_REQ_PATH, handler('req'))
    .add('*', FOCUS_EGR_DETAILS_PATH, handler('egrDetails'))

  const control = new Router()
    .add('GET', '/records', () => ({ body: { records: entities } }))
    .add('POST', '/records', (req) => {
      try {
        const added = normalizeFocusEntities(req.body)
        entities.push(...added)
        return { status: 201, body: { added: added.length, total: entities.length } }
      } catch (error) {
        return { status: 400, body: { error: (error as Error).message } }
      }
    })
    .add('DELETE', '/records', () => {
      entities.length = 0
      return { status: 204 }
    })
    .add('DELETE', '/records/:id', (_req, params) => {
      const before = entities.length
      for (let i = entities.length - 1; i >= 0; i--) {
        const e = entities[i]!
        if (e.req.inn === params.id || e.req.ogrn === params.id) entities.splice(i, 1)
      }
      return { body: { removed: before - entities.length } }
    })
    .add('GET', '/keys', () => ({ body: { keys: [...keys] } }))
    .add('POST', '/keys', (req) => {
      const key = req.body?.key
      if (typeof key !== 'string' || !key) return { status: 400, body: { error: 'key is required' } }
      keys.add(key)
      return { status: 201, body: { key } }
    })
    .add('DELETE', '/keys/:key', (_req, params) => ({ body: { removed: keys.delete(params.key!) } }))
    .add('GET', '/quota', () => ({ body: { quota: switches.quota, unit: switches.quotaUnit, spent: Object.fromEntries(spent) } }))
    .add('PUT', '/quota', (req) => {
      const body = req.body ?? {}
      if (typeof body.quota === 'number' || body.quota === null) switches.quota = body.quota as number | null
      if (typeof body.used === 'number') {
        const targets = typeof body.key === 'string' ? [body.key] : [...keys]
        for (const k of targets) spent.set(k, body.used)
      }
      return { body: { quota: switches.quota, unit: switches.quotaUnit, spent: Object.fromEntries(spent) } }
    })
    .add('GET', '/config', () => ({ body: switches }))
    .add('PATCH', '/config', (req) => ({ body: applySwitchPatch(switches, Object.keys(defaultFocusSwitches) as (keyof FocusSwitches)[], req.body) }))
    .add('POST', '/reset', () => {
      entities.splice(0, entities.length, ...structuredClone(initialEntities))
      Object.assign(switches, initialSwitches)
      spent.clear()
      perSecond.clear()
      faults.clear()
      clock.reset()
      return { status: 204 }
    })

  const started = await startEmulator({ name: 'kontur-focus', router, control, faults, clock, port: options.port, host: options.host })
  return {
    url: started.url,
    close: () => started.close(),
    switches,
    faults,
    clock,
    entities,
    addRecords: (input) => {
      const added = normalizeFocusEntities(input)
      entities.push(...added)
      return added
    },
    keys,
    usage: (key) => spent.get(key) ?? 0,
    setUsage: (key, used) => void spent.set(key, used),
    requests: async () => {
      const res = await fetch(`${started.url}/__emulator/requests`)
      return ((await res.json()) as { requests: LoggedRequest[] }).requests
    },
  }
}
