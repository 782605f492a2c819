/** Runs one REST method for an authenticated context: lookup, batch allowance, scope, operating limit. */
import type { CallContext, MethodOutput } from '../portal'
import { isoUtc } from '../util'
import { RestError } from './errors'

export function timeBlock(startMs: number, endMs: number) {
  const start = startMs / 1000
  const finish = Math.max(endMs, startMs + 1) / 1000
  return {
    start,
    finish,
    duration: Number((finish - start).toFixed(6)),
    processing: Number((finish - start).toFixed(6)),
    date_start: isoUtc(new Date(startMs)),
    date_finish: isoUtc(new Date(endMs)),
    operating_reset_at: Math.floor(start) + 600,
    operating: 0,
  }
}

export function normaliseMethodName(raw: string): string {
  return raw.replace(/\.(json|xml)$/i, '').toLowerCase()
}

export function hasScope(granted: string, required: string | null): boolean {
  if (!required) return true
  const set = new Set(granted.split(',').map((s) => s.trim().toLowerCase()))
  return required.split('|').some((s) => set.has(s))
}

export async function executeMethod(ctx: CallContext, rawMethod: string): Promise<MethodOutput> {
  const name = normaliseMethodName(rawMethod)
  const def = ctx.portal.methods.get(name)
  if (!def) throw new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!')
  if (ctx.inBatch && def.noBatch) {
    throw new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage')
  }
  if (!hasScope(ctx.scope, def.scope)) {
    throw new RestError(
      403,
      'insufficient_scope',
      ctx.inBatch ? '' : 'The request requires higher privileges than provided by the access token',
    )
  }
  if (ctx.portal.operatingLimited.has(name)) {
    throw new RestError(429, 'OPERATION_TIME_LIMIT', `Method is blocked due to operation time limit.`)
  }
  return def.handler(ctx)
}
