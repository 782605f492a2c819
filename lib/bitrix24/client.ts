/**
 * The per-portal Bitrix24 client: one real SDK `B24OAuth` per portal per process (cached), with
 *
 * - token refresh owned by us (`setCustomRefreshAuth`): one refresh per portal at a time ACROSS
 *   processes, serialised by a `SELECT … FOR UPDATE` on the portal_tokens row; a process that
 *   finds a newer, unexpired pair in the row adopts it without contacting the OAuth server;
 *   the rotated pair is persisted encrypted in the same transaction;
 * - the shared per-portal leaky bucket (`rate_buckets`) taken before EVERY HTTP request
 *   (an axios request interceptor, so batch = 1 and the SDK's own retries count too);
 * - requests that were already on the wire with a token another call has just replaced are
 *   re-sent with the current token instead of triggering a second refresh (§5.10 refresh storm);
 * - no transport retries (`retryOnNetworkError: false`), a timeout on every request, a silent
 *   SDK logger (nothing that could print a token);
 * - batch results checked per command (legacy errors inside batch are invisible to the SDK).
 */
import {
  AjaxError,
  ApiVersion,
  B24OAuth,
  EnumAppStatus,
  LoggerFactory,
  ParamsFactory,
  type HandlerRefreshAuth,
  type RestrictionParams,
} from '@bitrix24/b24jssdk'
import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig } from 'axios'
import qs from 'qs'
import type { Database } from '@/db/client'
import { config } from '@/lib/config'
import {
  getPortal,
  getPortalTokens,
  lockPortalTokens,
  saveRotatedTokens,
  updatePortalEndpoints,
  type Portal,
} from '@/lib/portals/repository'
import { Bitrix24BatchError, Bitrix24Error, classifyRestError, type BatchCommandError } from './errors'
import { acquirePortalSlot, defaultRateLimit, type RateLimitParams } from './rate-limit'

export type BatchCommand = readonly [method: string, params?: Record<string, unknown>] | {
  method: string
  params?: Record<string, unknown>
}

export interface BatchResult {
  /** Results of the commands that succeeded, by key. */
  results: Record<string, unknown>
  /** Commands that failed (including legacy errors with an empty code, and commands that never ran). */
  errors: Record<string, BatchCommandError>
  /** `total` of list commands, by key. */
  totals: Record<string, number>
  ok: boolean
}

export interface CallListOptions {
  /** Id field in the response rows (default `ID`; `id` for crm.item.list). */
  idKey?: string
  /** Wrapper key of the rows (`items` for crm.item.list). */
  customKeyForResult?: string
}

export interface Bitrix24Client {
  readonly memberId: string
  /** One REST call; returns `result`. Throws `Bitrix24Error`. */
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>
  /** All rows of a list method (cursor pagination by id, no counting). */
  callList<T = unknown>(method: string, params?: Record<string, unknown>, options?: CallListOptions): Promise<T[]>
  /** Named commands, ≤ 50 per HTTP request (chunked, sequential, `halt=0`); each key checked on its own. */
  batch(calls: Record<string, BatchCommand>): Promise<BatchResult>
  /** Like `batch`, but throws `Bitrix24BatchError` (with the partial results) when any command failed. */
  batchOrThrow(calls: Record<string, BatchCommand>): Promise<Record<string, unknown>>
  /** The generation of the token pair this client currently holds (for tests and diagnostics). */
  readonly tokenGeneration: number
  /** Counters for diagnostics: OAuth refreshes made, newer pairs adopted, stale-token re-sends. */
  readonly stats: Readonly<ClientStats>
}

export interface ClientStats {
  refreshes: number
  adopted: number
  resent: number
}

export interface Bitrix24ClientOptions {
  /** Overrides the process default (`setDefaultRateLimit`) for this client. */
  rateLimit?: RateLimitParams
  /** Per-request timeout, ms (default: config HTTP_TIMEOUT_MS). */
  timeoutMs?: number
  /** OAuth refresh timeout, ms (default: min(HTTP_TIMEOUT_MS, 15 s)). */
  refreshTimeoutMs?: number
}

