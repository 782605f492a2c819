/**
 * OAuth 2.0 authorization-code credentials with refresh-token rotation.
 *
 * MoeDelo has NOT confirmed a partner OAuth programme (spec §1.2): every URL and the client pair are
 * configuration. Tokens are persisted by the caller through `onTokens`; concurrent refreshes across
 * processes are serialised by the caller's `refreshLock`, inside which `loadTokens` re-reads the store
 * (another process may have rotated the refresh token already).
 */
import { z } from 'zod'
import type { CredentialStrategy } from './auth'
import { errorFromNetwork, MoeDeloError } from './errors'
import { moeDeloMessages } from './messages'

export interface OAuth2Tokens {
  accessToken: string
  refreshToken?: string
  /** Epoch milliseconds. */
  expiresAt: number
  tokenType: string
  scope?: string
}

export interface OAuth2Settings {
  authorizeUrl: string
  tokenUrl: string
  clientId: string
  clientSecret: string
  scopes?: string[]
  /** How the client authenticates at the token endpoint (default: `body`). */
  clientAuth?: 'body' | 'basic'
}

export type RefreshLock = <T>(fn: () => Promise<T>) => Promise<T>

export interface OAuth2CredentialsOptions extends OAuth2Settings {
  /** Tokens loaded from storage, if the portal is already connected. */
  tokens?: OAuth2Tokens
  /** Persists new tokens (after a code exchange or a refresh). Awaited before the tokens are used. */
  onTokens?: (tokens: OAuth2Tokens) => Promise<void> | void
  /** Serialises refreshes across processes (e.g. a database advisory lock). Default: in-process only. */
  refreshLock?: RefreshLock
  /** Re-reads persisted tokens inside the lock. */
  loadTokens?: () => Promise<OAuth2Tokens | undefined>
  /** Refresh this long before expiry (default 60 s). */
  refreshMarginMs?: number
  timeoutMs?: number
  fetch?: typeof fetch
  now?: () => number
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().default('Bearer'),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
})

const noLock: RefreshLock = (fn) => fn()

export class OAuth2Credentials implements CredentialStrategy {
  readonly kind = 'oauth2' as const
  readonly unauthorizedMessage = moeDeloMessages.oauthRevoked
  private tokens: OAuth2Tokens | undefined
  private inFlight: Promise<OAuth2Tokens> | undefined
  private readonly fetchImpl: typeof fetch
  private readonly now: () => number

  constructor(private readonly options: OAuth2CredentialsOptions) {
    this.tokens = options.tokens
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.now = options.now ?? Date.now
  }

  currentTokens(): OAuth2Tokens | undefined {
    return this.tokens
  }

  /** The consent URL to send the user's browser to. */
  authorizationUrl(state: string, redirectUri: string): string {
    const url = new URL(this.options.authorizeUrl)
    url.searchParams.set('response_type', 'code')
    url.searchParams.set('client_id', this.options.clientId)
    url.searchParams.set('redirect_uri', redirectUri)
    url.searchParams.set('state', state)
    if (this.options.scopes?.length) url.searchParams.set('scope', this.options.scopes.join(' '))
    return url.toString()
  }

