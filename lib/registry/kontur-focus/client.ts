/**
 * Thin Kontur.Focus client (spec §3): `GET {baseUrl}/api3/<method>?key=<KEY>&inn=<INN,…>`. The key
 * travels in the query string, so URLs are never put into messages — only the path.
 */
import { parseRetryAfter, RegistryError } from '../errors'
import { bodyExcerpt, exchange, type Exchange } from '../http'
import { egrDetailsResponseSchema, reqResponseSchema, type FocusEgrDetailsItem, type FocusReqItem } from './schema'

export const FOCUS_API_URL = 'https://focus-api.kontur.ru'

/** Focus's plain-text 403 for a missing/unknown key (spec §3.1). */
const NO_VALID_KEY = 'No valid key specified'

export interface KonturFocusClientOptions {
  apiKey: string
  /** Default `https://focus-api.kontur.ru`. */
  baseUrl?: string
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number
  fetch?: typeof fetch
}

export interface FocusIds {
  inn?: string[]
  ogrn?: string[]
}

export class KonturFocusClient {
  private readonly baseUrl: string
  private readonly timeoutMs: number
  private readonly fetchImpl: typeof fetch

  constructor(private readonly options: KonturFocusClientOptions) {
    this.baseUrl = (options.baseUrl ?? FOCUS_API_URL).replace(/\/+$/, '')
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.fetchImpl = options.fetch ?? globalThis.fetch
  }

  async req(ids: FocusIds): Promise<FocusReqItem[]> {
    const body = await this.get('req', ids)
    return this.parse('/api3/req', reqResponseSchema, body)
  }

  async egrDetails(ids: FocusIds): Promise<FocusEgrDetailsItem[]> {
    const body = await this.get('egrDetails', ids)
    return this.parse('/api3/egrDetails', egrDetailsResponseSchema, body)
  }

  private async get(method: 'req' | 'egrDetails', ids: FocusIds): Promise<unknown> {
    const path = `/api3/${method}`
    const query = new URLSearchParams({ key: this.options.apiKey })
    if (ids.inn?.length) query.set('inn', ids.inn.join(','))
    if (ids.ogrn?.length) query.set('ogrn', ids.ogrn.join(','))
    const response = await exchange({
      provider: 'kontur_focus',
      fetch: this.fetchImpl,
      url: `${this.baseUrl}${path}?${query.toString()}`,
      path,
      init: { method: 'GET', headers: { accept: 'application/json' } },
      timeoutMs: this.timeoutMs,
      secrets: [this.options.apiKey],
    })
    if (response.status !== 200) throw this.failure(path, response)
    try {
      return JSON.parse(response.text)
    } catch {
      throw new RegistryError({
        kind: 'unexpected',
        provider: 'kontur_focus',
        status: 200,
        message: `Kontur.Focus ${path} → HTTP 200 with a non-JSON body`,
      })
    }
  }

  private parse<T>(path: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
    const parsed = schema.safeParse(body)
    if (parsed.success) return parsed.data
    throw new RegistryError({
      kind: 'unexpected',
      provider: 'kontur_focus',
      status: 200,
      message: `Kontur.Focus ${path}: answer does not match the documented shape (${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.map(String).join('.')}: ${i.message}`)
        .join('; ')})`,
    })
  }

  private failure(path: string, response: Exchange): RegistryError {
    const { status } = response
    const text = bodyExcerpt(response.text, [this.options.apiKey])
    const message = `Kontur.Focus ${path} → HTTP ${status}: ${text}`
    if (status === 401 || (status === 403 && text === NO_VALID_KEY)) {
      return new RegistryError({ kind: 'unauthorized', provider: 'kontur_focus', status, message })
    }
    // Any other 403 is taken for a spent request package / tariff limit [unverified, spec §3.1, §8].
    if (status === 403) return new RegistryError({ kind: 'quota_exhausted', provider: 'kontur_focus', status, message })
    if (status === 429) {
      return new RegistryError({
        kind: 'rate_limited',
        provider: 'kontur_focus',
        status,
        message,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      })
    }
    if (status === 400) return new RegistryError({ kind: 'invalid_request', provider: 'kontur_focus', status, message })
    if (status >= 500 || status === 408) return new RegistryError({ kind: 'unavailable', provider: 'kontur_focus', status, message })
    return new RegistryError({ kind: 'unexpected', provider: 'kontur_focus', status, message })
  }
}
