/**
 * Thin DaData client (spec §2): `POST {baseUrl}/suggestions/api/4_1/rs/findById/party` with
 * `Authorization: Token <key>`, and `GET {accountBaseUrl}/api/v2/stat/daily` (needs `X-Secret`) to
 * tell a spent daily limit from a bad key — DaData answers both with the same 403 (spec §2.5, §2.6).
 */
import { msUntilMoscowMidnight, moscowToday } from '../dates'
import { parseRetryAfter, registryMessages, RegistryError } from '../errors'
import { bodyExcerpt, exchange, type Exchange } from '../http'
import { dailyStatsSchema, findPartyResponseSchema, type DaDataSuggestion, type FindPartyRequest } from './schema'

export const DADATA_SUGGESTIONS_URL = 'https://suggestions.dadata.ru'
export const DADATA_ACCOUNT_URL = 'https://dadata.ru'
export const FIND_PARTY_PATH = '/suggestions/api/4_1/rs/findById/party'
export const STAT_DAILY_PATH = '/api/v2/stat/daily'

export interface DaDataClientOptions {
  apiKey: string
  /** Optional `X-Secret`: lets a 403 be classified precisely (limit spent vs. bad key). */
  secretKey?: string
  /** Default `https://suggestions.dadata.ru`. */
  baseUrl?: string
  /** Statistics API host: default `https://dadata.ru`, or `baseUrl` when that is a custom URL. */
  accountBaseUrl?: string
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number
  fetch?: typeof fetch
  /** Clock for the Moscow-day bookkeeping (tests). */
  now?: () => number
}

const trimSlash = (s: string) => s.replace(/\/+$/, '')

export class DaDataClient {
  private readonly baseUrl: string
  private readonly accountBaseUrl: string
  private readonly timeoutMs: number
  private readonly fetchImpl: typeof fetch
  private readonly now: () => number
  private readonly secrets: string[]
  /** Moscow day of the last successful lookup: a later 403 that day can only be the daily limit. */
  private lastSuccessDay: string | undefined

  constructor(private readonly options: DaDataClientOptions) {
    this.baseUrl = trimSlash(options.baseUrl ?? DADATA_SUGGESTIONS_URL)
    // A custom base URL (proxy, emulator) serves both APIs unless told otherwise; the real hosts differ.
    this.accountBaseUrl = trimSlash(
      options.accountBaseUrl ?? (this.baseUrl === DADATA_SUGGESTIONS_URL ? DADATA_ACCOUNT_URL : this.baseUrl),
    )
    this.timeoutMs = options.timeoutMs ?? 10_000
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.now = options.now ?? Date.now
    this.secrets = [options.apiKey, options.secretKey ?? ''].filter(Boolean)
  }

  async findParty(request: FindPartyRequest): Promise<DaDataSuggestion[]> {
    const response = await exchange({
      provider: 'dadata',
      fetch: this.fetchImpl,
      url: this.baseUrl + FIND_PARTY_PATH,
      path: FIND_PARTY_PATH,
      init: {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Token ${this.options.apiKey}`,
        },
        body: JSON.stringify(request),
      },
      timeoutMs: this.timeoutMs,
      secrets: this.secrets,
    })
    if (response.status === 403) throw await this.forbidden(response)
    if (response.status !== 200) throw this.failure(FIND_PARTY_PATH, response)
    const parsed = findPartyResponseSchema.safeParse(this.json(FIND_PARTY_PATH, response))
    if (!parsed.success) {
      throw new RegistryError({
        kind: 'unexpected',
        provider: 'dadata',
        status: response.status,
        message: `DaData ${FIND_PARTY_PATH}: answer does not match the documented shape (${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')})`,
      })
    }
    this.lastSuccessDay = moscowToday(this.now())
    return parsed.data.suggestions
  }

  /** Today's (Moscow) suggestion-request count, from the statistics API. Needs the secret key. */
  async suggestionsUsedToday(): Promise<number> {
    if (!this.options.secretKey) throw new Error('DaData secret key is not configured')
    const response = await exchange({
      provider: 'dadata',
      fetch: this.fetchImpl,
      url: this.accountBaseUrl + STAT_DAILY_PATH,
      path: STAT_DAILY_PATH,
      init: {
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Token ${this.options.apiKey}`, 'x-secret': this.options.secretKey },
      },
      timeoutMs: this.timeoutMs,
      secrets: this.secrets,
    })
    if (response.status !== 200) throw this.failure(STAT_DAILY_PATH, response)
    const parsed = dailyStatsSchema.safeParse(this.json(STAT_DAILY_PATH, response))
    if (!parsed.success) {
      throw new RegistryError({ kind: 'unexpected', provider: 'dadata', message: `DaData ${STAT_DAILY_PATH}: unexpected answer` })
    }
    return parsed.data.services.suggestions ?? 0
  }

  private json(path: string, response: Exchange): unknown {
    try {
      return JSON.parse(response.text)
    } catch {
      throw new RegistryError({
        kind: 'unexpected',
        provider: 'dadata',
        status: response.status,
        message: `DaData ${path} → HTTP ${response.status} with a non-JSON body`,
      })
    }
  }

  private technical(path: string, response: Exchange): string {
    return `DaData ${path} → HTTP ${response.status}: ${bodyExcerpt(response.text, this.secrets)}`
  }

  private failure(path: string, response: Exchange): RegistryError {
    const { status } = response
    const message = this.technical(path, response)
    if (status === 401) return new RegistryError({ kind: 'unauthorized', provider: 'dadata', status, message })
    if (status === 403) return new RegistryError({ kind: 'unauthorized', provider: 'dadata', status, message })
    if (status === 429) {
      return new RegistryError({
        kind: 'rate_limited',
        provider: 'dadata',
        status,
        message,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), this.now()),
      })
    }
    if (status === 400 || status === 413) return new RegistryError({ kind: 'invalid_request', provider: 'dadata', status, message })
    if (status >= 500 || status === 408) return new RegistryError({ kind: 'unavailable', provider: 'dadata', status, message })
    return new RegistryError({ kind: 'unexpected', provider: 'dadata', status, message })
  }

  /**
   * 403 = unknown key, unconfirmed e-mail or the daily limit (same body). Evidence, in order: a success
   * earlier this Moscow day (→ limit); the statistics API with the secret key (works → the key is fine →
   * limit; 401/403 → bad key); otherwise the ambiguous `forbidden`.
   */
  private async forbidden(response: Exchange): Promise<RegistryError> {
    const message = this.technical(FIND_PARTY_PATH, response)
    const retryAfterMs = msUntilMoscowMidnight(this.now())
    const quota = (details: Record<string, unknown>) =>
      new RegistryError({
        kind: 'quota_exhausted',
        provider: 'dadata',
        status: 403,
        message: `${message} (daily limit spent)`,
        userMessage: registryMessages.quotaDaData,
        retryAfterMs,
        details,
      })
    if (this.lastSuccessDay === moscowToday(this.now())) return quota({ evidence: 'earlier success today' })
    if (this.options.secretKey) {
      try {
        const used = await this.suggestionsUsedToday()
        return quota({ evidence: 'statistics API', suggestionsToday: used })
      } catch (error) {
        if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
          return new RegistryError({ kind: 'unauthorized', provider: 'dadata', status: 403, message: `${message} (key rejected by the statistics API too)` })
        }
      }
    }
    return new RegistryError({ kind: 'forbidden', provider: 'dadata', status: 403, message, retryAfterMs })
  }
}
