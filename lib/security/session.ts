/**
 * Short-lived signed session tokens for the frame page's own API calls (no cookies: third-party
 * iframes lose them), built on the purpose-bound signed tokens of `signed-token.ts`.
 */
import { z } from 'zod'
import { issueSignedToken, verifySignedToken } from './signed-token'

export interface SessionClaims {
  memberId: string
  userId: number
  isAdmin: boolean
  entityType?: 'deal' | 'company' | string
  entityId?: number
  /** UI language of the Bitrix24 user. */
  lang?: 'ru' | 'en'
  /** The portal origin (`https://x.bitrix24.ru`), for `frame-ancestors`. */
  origin?: string
}

export interface VerifiedSession extends SessionClaims {
  /** Issued at / expires at, unix seconds. */
  iat: number
  exp: number
}

const PURPOSE = 'session'
export const DEFAULT_SESSION_TTL_SECONDS = 900

const claimsSchema = z.object({
  memberId: z.string().min(1).max(100),
  userId: z.number().int().nonnegative(),
  isAdmin: z.boolean(),
  entityType: z.string().max(50).optional(),
  entityId: z.number().int().nonnegative().optional(),
  lang: z.enum(['ru', 'en']).optional(),
  origin: z
    .string()
    .max(300)
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/)
    .optional(),
  iat: z.number().int(),
  exp: z.number().int(),
})

export function issueSession(claims: SessionClaims, ttlSeconds = DEFAULT_SESSION_TTL_SECONDS, nowMs = Date.now()): string {
  // Only the known claims are signed: callers may pass richer objects.
  const known = claimsSchema.omit({ iat: true, exp: true }).parse(claims)
  return issueSignedToken(PURPOSE, known, ttlSeconds, nowMs)
}

/** The claims of a valid, unexpired token; `null` for anything else (never throws). */
export function verifySession(token: string | null | undefined, nowMs = Date.now()): VerifiedSession | null {
  return verifySignedToken(PURPOSE, claimsSchema, token, nowMs)
}

/** Reads `Authorization: Bearer <token>`. */
export function sessionFromAuthorization(header: string | null | undefined, nowMs = Date.now()): VerifiedSession | null {
  if (!header) return null
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
  return match ? verifySession(match[1], nowMs) : null
}
