/**
 * Typed MoeDelo failures. The job layer decides retries from `retryable`; the UI shows `userMessage`
 * (plain Russian, never an API code); `message` and `issues` are for logs.
 */
import { moeDeloFieldLabels, moeDeloIndexedLabels, moeDeloMessages } from './messages'

export type MoeDeloErrorKind =
  | 'unavailable'
  | 'rate_limited'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'unexpected'

/** One validation problem as MoeDelo reported it; `field` is MoeDelo's own name (e.g. `Inn`). */
export interface MoeDeloValidationIssue {
  field?: string
  message: string
}

export interface MoeDeloErrorInit {
  kind: MoeDeloErrorKind
  message: string
  userMessage?: string
  status?: number
  issues?: MoeDeloValidationIssue[]
  retryAfterMs?: number
  cause?: unknown
}

const RETRYABLE: Record<MoeDeloErrorKind, boolean> = {
  unavailable: true,
  rate_limited: true,
  unauthorized: false,
  forbidden: false,
  not_found: false,
  validation: false,
  unexpected: false,
}

const DEFAULT_USER_MESSAGE: Record<MoeDeloErrorKind, string> = {
  unavailable: moeDeloMessages.unavailable,
  rate_limited: moeDeloMessages.rateLimited,
  unauthorized: moeDeloMessages.unauthorized,
  forbidden: moeDeloMessages.forbidden,
  not_found: moeDeloMessages.notFound,
  validation: moeDeloMessages.validation,
  unexpected: moeDeloMessages.unexpected,
}

export class MoeDeloError extends Error {
  override readonly name = 'MoeDeloError'
  /** For the app-wide error contract (lib/errors.ts): which external service failed. */
  readonly service = 'moedelo' as const
  readonly kind: MoeDeloErrorKind
  readonly retryable: boolean
  /** HTTP status, when there was a response. */
  readonly status?: number
  readonly userMessage: string
  /** Validation problems as MoeDelo reported them (for logs and for the journal). */
  readonly issues: MoeDeloValidationIssue[]
  /** From `Retry-After` on 429/503, when given. */
  readonly retryAfterMs?: number

  constructor(init: MoeDeloErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.kind = init.kind
    this.retryable = RETRYABLE[init.kind]
    this.status = init.status
    this.userMessage = init.userMessage ?? DEFAULT_USER_MESSAGE[init.kind]
    this.issues = init.issues ?? []
    this.retryAfterMs = init.retryAfterMs
  }
}

export function isMoeDeloError(error: unknown): error is MoeDeloError {
  return error instanceof MoeDeloError
}

export function kindForStatus(status: number): MoeDeloErrorKind {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status === 400 || status === 422) return 'validation'
  if (status >= 500 || status === 408) return 'unavailable'
  return 'unexpected'
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined

function pick(body: Record<string, unknown>, name: string): unknown {
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === name.toLowerCase()) return value
  return undefined
}

function messagesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : []
  if (Array.isArray(value)) return value.flatMap(messagesOf)
  const record = asRecord(value)
  if (record) {
    const m = pick(record, 'message') ?? pick(record, 'errorMessage') ?? pick(record, 'value')
    return messagesOf(m)
  }
  return []
}

/** Field → messages maps, arrays of strings, arrays of `{key|field, message}`: all become issues. */
function issuesOf(value: unknown): MoeDeloValidationIssue[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const record = asRecord(item)
      if (!record) return messagesOf(item).map((message) => ({ message }))
      const field = pick(record, 'key') ?? pick(record, 'field') ?? pick(record, 'propertyName')
      return messagesOf(record).map((message) => (typeof field === 'string' && field ? { field, message } : { message }))
    })
  }
  const record = asRecord(value)
  if (record) {
    return Object.entries(record).flatMap(([field, messages]) =>
      messagesOf(messages).map((message) => (field ? { field, message } : { message })),
    )
  }
  return messagesOf(value).map((message) => ({ message }))
}

/** Reads `ValidationErrors`, `ModelState`, `errors`, `Message`/`message` (spec §11), whichever is present. */
export function extractValidationIssues(body: unknown): MoeDeloValidationIssue[] {
  if (typeof body === 'string') return messagesOf(body).map((message) => ({ message }))
  const record = asRecord(body)
  if (!record) return []
  const structured = [
    ...issuesOf(pick(record, 'ValidationErrors')),
    ...issuesOf(pick(record, 'ModelState')),
    ...issuesOf(pick(record, 'errors')),
  ]
  if (structured.length > 0) return structured
  return messagesOf(pick(record, 'Message') ?? pick(record, 'error_description')).map((message) => ({ message }))
}

const CYRILLIC = /[а-яё]/i

/** `model.Items[0].Price` → «Позиция 1: Цена». Unknown fields are left out rather than shown raw. */
export function fieldLabel(field: string): string | undefined {
  const parts = field.replace(/^(model|request|dto|value)\./i, '').split('.')
  const labels = parts.map((part) => {
    const m = /^([A-Za-z_]+)(?:\[(\d+)\])?$/.exec(part)
    if (!m) return undefined
    const key = m[1]!.toLowerCase()
    if (m[2] !== undefined) {
      const indexed = moeDeloIndexedLabels[key] ?? moeDeloFieldLabels[key]
      return indexed ? `${indexed} ${Number(m[2]) + 1}` : undefined
    }
    return moeDeloFieldLabels[key]
  })
  return labels.every((l) => l !== undefined) ? labels.join(': ') : undefined
}

/** The user-facing validation sentence: MoeDelo's own Russian texts, English boilerplate dropped. */
export function validationUserMessage(issues: MoeDeloValidationIssue[]): string {
  const lines = issues
    .filter((i) => CYRILLIC.test(i.message))
    .map((i) => {
      const label = i.field ? fieldLabel(i.field) : undefined
      return label ? `${label} — ${i.message}` : i.message
    })
  const unique = [...new Set(lines)]
  return unique.length > 0 ? moeDeloMessages.validationWithDetails(unique.join('; ')) : moeDeloMessages.validation
}

function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/** Builds the error for a non-2xx response. */
export function errorFromResponse(
  status: number,
  body: unknown,
  context: { method: string; path: string; retryAfter?: string | null; unauthorizedMessage?: string },
): MoeDeloError {
  const kind = kindForStatus(status)
  const issues = extractValidationIssues(body)
  const summary = issues.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ')
  return new MoeDeloError({
    kind,
    status,
    issues,
    message: `MoeDelo ${context.method} ${context.path} → HTTP ${status}${summary ? ` (${summary})` : ''}`,
    userMessage:
      kind === 'validation'
        ? validationUserMessage(issues)
        : kind === 'unauthorized' && context.unauthorizedMessage
          ? context.unauthorizedMessage
          : undefined,
    retryAfterMs: retryAfterMs(context.retryAfter),
  })
}

/** Network failures, timeouts and refused connections: always `unavailable` and retryable. */
export function errorFromNetwork(error: unknown, context: { method: string; path: string; timeoutMs: number }): MoeDeloError {
  const err = error as { name?: string; message?: string; cause?: { code?: string } }
  const timedOut = err?.name === 'TimeoutError'
  const code = err?.cause?.code
  return new MoeDeloError({
    kind: 'unavailable',
    message: timedOut
      ? `MoeDelo ${context.method} ${context.path}: no answer within ${context.timeoutMs} ms`
      : `MoeDelo ${context.method} ${context.path}: network error${code ? ` ${code}` : ''} (${err?.message ?? String(error)})`,
    userMessage: timedOut ? moeDeloMessages.timeout : moeDeloMessages.unavailable,
    cause: error,
  })
}
