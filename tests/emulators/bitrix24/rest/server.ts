/**
 * HTTP side of the REST API (spec §1.7, §6 "Routing"): `/rest/<method>[.json]`, `/rest//<method>`,
 * webhook form `/rest/<userId>/<secret>/<method>`; params from query, JSON or form body; `auth` from
 * any of them; leaky bucket; success envelope and error bodies; CORS for browser frames.
 */
import type { EmulatorRequest, EmulatorResponse } from '../../shared/http'
import type { Portal, CallContext } from '../portal'
import type { LeakyBucket } from '../ratelimit'
import { RestError } from './errors'
import { executeMethod, normaliseMethodName, timeBlock } from './execute'

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, X-Requested-With, Accept',
  'access-control-max-age': '600',
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, headers: { ...CORS_HEADERS }, body }
}

function errorResponse(error: RestError): EmulatorResponse {
  return json(error.status, error.toBody())
}

/** Query (minus SDK telemetry) + body; the body wins on conflicts. */
export function collectParams(req: EmulatorRequest): Record<string, unknown> {
  const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => !k.startsWith('bx24_')))
  return { ...query, ...(req.body ?? {}) }
}

interface ResolvedAuth {
  ctx: Omit<CallContext, 'params' | 'inBatch'>
}

function authenticate(portal: Portal, params: Record<string, unknown>, webhook?: { userId: number; secret: string }): ResolvedAuth {
  const state = portal.state
  if (webhook) {
    const hook = state.webhooks.find((w) => w.userId === webhook.userId && w.secret === webhook.secret)
    const user = hook ? state.user(hook.userId) : undefined
    if (!hook || !user) throw new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
    return { ctx: { portal, userId: user.ID, isAdmin: user.ADMIN, auth: 'webhook', scope: hook.scope } }
  }
  const auth = params.auth
  if (typeof auth !== 'string' || !auth) throw new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
  const token = state.tokens.find((t) => t.accessToken === auth)
  if (token?.revoked) throw new RestError(401, 'invalid_token', 'The access token provided is invalid.')
  const check = portal.tokens.check(auth)
  if (!check.ok) throw new RestError(check.status, check.error, check.description)
  const user = state.user(check.token.userId)
  if (!user) throw new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
  return {
    ctx: { portal, userId: user.ID, isAdmin: user.ADMIN, auth: 'app', token: check.token, scope: check.token.scope },
  }
}

function serveFile(portal: Portal, fileId: number): EmulatorResponse {
  const file = portal.state.files.get(fileId)
  if (!file) return { status: 404, headers: { ...CORS_HEADERS }, body: 'File not found' }
  return {
    status: 200,
    headers: {
      ...CORS_HEADERS,
      'content-type': file.contentType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    },
    body: file.content,
  }
}

export function createRestHandler(portal: Portal, bucket: LeakyBucket) {
  return async (req: EmulatorRequest, rawPath: string): Promise<EmulatorResponse> => {
    if (req.method === 'OPTIONS') return { status: 200, headers: { ...CORS_HEADERS } }
    const segments = rawPath.split('/').filter(Boolean)
    if (segments[0]?.toLowerCase() === 'download') {
      return serveFile(portal, Number(req.query.fileId))
    }
    if (segments[0]?.toLowerCase() === 'api') {
      return json(404, { error: { code: 'ERROR_METHOD_NOT_FOUND', message: 'REST v3 is not emulated' } })
    }
    if (!bucket.take()) {
      return json(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
    }
    let method: string
    let webhook: { userId: number; secret: string } | undefined
    if (segments.length === 3 && /^\d+$/.test(segments[0]!)) {
      webhook = { userId: Number(segments[0]), secret: segments[1]! }
      method = segments[2]!
    } else if (segments.length === 1) {
      method = segments[0]!
    } else {
      return json(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' })
    }
    if (req.bodyError) return json(400, { error: 'INVALID_REQUEST', error_description: req.bodyError })
    const params = collectParams(req)
    const started = Date.now()
    try {
      const { ctx } = authenticate(portal, params, webhook)
      const { auth: _auth, ...methodParams } = params
      if (normaliseMethodName(method) === 'crm.controller.item.getfile') {
        return serveFile(portal, Number(methodParams.fileId))
      }
      const output = await executeMethod({ ...ctx, params: methodParams, inBatch: false }, method)
      const body: Record<string, unknown> = { result: output.result }
      if (output.next !== undefined) body.next = output.next
      if (output.total !== undefined) body.total = output.total
      body.time = timeBlock(started, Date.now())
      return json(output.status ?? 200, body)
    } catch (error) {
      if (error instanceof RestError) return errorResponse(error)
      return json(500, { error: 'INTERNAL_SERVER_ERROR', error_description: (error as Error).message })
    }
  }
}
