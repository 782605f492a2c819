/**
 * Authentication and tariff checks in front of every vendor route:
 * `md-api-key` (spec §1.1), optionally `Authorization: Bearer` when the OAuth switch is on,
 * per-key per-service 403, and an optional per-key token bucket (429).
 */
import type { EmulatorRequest, EmulatorResponse, Handler, RouteParams, VirtualClock } from '../shared/http'
import { errorResponse } from './legacy'
import type { OAuthServer } from './oauth'
import type { EmulatorStore, FirmState, MoeDeloService } from './state'
import type { MoeDeloSwitches } from './switches'

export interface EmulatorContext {
  store: EmulatorStore
  switches: MoeDeloSwitches
  clock: VirtualClock
  oauth?: OAuthServer
}

export type FirmHandler = (
  req: EmulatorRequest,
  params: RouteParams,
  firm: FirmState,
) => Promise<EmulatorResponse> | EmulatorResponse

function header(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function resolveFirm(req: EmulatorRequest, ctx: EmulatorContext): FirmState | undefined {
  const apiKey = header(req, 'md-api-key')?.trim()
  if (apiKey) return ctx.store.firms.get(apiKey)
  const authorization = header(req, 'authorization')
  if (ctx.oauth && authorization?.toLowerCase().startsWith('bearer ')) {
    const resolved = ctx.oauth.resolveBearer(authorization.slice(7).trim())
    return 'apiKey' in resolved ? ctx.store.firms.get(resolved.apiKey) : undefined
  }
  return undefined
}

const buckets = new WeakMap<FirmState, { tokens: number; at: number }>()

function takeToken(firm: FirmState, ctx: EmulatorContext): boolean {
  const limit = ctx.switches.rateLimit
  if (!limit) return true
  const now = ctx.clock.nowMs()
  const bucket = buckets.get(firm) ?? { tokens: limit.capacity, at: now }
  bucket.tokens = Math.min(limit.capacity, bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond)
  bucket.at = now
  buckets.set(firm, bucket)
  if (bucket.tokens < 1) return false
  bucket.tokens -= 1
  return true
}

/** Wraps a handler of one service with the checks; the handler receives the caller's firm. */
export function guarded(ctx: EmulatorContext, service: MoeDeloService, handler: FirmHandler): Handler {
  return (req, params) => {
    const firm = resolveFirm(req, ctx)
    if (!firm) {
      return errorResponse(401, ctx.switches.unauthorizedBody, { 'www-authenticate': ctx.oauth ? 'Bearer' : 'md-api-key' })
    }
    if (firm.forbiddenServices.has(service)) return errorResponse(403, ctx.switches.forbiddenBody)
    if (!takeToken(firm, ctx)) return errorResponse(429, ctx.switches.rateLimitedBody, { 'retry-after': '1' })
    return handler(req, params, firm)
  }
}