const MAX_BATCH = 50
/** A stored pair this close to expiry is not adopted; it is refreshed instead. */
const EXPIRY_MARGIN_SEC = 30

interface TokenState {
  accessToken: string
  generation: number
}

type TaggedConfig = InternalAxiosRequestConfig & { __b24Generation?: number; __b24Resent?: boolean }

class PortalClient implements Bitrix24Client {
  readonly sdk: B24OAuth
  readonly stats: ClientStats = { refreshes: 0, adopted: 0, resent: 0 }
  private readonly state: TokenState
  private readonly axios: AxiosInstance

  constructor(
    private readonly db: Database,
    readonly portal: Portal,
    tokens: { accessToken: string; refreshToken: string; expiresAt: number; userId: number | null; generation: number },
    private readonly options: Required<Pick<Bitrix24ClientOptions, 'timeoutMs' | 'refreshTimeoutMs'>> & {
      rateLimit?: RateLimitParams
    },
  ) {
    this.state = { accessToken: tokens.accessToken, generation: tokens.generation }
    const restrictionParams: Partial<RestrictionParams> = {
      ...ParamsFactory.getDefault(),
      // The shared database bucket is the limiter; the SDK's in-memory one would only add waits
      // that know nothing about other processes. Its 503 backoff stays as a last resort.
      rateLimit: { burstLimit: 100_000, drainRate: 100_000, adaptiveEnabled: false },
      adaptiveConfig: { ...ParamsFactory.getDefault().adaptiveConfig!, enabled: false },
      retryOnNetworkError: false,
      maxRetries: 3,
    }
    this.sdk = new B24OAuth(
      {
        applicationToken: '',
        userId: tokens.userId ?? 0,
        memberId: portal.memberId,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expires: tokens.expiresAt,
        expiresIn: 3600,
        scope: portal.scope,
        domain: portal.domain,
        clientEndpoint: portal.clientEndpoint,
        serverEndpoint: portal.serverEndpoint,
        status: appStatus(portal.status),
      },
      { clientId: config().B24_CLIENT_ID, clientSecret: config().B24_CLIENT_SECRET },
      { restrictionParams },
    )
    this.sdk.setLogger(LoggerFactory.createNullLogger())
    this.sdk.setCustomRefreshAuth(() => this.refreshFromDatabase())
    this.axios = this.sdk.getHttpClient(ApiVersion.v2).ajaxClient
    this.axios.defaults.timeout = options.timeoutMs
    this.installInterceptors()
  }

  get memberId(): string {
    return this.portal.memberId
  }

  get tokenGeneration(): number {
    return this.state.generation
  }

  private installInterceptors(): void {
    this.axios.interceptors.request.use(async (cfg: TaggedConfig) => {
      await acquirePortalSlot(this.db, this.memberId, this.options.rateLimit ?? defaultRateLimit())
      // Always send the newest token we know: a call that waited in a queue may carry an old one.
      if (cfg.data && typeof cfg.data === 'object' && typeof (cfg.data as Record<string, unknown>).auth === 'string') {
        cfg.data = { ...(cfg.data as Record<string, unknown>), auth: this.state.accessToken }
      }
      cfg.__b24Generation = this.state.generation
      return cfg
    })
    this.axios.interceptors.response.use(undefined, async (error: AxiosError) => {
      const cfg = error.config as TaggedConfig | undefined
      const code = (error.response?.data as { error?: unknown } | undefined)?.error
      const authFailure = error.response?.status === 401 && (code === 'expired_token' || code === 'invalid_token')
      if (cfg && authFailure && !cfg.__b24Resent && cfg.__b24Generation !== this.state.generation) {
        // Sent with a pair that has since been replaced: re-send with the current one, no refresh.
        cfg.__b24Resent = true
        this.stats.resent += 1
        if (typeof cfg.data === 'string') cfg.data = JSON.parse(cfg.data) as unknown
        return this.axios.request(cfg)
      }
      throw error
    })
  }

