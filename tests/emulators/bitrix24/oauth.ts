/**
 * OAuth 2.0 server (spec §1.6): token issuing, refresh with rotation, authorization codes, and
 * token checks for REST calls.
 *
 * Choices where the vendor is silent: after a refresh the OLD refresh token is invalid
 * (`invalid_grant`), but the OLD access token stays valid until its own expiry.
 */
import type { EmulatorRequest, EmulatorResponse, VirtualClock } from '../shared/http'
import type { PortalState, TokenRecord } from './state'
import { randomToken } from './util'

export const REFRESH_TOKEN_TTL_MS = 180 * 86_400_000
const AUTH_CODE_TTL_MS = 30_000

export type TokenCheck =
  | { ok: true; token: TokenRecord }
  | { ok: false; status: number; error: string; description: string }

export interface OAuthEndpoints {
  domain: string
  clientEndpoint: string
  serverEndpoint: string
  memberId: string
}

export class TokenStore {
  private codes = new Map<string, { userId: number; expiresAt: number }>()

  constructor(
    private readonly state: PortalState,
    private readonly clock: VirtualClock,
    private readonly ttlSec: number,
  ) {}

  issue(userId: number, origin: string): TokenRecord {
    const now = this.clock.nowMs()
    const record: TokenRecord = {
      accessToken: randomToken(),
      refreshToken: randomToken(),
      userId,
      scope: this.state.app.scope,
      issuedAt: now,
      expiresAt: now + this.ttlSec * 1000,
      refreshUsed: false,
      revoked: false,
      origin,
    }
    this.state.tokens.push(record)
    return record
  }

  /** A still-valid token pair of this user (reused for event payloads), or a new one. */
  current(userId: number, origin: string): TokenRecord {
    const now = this.clock.nowMs()
    const existing = [...this.state.tokens]
      .reverse()
      .find((t) => t.userId === userId && !t.revoked && !t.refreshUsed && t.expiresAt - now > 60_000)
    return existing ?? this.issue(userId, origin)
  }

  check(accessToken: string): TokenCheck {
    const token = this.state.tokens.find((t) => t.accessToken === accessToken)
    if (!token || token.revoked) {
      return { ok: false, status: 401, error: 'NO_AUTH_FOUND', description: 'Wrong authorization data' }
    }
    if (token.expiresAt <= this.clock.nowMs()) {
      return { ok: false, status: 401, error: 'expired_token', description: 'The access token provided has expired.' }
    }
    return { ok: true, token }
  }

  refresh(refreshToken: string): TokenRecord | undefined {
    const old = this.state.tokens.find((t) => t.refreshToken === refreshToken)
    if (!old || old.refreshUsed || old.revoked) return undefined
    if (old.issuedAt + REFRESH_TOKEN_TTL_MS <= this.clock.nowMs()) return undefined
    old.refreshUsed = true
    this.state.refreshCount += 1
    return this.issue(old.userId, 'refresh')
  }

  createCode(userId: number): string {
    const code = randomToken()
    this.codes.set(code, { userId, expiresAt: this.clock.nowMs() + AUTH_CODE_TTL_MS })
    return code
  }

  exchangeCode(code: string): TokenRecord | undefined {
    const entry = this.codes.get(code)
    this.codes.delete(code)
    if (!entry || entry.expiresAt <= this.clock.nowMs()) return undefined
    return this.issue(entry.userId, 'authorization_code')
  }

  expireAll(): void {
    const past = this.clock.nowMs() - 1000
    for (const t of this.state.tokens) t.expiresAt = Math.min(t.expiresAt, past)
  }

  revokeAll(): void {
    for (const t of this.state.tokens) t.revoked = true
    this.codes.clear()
  }

  expiresSec(token: TokenRecord): number {
    return Math.floor(token.expiresAt / 1000)
  }
}

/** The token response body (spec §1.6). `domain` is the OAuth server host, not the portal. */
export function tokenResponse(token: TokenRecord, state: PortalState, ep: OAuthEndpoints, ttlSec: number) {
  return {
    access_token: token.accessToken,
    expires: Math.floor(token.expiresAt / 1000),
    expires_in: ttlSec,
    scope: token.scope,
    domain: new URL(ep.serverEndpoint).host,
    server_endpoint: ep.serverEndpoint,
    status: state.app.status,
    client_endpoint: ep.clientEndpoint,
    member_id: ep.memberId,
    user_id: token.userId,
    refresh_token: token.refreshToken,
  }
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } }
}

/** `POST /oauth/token/` (form) and `GET /oauth/token/?grant_type=…`. */
export function handleTokenRequest(
  req: EmulatorRequest,
  state: PortalState,
  tokens: TokenStore,
  ep: OAuthEndpoints,
  ttlSec: number,
): EmulatorResponse {
  const params: Record<string, unknown> = { ...req.query, ...(req.body ?? {}) }
  const str = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : '')
  const grantType = str('grant_type')
  if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required')
  if (str('client_id') !== state.app.clientId || str('client_secret') !== state.app.clientSecret) {
    return oauthError(401, 'invalid_client', 'Invalid client credentials')
  }
  if (!state.app.added) return oauthError(401, 'invalid_client', 'Application is not installed')
  if (grantType === 'refresh_token') {
    const refreshToken = str('refresh_token')
    if (!refreshToken) return oauthError(400, 'invalid_request', 'refresh_token is required')
    const token = tokens.refresh(refreshToken)
    if (!token) return oauthError(400, 'invalid_grant', 'Invalid refresh token')
    return { body: tokenResponse(token, state, ep, ttlSec) }
  }
  if (grantType === 'authorization_code') {
    const token = tokens.exchangeCode(str('code'))
    if (!token) return oauthError(400, 'invalid_grant', 'Invalid authorization code')
    return { body: tokenResponse(token, state, ep, ttlSec) }
  }
  return oauthError(400, 'unsupported_grant_type', `Unsupported grant type ${grantType}`)
}