  /** Exchanges the code from the redirect for tokens and persists them. */
  async exchangeCode(code: string, redirectUri: string): Promise<OAuth2Tokens> {
    const tokens = await this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri })
    await this.store(tokens)
    return tokens
  }

  /** Refreshes now (one refresh at a time in this process; the lock covers other processes). */
  refresh(staleAccessToken?: string): Promise<OAuth2Tokens> {
    this.inFlight ??= this.refreshLocked(staleAccessToken ?? this.tokens?.accessToken).finally(() => {
      this.inFlight = undefined
    })
    return this.inFlight
  }

  async apply(headers: Headers): Promise<void> {
    let tokens = this.tokens
    if (!tokens && this.options.loadTokens) tokens = this.tokens = await this.options.loadTokens()
    if (!tokens) {
      throw new MoeDeloError({ kind: 'unauthorized', message: 'MoeDelo OAuth: not connected', userMessage: moeDeloMessages.oauthNotConnected })
    }
    if (this.isExpiring(tokens)) tokens = await this.refresh(tokens.accessToken)
    const type = !tokens.tokenType || /^bearer$/i.test(tokens.tokenType) ? 'Bearer' : tokens.tokenType
    headers.set('authorization', `${type} ${tokens.accessToken}`)
  }

  async recoverFromUnauthorized(rejected: Headers): Promise<boolean> {
    const used = rejected.get('authorization')?.replace(/^\S+\s+/, '')
    if (!this.tokens?.refreshToken && !this.options.loadTokens) return false
    await this.refresh(used)
    return true
  }

  private isExpiring(tokens: OAuth2Tokens): boolean {
    return tokens.expiresAt - (this.options.refreshMarginMs ?? 60_000) <= this.now()
  }

  private async refreshLocked(staleAccessToken: string | undefined): Promise<OAuth2Tokens> {
    const lock = this.options.refreshLock ?? noLock
    return lock(async () => {
      const stored = (await this.options.loadTokens?.()) ?? this.tokens
      if (stored && stored.accessToken !== staleAccessToken && !this.isExpiring(stored)) {
        this.tokens = stored // someone else refreshed while we waited for the lock
        return stored
      }
      const refreshToken = stored?.refreshToken
      if (!refreshToken) {
        throw new MoeDeloError({ kind: 'unauthorized', message: 'MoeDelo OAuth: no refresh token', userMessage: moeDeloMessages.oauthRevoked })
      }
      const fresh = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken })
      const tokens = { ...fresh, refreshToken: fresh.refreshToken ?? refreshToken }
      await this.store(tokens)
      return tokens
    })
  }

  private async store(tokens: OAuth2Tokens): Promise<void> {
    await this.options.onTokens?.(tokens)
    this.tokens = tokens
  }

  private async tokenRequest(params: Record<string, string>): Promise<OAuth2Tokens> {
    const form = new URLSearchParams(params)
    const headers = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' })
    if (this.options.clientAuth === 'basic') {
      const pair = `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`
      headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`)
    } else {
      form.set('client_id', this.options.clientId)
      form.set('client_secret', this.options.clientSecret)
    }
    const timeoutMs = this.options.timeoutMs ?? 30_000
    const context = { method: 'POST', path: 'oauth token endpoint', timeoutMs }
    let response: Response
    let text: string
    try {
      response = await this.fetchImpl(this.options.tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      })
      text = await response.text()
    } catch (error) {
      throw errorFromNetwork(error, context)
    }
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    if (!response.ok) {
      const code = (body as { error?: unknown } | undefined)?.error
      if (response.status >= 500 || response.status === 429) {
        throw new MoeDeloError({
          kind: response.status === 429 ? 'rate_limited' : 'unavailable',
          status: response.status,
          message: `MoeDelo OAuth token endpoint → HTTP ${response.status}`,
        })
      }
      // invalid_grant / invalid_client and friends: the grant is gone, the user must reconnect.
      throw new MoeDeloError({
        kind: 'unauthorized',
        status: response.status,
        message: `MoeDelo OAuth token endpoint → HTTP ${response.status} ${typeof code === 'string' ? code : ''}`.trim(),
        userMessage: moeDeloMessages.oauthRevoked,
      })
    }
    const parsed = tokenResponseSchema.safeParse(body)
    if (!parsed.success) {
      throw new MoeDeloError({ kind: 'unexpected', status: response.status, message: `MoeDelo OAuth: malformed token response (${parsed.error.message})` })
    }
    const t = parsed.data
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      tokenType: t.token_type,
      scope: t.scope,
      expiresAt: this.now() + (t.expires_in ?? 3600) * 1000,
    }
  }
}
