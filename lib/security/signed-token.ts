/**
 * Compact signed tokens: `v1.<base64url(JSON)>.<HMAC>`, the HMAC bound to a purpose so a token
 * made for one use (a frame session, an OAuth state) is worthless for another. Verification is
 * constant-time, checks expiry and the payload's shape, and never throws.
 */
import type { z } from 'zod'
import { safeEqual, sign } from './crypto'

const VERSION = 'v1'
const MAX_TOKEN_LENGTH = 4096

export interface Expiring {
  iat: number
  exp: number
}

const mac = (purpose: string, body: string) => sign(`${purpose}.${VERSION}.${body}`)

export function issueSignedToken<T extends object>(purpose: string, payload: T, ttlSeconds: number, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000)
  const body = Buffer.from(JSON.stringify({ ...payload, iat, exp: iat + Math.max(1, Math.floor(ttlSeconds)) }), 'utf8').toString('base64url')
  return `${VERSION}.${body}.${mac(purpose, body)}`
}

export function verifySignedToken<S extends z.ZodType<Expiring>>(
  purpose: string,
  schema: S,
  token: string | null | undefined,
  nowMs = Date.now(),
): z.infer<S> | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== VERSION) return null
  const [, body, signature] = parts as [string, string, string]
  if (!safeEqual(mac(purpose, body), signature)) return null
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  const parsed = schema.safeParse(decoded)
  if (!parsed.success || parsed.data.exp <= Math.floor(nowMs / 1000)) return null
  return parsed.data
}
