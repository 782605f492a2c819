/**
 * The one error contract every module follows.
 *
 * - `userMessage` is plain Russian for the journal and the UI; never an API code or a stack.
 * - `retryable === true` means "an external service failed; the same call may succeed later".
 *   The job layer retries those on its schedule and parks the job when the service stays down.
 * - `service` says which external service failed (for outages and recovery probes).
 *
 * Vendor modules may subclass `AppError` or define their own error classes with the same fields
 * (`retryable`, `userMessage`, `service`): everything below is duck-typed.
 */

export type ExternalService = 'bitrix24' | 'moedelo' | 'registry'

export const EXTERNAL_SERVICES: readonly ExternalService[] = ['bitrix24', 'moedelo', 'registry']

/** Shown when an error carries no plain-language message of its own (a bug, an unknown failure). */
export const GENERIC_USER_MESSAGE =
  'Внутренняя ошибка приложения. Попробуйте повторить действие позже; если ошибка повторится, обратитесь в поддержку.'

export interface AppErrorOptions {
  /** Plain Russian, shown to users. */
  userMessage: string
  /** An external failure that may go away by itself (timeouts, 5xx, rate limits). Default false. */
  retryable?: boolean
  service?: ExternalService
  /** For logs only; never shown to users. */
  details?: Record<string, unknown>
  cause?: unknown
}

export class AppError extends Error {
  readonly userMessage: string
  readonly retryable: boolean
  readonly service?: ExternalService
  readonly details?: Record<string, unknown>

  /** `message` is the technical text for logs; `options.userMessage` the one for people. */
  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.userMessage = options.userMessage
    this.retryable = options.retryable ?? false
    if (options.service !== undefined) this.service = options.service
    if (options.details !== undefined) this.details = options.details
  }
}

function field(e: unknown, key: string): unknown {
  if (typeof e !== 'object' || e === null) return undefined
  return (e as Record<string, unknown>)[key]
}

export function isExternalService(value: unknown): value is ExternalService {
  return typeof value === 'string' && (EXTERNAL_SERVICES as readonly string[]).includes(value)
}

/** Any error whose `retryable` is exactly `true`. */
export function isRetryable(e: unknown): boolean {
  return field(e, 'retryable') === true
}

/**
 * An error that follows the contract (declares `retryable` and/or a `userMessage`): an expected
 * failure, as opposed to a bug (TypeError, a plain Error thrown by mistake).
 */
export function isContractError(e: unknown): boolean {
  if (e instanceof AppError) return true
  return typeof field(e, 'retryable') === 'boolean' || nonEmptyString(field(e, 'userMessage'))
}

/**
 * Which external service an error is about: its `service` field, else inferred from the error
 * class name (`MoeDeloError`, `Bitrix24Error`, …) so vendor errors without the field still count.
 */
export function serviceOf(e: unknown): ExternalService | undefined {
  const declared = field(e, 'service')
  if (isExternalService(declared)) return declared
  const name = field(e, 'name')
  if (typeof name === 'string') {
    if (/moe-?delo/i.test(name)) return 'moedelo'
    if (/bitrix/i.test(name)) return 'bitrix24'
    if (/registry|dadata|kontur|focus/i.test(name)) return 'registry'
  }
  return undefined
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0
}

/** The plain-language message for people; a generic Russian text when the error has none. */
export function userMessageOf(e: unknown): string {
  const message = field(e, 'userMessage')
  return nonEmptyString(message) ? message : GENERIC_USER_MESSAGE
}

/** The technical message for logs (never shown to users). */
export function technicalMessageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name
  if (typeof e === 'string') return e
  try {
    return JSON.stringify(e) ?? String(e)
  } catch {
    return String(e)
  }
}
