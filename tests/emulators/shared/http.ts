/**
 * A small HTTP kit shared by the vendor emulators: routing, body parsing (JSON, PHP-style
 * form brackets, query string), a request log, a virtual clock and fault injection.
 *
 * Every emulator is a real HTTP server on a loopback port. Test-only control routes live
 * under `/__emulator/` so they can never be mistaken for a vendor route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import qs from 'qs'

export const CONTROL_PREFIX = '/__emulator'

/** PHP-compatible bracket parsing: deep nesting and long arrays, as Bitrix24 and ASP.NET accept. */
export function parseForm(text: string): Record<string, unknown> {
  return qs.parse(text, { depth: 20, arrayLimit: 10_000, parameterLimit: 100_000, allowDots: false }) as Record<
    string,
    unknown
  >
}

export interface EmulatorRequest {
  method: string
  /** Path without the query string, exactly as sent (double slashes kept). */
  path: string
  query: Record<string, unknown>
  headers: IncomingMessage['headers']
  rawBody: Buffer
  /** JSON or form body parsed into an object; `undefined` when the body is empty or unparseable. */
  body: Record<string, unknown> | undefined
  bodyError?: string
  remoteAddress: string
}

export interface EmulatorResponse {
  status?: number
  headers?: Record<string, string>
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown
}

export type RouteParams = Record<string, string>
export type Handler = (req: EmulatorRequest, params: RouteParams) => Promise<EmulatorResponse> | EmulatorResponse

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

/**
 * Routes by method and path pattern. Patterns use `:name` for one segment and `*name` for the
 * rest of the path; matching is case-insensitive because vendors are (Bitrix24 method names,
 * ASP.NET routes).
 */
export class Router {
  private readonly routes: Route[] = []

  add(method: string | string[], path: string, handler: Handler): this {
    const keys: string[] = []
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          keys.push(segment.slice(1))
          return '([^/]+)'
        }
        if (segment.startsWith('*')) {
          keys.push(segment.slice(1))
          return '(.*)'
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    for (const m of Array.isArray(method) ? method : [method]) {
      this.routes.push({ method: m.toUpperCase(), pattern: new RegExp(`^${source}/?$`, 'i'), keys, handler })
    }
    return this
  }

  match(method: string, path: string): { handler: Handler; params: RouteParams } | undefined {
    for (const route of this.routes) {
      if (route.method !== method && route.method !== '*') continue
      const m = route.pattern.exec(path)
      if (!m) continue
      const params: RouteParams = {}
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '')
      })
      return { handler: route.handler, params }
    }
    return undefined
  }
}

/** A clock tests can move forward ("advance the clock" control endpoint). */
export class VirtualClock {
  private offsetMs = 0

  now(): Date {
    return new Date(Date.now() + this.offsetMs)
  }

  nowMs(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): void {
    this.offsetMs += ms
  }

  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now()
  }

  reset(): void {
    this.offsetMs = 0
  }
}

const faultRuleSchemaKinds = ['status', 'latency', 'timeout', 'reset'] as const
export type FaultKind = (typeof faultRuleSchemaKinds)[number]

export interface FaultRule {
  id: number
  kind: FaultKind
  /** Only requests whose path starts with this (case-insensitive) are affected; default: all vendor routes. */
  pathPrefix?: string
  method?: string
  /** For `status`: the HTTP status and body to answer with. */
  status?: number
  body?: unknown
  /** For `latency`: delay before the normal answer. For `timeout`: how long to hold before closing. */
  delayMs?: number
  /** How many requests to affect; unlimited when absent. */
  times?: number
}

/** Fault injection: answers with an error, delays, holds without answering, or drops the socket. */
export class FaultInjector {
  private rules: FaultRule[] = []
  private nextId = 1

  add(rule: Omit<FaultRule, 'id'>): FaultRule {
    if (!faultRuleSchemaKinds.includes(rule.kind)) throw new Error(`unknown fault kind ${String(rule.kind)}`)
    const stored = { ...rule, id: this.nextId++ }
    this.rules.push(stored)
    return stored
  }

  clear(): void {
    this.rules = []
  }

  list(): FaultRule[] {
    return [...this.rules]
  }

  /** Finds the first rule for this request and consumes one of its `times`. */
  take(method: string, path: string): FaultRule | undefined {
    const lower = path.toLowerCase()
    const rule = this.rules.find(
      (r) =>
        (!r.pathPrefix || lower.startsWith(r.pathPrefix.toLowerCase())) &&
        (!r.method || r.method.toUpperCase() === method),
    )
    if (!rule) return undefined
    if (rule.times !== undefined) {
      rule.times -= 1
      if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule)
    }
    return rule
  }
}

export interface LoggedRequest {
  at: string
  method: string
  path: string
  query: Record<string, unknown>
  status: number
}

