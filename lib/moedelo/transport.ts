/**
 * One HTTP exchange with MoeDelo: JSON only, a timeout on every call, credentials applied, and every
 * failure turned into a MoeDeloError. No retries here (the job layer decides), except one repeat after
 * a 401 when the credentials say they have refreshed.
 */
import type { CredentialStrategy } from './auth'
import { errorFromNetwork, errorFromResponse, MoeDeloError } from './errors'

export interface TransportOptions {
  baseUrl: string
  credentials: CredentialStrategy
  timeoutMs: number
  fetch: typeof fetch
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** Default true; the health probe goes without credentials. */
  authenticated?: boolean
  timeoutMs?: number
}

export interface TransportResponse {
  status: number
  /** Parsed JSON, or `undefined` for an empty body. */
  body: unknown
}

/** A 2xx answer whose body is kept as bytes (PDFs). */
export interface BinaryResponse {
  status: number
  bytes: Buffer
  contentType: string | null
}

interface RawExchange {
  status: number
  bytes: Buffer
  text: string
  headers: Headers
  retryAfter: string | null
  contentType: string | null
}

export class Transport {
  private readonly baseUrl: string

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
  }

  url(spec: Pick<RequestSpec, 'path' | 'query'>): string {
    const url = new URL(this.baseUrl + spec.path)
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
    }
    return url.toString()
  }

  async send(spec: RequestSpec): Promise<TransportResponse> {
    return this.finish(spec, await this.exchangeWithRecovery(spec, 'application/json'))
  }

  /** Like `send`, but a 2xx body is returned as bytes (errors are still parsed as JSON). */
  async sendBinary(spec: RequestSpec, accept = '*/*'): Promise<BinaryResponse> {
    const raw = await this.exchangeWithRecovery(spec, accept)
    if (raw.status >= 200 && raw.status < 300) return { status: raw.status, bytes: raw.bytes, contentType: raw.contentType }
    this.finish(spec, raw)
    throw new MoeDeloError({ kind: 'unexpected', status: raw.status, message: `MoeDelo ${spec.method} ${spec.path} → HTTP ${raw.status}` })
  }

  private async exchangeWithRecovery(spec: RequestSpec, accept: string): Promise<RawExchange> {
    const first = await this.exchange(spec, accept)
    if (first.status !== 401 || spec.authenticated === false || !this.options.credentials.recoverFromUnauthorized) return first
    const recovered = await this.options.credentials.recoverFromUnauthorized(first.headers)
    return recovered ? await this.exchange(spec, accept) : first
  }

  private async exchange(spec: RequestSpec, accept: string): Promise<RawExchange> {
    const headers = new Headers({ accept })
    if (spec.body !== undefined) headers.set('content-type', 'application/json; charset=utf-8')
    if (spec.authenticated !== false) await this.options.credentials.apply(headers)
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs
    try {
      const response = await this.options.fetch(this.url(spec), {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      })
      const bytes = Buffer.from(await response.arrayBuffer())
      return {
        status: response.status,
        bytes,
        text: bytes.toString('utf8'),
        headers,
        retryAfter: response.headers.get('retry-after'),
        contentType: response.headers.get('content-type'),
      }
    } catch (error) {
      throw errorFromNetwork(error, { method: spec.method, path: spec.path, timeoutMs })
    }
  }

  private finish(spec: RequestSpec, raw: { status: number; text: string; retryAfter: string | null }): TransportResponse {
    let body: unknown
    let parseFailed = false
    if (raw.text.trim() !== '') {
      try {
        body = JSON.parse(raw.text)
      } catch {
        body = raw.text
        parseFailed = true
      }
    }
    if (raw.status >= 200 && raw.status < 300) {
      if (parseFailed) {
        throw new MoeDeloError({
          kind: 'unexpected',
          status: raw.status,
          message: `MoeDelo ${spec.method} ${spec.path} → HTTP ${raw.status} with a non-JSON body`,
        })
      }
      return { status: raw.status, body }
    }
    throw errorFromResponse(raw.status, body, {
      method: spec.method,
      path: spec.path,
      retryAfter: raw.retryAfter,
      unauthorizedMessage: this.options.credentials.unauthorizedMessage,
    })
  }
}
