/**
 * A generic OAuth 2.0 authorization server (authorization-code grant, rotating refresh tokens).
 *
 * ASSUMPTION: spec §1.2 found NO partner OAuth at MoeDelo. This exists only so the app's configurable
 * OAuth2 credential strategy has something to run against; it is off unless `oauth.enabled`.
 */
import { randomBytes } from 'node:crypto'
import type { EmulatorRequest, EmulatorResponse, Router, VirtualClock } from '../shared/http'
import type { EmulatorStore } from './state'

export interface OAuthServerOptions {
  enabled: boolean
  clientId: string
  clientSecret: string
  /** Access-token lifetime (default 3600 s, measured on the emulator's virtual clock). */
  accessTokenTtlSeconds?: number
  /** Authorization-code lifetime (default 600 s). */
  codeTtlSeconds?: number
  /** Issue a new refresh token on every refresh and invalidate the old one (default true). */
  rotateRefreshTokens?: boolean
  /** Allowed redirect URIs; absent = any http(s) URI. */
  redirectUris?: string[]
}

interface CodeGrant {
  apiKey: string
  clientId: string
  redirectUri: string
  scope: string
  expiresAt: number
}

interface AccessGrant {
  apiKey: string
  scope: string
  expiresAt: number
}

interface RefreshGrant {
  apiKey: string
  clientId: string
  scope: string
}

const token = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url')}`

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, headers: { 'cache-control': 'no-store' }, body: { error, error_description: description } }
}