export interface StartedEmulator {
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

export interface EmulatorOptions {
  name: string
  router: Router
  faults?: FaultInjector
  clock?: VirtualClock
  /** Extra control routes (paths relative to `/__emulator`). */
  control?: Router
  port?: number
  host?: string
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number
  /** Keep a log of vendor requests for `GET /__emulator/requests` (default on). */
  log?: boolean
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function parseBody(raw: Buffer, contentType: string | undefined): { body?: Record<string, unknown>; error?: string } {
  if (raw.length === 0) return {}
  const text = raw.toString('utf8')
  const type = (contentType ?? '').toLowerCase()
  if (type.includes('json') || (!type && /^\s*[[{]/.test(text))) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (parsed && typeof parsed === 'object') return { body: parsed as Record<string, unknown> }
      return { error: 'JSON body is not an object' }
    } catch {
      return { error: 'invalid JSON' }
    }
  }
  if (type.includes('x-www-form-urlencoded') || !type) return { body: parseForm(text) }
  return {}
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const status = response.status ?? 200
  const headers: Record<string, string> = { ...(response.headers ?? {}) }
  let payload: Buffer | string = ''
  if (Buffer.isBuffer(response.body)) payload = response.body
  else if (typeof response.body === 'string') payload = response.body
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body)
    headers['content-type'] ??= 'application/json; charset=utf-8'
  }
  res.writeHead(status, headers)
  res.end(payload)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts an emulator on a loopback port (0 = any free port) with the shared control routes. */
export async function startEmulator(options: EmulatorOptions): Promise<StartedEmulator> {
  const faults = options.faults ?? new FaultInjector()
  const clock = options.clock ?? new VirtualClock()
  const requestLog: LoggedRequest[] = []
  const maxBody = options.maxBodyBytes ?? 50 * 1024 * 1024

  const control = new Router()
    .add('GET', '/faults', () => ({ body: { faults: faults.list() } }))
    .add('POST', '/faults', (req) => ({ status: 201, body: faults.add(req.body as Omit<FaultRule, 'id'>) }))
    .add('DELETE', '/faults', () => {
      faults.clear()
      return { status: 204 }
    })
    .add('GET', '/requests', () => ({ body: { requests: requestLog } }))
    .add('DELETE', '/requests', () => {
      requestLog.length = 0
      return { status: 204 }
    })
    .add('GET', '/clock', () => ({ body: { now: clock.now().toISOString() } }))
    .add('POST', '/clock', (req) => {
      const body = req.body ?? {}
      if (typeof body.advanceMs === 'number') clock.advance(body.advanceMs)
      else if (typeof body.advanceDays === 'number') clock.advance(body.advanceDays * 86_400_000)
      else if (typeof body.set === 'string') clock.set(new Date(body.set))
      else if (body.reset) clock.reset()
      return { body: { now: clock.now().toISOString() } }
    })

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.local')
    const method = (req.method ?? 'GET').toUpperCase()
    let raw: Buffer
    try {
      raw = await readBody(req, maxBody)
    } catch {
      send(res, { status: 413, body: { error: 'body too large' } })
      return
    }
    const parsed = parseBody(raw, req.headers['content-type'])
    const request: EmulatorRequest = {
      method,
      path: url.pathname,
      query: parseForm(url.search.slice(1)),
      headers: req.headers,
      rawBody: raw,
      body: parsed.body,
      bodyError: parsed.error,
      remoteAddress: req.socket.remoteAddress ?? '',
    }

    try {
      if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        const sub = url.pathname.slice(CONTROL_PREFIX.length)
        const hit = options.control?.match(method, sub) ?? control.match(method, sub)
        send(res, hit ? await hit.handler(request, hit.params) : { status: 404, body: { error: 'no such control route' } })
        return
      }

      const fault = faults.take(method, url.pathname)
      if (fault?.kind === 'reset') {
        req.socket.destroy()
        return
      }
      if (fault?.kind === 'timeout') {
        await sleep(fault.delayMs ?? 120_000)
        req.socket.destroy()
        return
      }
      if (fault?.kind === 'latency') await sleep(fault.delayMs ?? 1000)
      const hit = fault?.kind === 'status' ? undefined : options.router.match(method, url.pathname)
      const response: EmulatorResponse =
        fault?.kind === 'status'
          ? { status: fault.status ?? 500, body: fault.body ?? { error: 'injected fault' } }
          : hit
            ? await hit.handler(request, hit.params)
            : { status: 404, body: { error: 'NOT_FOUND', error_description: `${options.name}: no route ${method} ${url.pathname}` } }
      if (options.log !== false) {
        requestLog.push({
          at: clock.now().toISOString(),
          method,
          path: url.pathname,
          query: request.query,
          status: response.status ?? 200,
        })
      }
      send(res, response)
    } catch (error) {
      send(res, { status: 500, body: { error: 'EMULATOR_FAILURE', error_description: (error as Error).message } })
    }
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * `PATCH /__emulator/config`: copies the known switches present in `patch` onto `target` (unknown
 * keys are ignored, so a typo cannot invent a switch) and returns `target`.
 */
export function applySwitchPatch<T extends object>(target: T, known: readonly (keyof T)[], patch: Record<string, unknown> | undefined): T {
  for (const key of known) {
    if (patch && (key as string) in patch) (target as Record<string, unknown>)[key as string] = patch[key as string]
  }
  return target
}