  /**
   * Called by the SDK when its token is expired or a request came back 401. Serialised per portal
   * across processes by the row lock; adopts a newer pair when another process already rotated.
   */
  private async refreshFromDatabase(): Promise<HandlerRefreshAuth> {
    const usedGeneration = this.state.generation
    const outcome = await this.db.transaction(async (tx) => {
      const row = await lockPortalTokens(tx, this.memberId)
      if (!row) {
        throw new Bitrix24Error({ kind: 'portal-inactive', code: 'PORTAL_NOT_INSTALLED', method: 'oauth/token' })
      }
      const nowSec = Math.floor(Date.now() / 1000)
      if (row.generation !== usedGeneration && row.expiresAt > nowSec + EXPIRY_MARGIN_SEC) {
        return { adopted: true as const, row }
      }
      const portal = (await getPortal(tx, this.memberId)) ?? this.portal
      const answer = await requestTokenRefresh(portal.serverEndpoint, row.refreshToken, this.options.refreshTimeoutMs)
      const expiresAt = Number(answer.expires) || nowSec + (Number(answer.expires_in) || 3600)
      const generation = await saveRotatedTokens(tx, this.memberId, {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresAt,
        userId: answer.user_id ? Number(answer.user_id) : null,
      })
      await updatePortalEndpoints(tx, this.memberId, {
        clientEndpoint: answer.client_endpoint,
        serverEndpoint: answer.server_endpoint,
        scope: answer.scope,
      })
      return {
        adopted: false as const,
        row: { ...row, accessToken: answer.access_token, refreshToken: answer.refresh_token, expiresAt, generation },
        answer,
      }
    })
    // Only after commit: the new pair is durable before anyone uses it.
    if (outcome.adopted) this.stats.adopted += 1
    else this.stats.refreshes += 1
    this.state.accessToken = outcome.row.accessToken
    this.state.generation = outcome.row.generation
    return {
      access_token: outcome.row.accessToken,
      refresh_token: outcome.row.refreshToken,
      expires: String(outcome.row.expiresAt),
      expires_in: String(Math.max(60, outcome.row.expiresAt - Math.floor(Date.now() / 1000))),
      // The SDK overwrites its endpoints with these; keep the ones its REST base was built from.
      client_endpoint: this.portal.clientEndpoint,
      server_endpoint: this.portal.serverEndpoint,
      member_id: this.memberId,
      scope: outcome.adopted ? this.portal.scope : (outcome.answer.scope ?? this.portal.scope),
      status: appStatus(this.portal.status),
      domain: this.portal.domain,
    } satisfies HandlerRefreshAuth
  }

  async call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    let result
    try {
      result = await this.sdk.actions.v2.call.make<T>({ method, params })
    } catch (error) {
      throw toBitrix24Error(error, method)
    }
    if (!result.isSuccess) throw toBitrix24Error(result.getErrors().next().value ?? result.getErrorMessages().join('; '), method)
    return result.getData()!.result as T
  }

  async callList<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    options: CallListOptions = {},
  ): Promise<T[]> {
    let result
    try {
      result = await this.sdk.actions.v2.callList.make<T>({
        method,
        params,
        ...(options.idKey ? { idKey: options.idKey } : {}),
        ...(options.customKeyForResult ? { customKeyForResult: options.customKeyForResult } : {}),
      })
    } catch (error) {
      throw toBitrix24Error(error, method)
    }
    if (!result.isSuccess) {
      const first = [...result.errors.values()][0]
      throw toBitrix24Error(first ?? result.getErrorMessages().join('; '), method)
    }
    return (result.getData() ?? []) as T[]
  }

  async batch(calls: Record<string, BatchCommand>): Promise<BatchResult> {
    const keys = Object.keys(calls)
    const out: BatchResult = { results: {}, errors: {}, totals: {}, ok: true }
    for (let i = 0; i < keys.length; i += MAX_BATCH) {
      const chunk = keys.slice(i, i + MAX_BATCH)
      const cmd: Record<string, string> = {}
      for (const key of chunk) cmd[key] = commandString(calls[key]!)
      const raw = await this.call<RawBatchResult>('batch', { halt: 0, cmd })
      const results = asRecord(raw?.result)
      const errors = asRecord(raw?.result_error)
      const totals = asRecord(raw?.result_total)
      for (const key of chunk) {
        if (key in errors) {
          const e = asRecord(errors[key])
          out.errors[key] = {
            key,
            code: typeof e.error === 'string' ? e.error : String(e.error ?? ''),
            description: typeof e.error_description === 'string' ? e.error_description : '',
          }
        } else if (key in results && results[key] !== undefined && results[key] !== null) {
          out.results[key] = results[key]
          if (key in totals) out.totals[key] = Number(totals[key])
        } else {
          out.errors[key] = { key, code: 'NO_RESULT', description: 'The command returned no result' }
        }
      }
    }
    out.ok = Object.keys(out.errors).length === 0
    return out
  }

  async batchOrThrow(calls: Record<string, BatchCommand>): Promise<Record<string, unknown>> {
    const result = await this.batch(calls)
    if (!result.ok) throw new Bitrix24BatchError(Object.values(result.errors), result.results)
    return result.results
  }
}