function param(req: EmulatorRequest, name: string): string | undefined {
  const fromBody = req.body?.[name]
  const value = fromBody ?? req.query[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

export class OAuthServer {
  private readonly codes = new Map<string, CodeGrant>()
  private readonly access = new Map<string, AccessGrant>()
  private readonly refresh = new Map<string, RefreshGrant>()
  /** Counters for tests: how many tokens were issued by each grant. */
  readonly stats = { codesIssued: 0, authorizationCodeGrants: 0, refreshGrants: 0 }

  constructor(
    readonly options: OAuthServerOptions,
    private readonly store: EmulatorStore,
    private readonly clock: VirtualClock,
  ) {}

  /** The firm behind a bearer token, or why not. */
  resolveBearer(accessToken: string): { apiKey: string } | { error: 'invalid' | 'expired' } {
    const grant = this.access.get(accessToken)
    if (!grant) return { error: 'invalid' }
    if (grant.expiresAt <= this.clock.nowMs()) return { error: 'expired' }
    return { apiKey: grant.apiKey }
  }

  /** Expires every access token now (tests use it to force a refresh). */
  expireAccessTokens(): number {
    for (const grant of this.access.values()) grant.expiresAt = 0
    return this.access.size
  }

  revokeRefreshTokens(): number {
    const n = this.refresh.size
    this.refresh.clear()
    return n
  }

  private redirectAllowed(uri: string): boolean {
    if (this.options.redirectUris) return this.options.redirectUris.includes(uri)
    try {
      const u = new URL(uri)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  }

  issueCode(apiKey: string, clientId: string, redirectUri: string, scope: string): string {
    const code = token('code')
    this.codes.set(code, {
      apiKey,
      clientId,
      redirectUri,
      scope,
      expiresAt: this.clock.nowMs() + (this.options.codeTtlSeconds ?? 600) * 1000,
    })
    this.stats.codesIssued += 1
    return code
  }

  private issueTokens(apiKey: string, clientId: string, scope: string, withRefresh: boolean) {
    const ttl = this.options.accessTokenTtlSeconds ?? 3600
    const accessToken = token('at')
    this.access.set(accessToken, { apiKey, scope, expiresAt: this.clock.nowMs() + ttl * 1000 })
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, scope }
    if (withRefresh) {
      const refreshToken = token('rt')
      this.refresh.set(refreshToken, { apiKey, clientId, scope })
      body.refresh_token = refreshToken
    }
    return body
  }

  /** Client authentication: HTTP Basic or client_id/client_secret in the body (RFC 6749 §2.3.1). */
  private authenticateClient(req: EmulatorRequest): string | undefined {
    let id = param(req, 'client_id')
    let secret = param(req, 'client_secret')
    const header = req.headers.authorization
    if (typeof header === 'string' && header.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
      const sep = decoded.indexOf(':')
      id = decodeURIComponent(decoded.slice(0, sep))
      secret = decodeURIComponent(decoded.slice(sep + 1))
    }
    return id === this.options.clientId && secret === this.options.clientSecret ? id : undefined
  }

  private consentPage(req: EmulatorRequest): EmulatorResponse {
    const clientId = param(req, 'client_id')
    const redirectUri = param(req, 'redirect_uri')
    if (!clientId || clientId !== this.options.clientId) {
      return { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Неизвестное приложение (client_id)</h1>' }
    }
    if (!redirectUri || !this.redirectAllowed(redirectUri)) {
      return { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Недопустимый redirect_uri</h1>' }
    }
    if (param(req, 'response_type') !== 'code') return this.redirectWithError(redirectUri, 'unsupported_response_type', param(req, 'state'))
    const firms = [...this.store.firms.values()]
    const preselected = param(req, 'firm')
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'response_type']
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(param(req, name) ?? '')}">`)
      .join('')
    const options = firms
      .map(
        (f) =>
          `<option value="${escapeHtml(f.apiKey)}"${f.apiKey === preselected ? ' selected' : ''}>${escapeHtml(f.name)}</option>`,
      )
      .join('')
    const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Моё дело — доступ приложения</title></head>
<body><h1>Приложение запрашивает доступ к данным «Моё дело»</h1>
<form method="post" action="/oauth/authorize">${hidden}
<label>Организация <select name="firm">${options}</select></label>
<button type="submit" name="decision" value="allow">Разрешить</button>
<button type="submit" name="decision" value="deny">Отклонить</button>
</form></body></html>`
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }
  }

  private redirectWithError(redirectUri: string, error: string, state: string | undefined): EmulatorResponse {
    const url = new URL(redirectUri)
    url.searchParams.set('error', error)
    if (state) url.searchParams.set('state', state)
    return { status: 302, headers: { location: url.toString() } }
  }

  private decide(req: EmulatorRequest): EmulatorResponse {
    const clientId = param(req, 'client_id')
    const redirectUri = param(req, 'redirect_uri')
    const state = param(req, 'state')
    if (clientId !== this.options.clientId || !redirectUri || !this.redirectAllowed(redirectUri)) {
      return { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Неверный запрос</h1>' }
    }
    if (param(req, 'decision') !== 'allow') return this.redirectWithError(redirectUri, 'access_denied', state)
    const apiKey = param(req, 'firm')
    if (!apiKey || !this.store.firms.has(apiKey)) return this.redirectWithError(redirectUri, 'access_denied', state)
    const code = this.issueCode(apiKey, clientId, redirectUri, param(req, 'scope') ?? '')
    const url = new URL(redirectUri)
    url.searchParams.set('code', code)
    if (state) url.searchParams.set('state', state)
    return { status: 302, headers: { location: url.toString() } }
  }

  private tokenEndpoint(req: EmulatorRequest): EmulatorResponse {
    const clientId = this.authenticateClient(req)
    if (!clientId) return oauthError(401, 'invalid_client', 'Client authentication failed')
    const grantType = param(req, 'grant_type')
    if (grantType === 'authorization_code') {
      const code = param(req, 'code')
      const grant = code ? this.codes.get(code) : undefined
      if (!code || !grant) return oauthError(400, 'invalid_grant', 'Unknown or used authorization code')
      this.codes.delete(code)
      if (grant.expiresAt <= this.clock.nowMs()) return oauthError(400, 'invalid_grant', 'Authorization code expired')
      if (grant.clientId !== clientId) return oauthError(400, 'invalid_grant', 'Code was issued to another client')
      if (grant.redirectUri !== param(req, 'redirect_uri')) return oauthError(400, 'invalid_grant', 'redirect_uri mismatch')
      if (!this.store.firms.has(grant.apiKey)) return oauthError(400, 'invalid_grant', 'Firm no longer exists')
      this.stats.authorizationCodeGrants += 1
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: this.issueTokens(grant.apiKey, clientId, grant.scope, true) }
    }
    if (grantType === 'refresh_token') {
      const refreshToken = param(req, 'refresh_token')
      const grant = refreshToken ? this.refresh.get(refreshToken) : undefined
      if (!refreshToken || !grant || grant.clientId !== clientId) {
        return oauthError(400, 'invalid_grant', 'Unknown, used or revoked refresh token')
      }
      if (!this.store.firms.has(grant.apiKey)) return oauthError(400, 'invalid_grant', 'Firm no longer exists')
      const rotate = this.options.rotateRefreshTokens ?? true
      if (rotate) this.refresh.delete(refreshToken)
      this.stats.refreshGrants += 1
      const body = this.issueTokens(grant.apiKey, clientId, grant.scope, rotate)
      return { status: 200, headers: { 'cache-control': 'no-store' }, body }
    }
    return oauthError(400, 'unsupported_grant_type', `grant_type ${grantType ?? '(missing)'} is not supported`)
  }

  register(router: Router): void {
    router
      .add('GET', '/oauth/authorize', (req) => this.consentPage(req))
      .add('POST', '/oauth/authorize', (req) => this.decide(req))
      .add('POST', '/oauth/token', (req) => this.tokenEndpoint(req))
  }

  registerControl(control: Router): void {
    control
      .add('POST', '/oauth/code', (req) => {
        const body = req.body ?? {}
        const apiKey = String(body.apiKey ?? '')
        const redirectUri = String(body.redirectUri ?? '')
        if (!this.store.firms.has(apiKey)) return { status: 404, body: { error: 'unknown apiKey' } }
        if (!this.redirectAllowed(redirectUri)) return { status: 400, body: { error: 'redirectUri not allowed' } }
        const clientId = typeof body.clientId === 'string' ? body.clientId : this.options.clientId
        const code = this.issueCode(apiKey, clientId, redirectUri, typeof body.scope === 'string' ? body.scope : '')
        return { status: 201, body: { code } }
      })
      .add('POST', '/oauth/expire-access-tokens', () => ({ body: { expired: this.expireAccessTokens() } }))
      .add('POST', '/oauth/revoke-refresh-tokens', () => ({ body: { revoked: this.revokeRefreshTokens() } }))
      .add('GET', '/oauth/stats', () => ({ body: this.stats }))
  }
}