interface RawBatchResult {
  result?: unknown
  result_error?: unknown
  result_total?: unknown
  result_next?: unknown
}

function asRecord(value: unknown): Record<string, unknown> {
  // PHP serialises empty maps as [] (and array-mode batches as arrays): both index the same way.
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

function commandString(command: BatchCommand): string {
  const [method, params] = Array.isArray(command)
    ? (command as readonly [string, Record<string, unknown>?])
    : [(command as { method: string }).method, (command as { params?: Record<string, unknown> }).params]
  const query = params ? qs.stringify(params, { encodeValuesOnly: false, format: 'RFC3986' }) : ''
  return query ? `${method}?${query}` : method
}

function appStatus(status: string): (typeof EnumAppStatus)[keyof typeof EnumAppStatus] {
  return (Object.values(EnumAppStatus).find((v) => v === status) ?? EnumAppStatus.Free) as (typeof EnumAppStatus)[keyof typeof EnumAppStatus]
}

interface TokenAnswer {
  access_token: string
  refresh_token: string
  expires?: number | string
  expires_in?: number | string
  client_endpoint?: string
  server_endpoint?: string
  scope?: string
  status?: string
  user_id?: number | string
}

/** `https://oauth.bitrix24.tech/rest/` → `https://oauth.bitrix24.tech/oauth/token/`. */
export function oauthTokenUrl(serverEndpoint: string): string {
  const base = serverEndpoint.replace(/\/+$/, '').replace(/\/rest$/, '')
  return `${base}/oauth/token/`
}

/** `POST {serverEndpoint minus rest/}oauth/token/` with the app's client credentials. */
export async function requestTokenRefresh(
  serverEndpoint: string,
  refreshToken: string,
  timeoutMs: number,
): Promise<TokenAnswer> {
  const url = oauthTokenUrl(serverEndpoint)
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: config().B24_CLIENT_ID,
        client_secret: config().B24_CLIENT_SECRET,
        refresh_token: refreshToken,
      }),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    throw new Bitrix24Error({
      kind: timeout ? 'timeout' : 'network',
      code: timeout ? 'OAUTH_TIMEOUT' : 'OAUTH_NETWORK_ERROR',
      method: 'oauth/token',
      cause: error,
    })
  }
  let body: Record<string, unknown> = {}
  try {
    body = (await response.json()) as Record<string, unknown>
  } catch {
    body = {}
  }
  const error = typeof body.error === 'string' ? body.error : undefined
  if (!response.ok || error) {
    const code = error ?? `HTTP_${response.status}`
    const reinstall = ['invalid_grant', 'invalid_client', 'PAYMENT_REQUIRED', 'insufficient_scope', 'invalid_scope'].includes(
      code,
    )
    throw new Bitrix24Error({
      kind: reinstall ? 'reinstall-required' : response.status >= 500 ? 'server' : 'bad-request',
      code,
      status: response.status,
      method: 'oauth/token',
      description: typeof body.error_description === 'string' ? body.error_description : undefined,
      ...(reinstall
        ? {
            userMessage:
              code === 'PAYMENT_REQUIRED'
                ? 'Подписка на приложение в Битрикс24 закончилась. Продлите её, чтобы синхронизация продолжилась.'
                : 'Битрикс24 отклонил ключ доступа приложения. Переустановите приложение на портале (Приложения → Моё дело → Переустановить), чтобы восстановить связь.',
          }
        : {}),
    })
  }
  if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    throw new Bitrix24Error({ kind: 'server', code: 'OAUTH_BAD_ANSWER', method: 'oauth/token', status: response.status })
  }
  return body as unknown as TokenAnswer
}

/** Turns SDK / axios / unknown failures into our typed error; the token never appears in it. */
export function toBitrix24Error(error: unknown, method: string): Bitrix24Error {
  if (error instanceof Bitrix24Error) return error
  if (error instanceof AjaxError) {
    const original = (error as unknown as { originalError?: unknown }).originalError
    if (original instanceof Bitrix24Error) return original
    // Legacy methods answer 400 {"error":"", "error_description":"Not found"}: the SDK says
    // ERR_BAD_REQUEST and drops the description; it is still on the axios response.
    const data = (original as { response?: { data?: { error?: unknown; error_description?: unknown } } } | undefined)
      ?.response?.data
    const rawCode = typeof data?.error === 'string' && data.error ? data.error : error.code
    const description =
      typeof data?.error_description === 'string' && data.error_description ? data.error_description : error.message
    const status = error.status || undefined
    return new Bitrix24Error({
      kind: classifyRestError(rawCode, status, description),
      code: rawCode || 'ERR_BAD_REQUEST',
      status,
      method,
      description,
    })
  }
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause
    if (cause instanceof Bitrix24Error) return cause
    const code = (error as { code?: unknown }).code
    const codeText = typeof code === 'string' ? code : 'JSSDK_UNKNOWN_ERROR'
    return new Bitrix24Error({
      kind: classifyRestError(codeText, undefined, error.message),
      code: codeText,
      method,
      description: error.message,
    })
  }
  return new Bitrix24Error({ kind: 'server', code: 'UNKNOWN', method, description: String(error) })
}

// ---------------------------------------------------------------------------------------------
// One client per portal per process, per database handle.

const clients = new WeakMap<Database, Map<string, PortalClient>>()

/**
 * The client of an installed portal. Throws `Bitrix24Error` kind 'portal-inactive' when the
 * portal is unknown or uninstalled. The cached instance is replaced when the portal's endpoints
 * change (the SDK computes its REST base once) or when it was re-installed.
 */
export async function bitrix24For(
  db: Database,
  memberId: string,
  options: Bitrix24ClientOptions = {},
): Promise<Bitrix24Client> {
  const portal = await getPortal(db, memberId)
  if (!portal || portal.state === 'uninstalled') {
    clients.get(db)?.delete(memberId)
    throw new Bitrix24Error({ kind: 'portal-inactive', code: 'PORTAL_NOT_INSTALLED' })
  }
  let perDb = clients.get(db)
  if (!perDb) {
    perDb = new Map()
    clients.set(db, perDb)
  }
  const cached = perDb.get(memberId)
  if (
    cached &&
    cached.portal.clientEndpoint === portal.clientEndpoint &&
    cached.portal.serverEndpoint === portal.serverEndpoint
  ) {
    return cached
  }
  const tokens = await getPortalTokens(db, memberId)
  if (!tokens) throw new Bitrix24Error({ kind: 'portal-inactive', code: 'PORTAL_NOT_INSTALLED' })
  const timeoutMs = options.timeoutMs ?? config().HTTP_TIMEOUT_MS
  const client = new PortalClient(db, portal, tokens, {
    timeoutMs,
    refreshTimeoutMs: options.refreshTimeoutMs ?? Math.min(timeoutMs, 15_000),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  })
  perDb.set(memberId, client)
  return client
}

/** Drops cached clients (after uninstall, and between tests). */
export function forgetBitrix24Client(db: Database, memberId?: string): void {
  if (memberId === undefined) clients.delete(db)
  else clients.get(db)?.delete(memberId)
}
