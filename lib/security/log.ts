/**
 * The application logger (pino) with redaction of secrets and personal data.
 *
 * Two layers, so a token never reaches the output whatever shape the logged object has:
 * 1. pino `redact` paths (with wildcards) for the shapes we know (`auth.*`, headers, …);
 * 2. a deep sanitiser run on every log call (merging object, message, interpolation arguments,
 *    child bindings): any key that names a secret or personal data is censored at any depth, and
 *    free text has e-mails, phone numbers, 12-digit INNs and `token=…` fragments masked.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { config } from '@/lib/config'

export const CENSOR = '[скрыто]'

const normalize = (key: string) => key.toLowerCase().replace(/[-_\s.]/g, '')

/** Keys whose values are secrets (compared case-insensitively, ignoring `-`/`_`). */
const SECRET_KEYS = new Set(
  [
    'access_token',
    'refresh_token',
    'application_token',
    'id_token',
    'token',
    'tokens',
    'AUTH_ID',
    'REFRESH_ID',
    'APPLICATION_TOKEN',
    'md-api-key',
    'apiKey',
    'x-api-key',
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'client_secret',
    'app_secret',
    'secret',
    'password',
    'passwd',
    'private_key',
  ].map(normalize),
)

/** Keys whose values are personal data of people. */
const PERSONAL_KEYS = new Set(
  [
    'phone',
    'phones',
    'mobile_phone',
    'work_phone',
    'email',
    'emails',
    'e-mail',
    'fio',
    'full_name',
    'first_name',
    'last_name',
    'second_name',
    'middle_name',
    'surname',
    'patronymic',
    'person_name',
    'contact_name',
    'birthdate',
    'birthday',
    'passport',
    'snils',
  ].map(normalize),
)

/** Case-sensitive keys: Bitrix24 contact fields (`NAME` of a contact is a person's name). */
const PERSONAL_EXACT_KEYS = new Set(['NAME', 'LAST_NAME', 'SECOND_NAME', 'Name', 'Fio'])

/** Objects whose every field is a secret (Bitrix24 event/placement `auth[...]`). */
const SECRET_CONTAINERS = new Set(['auth'])

/** For pino's own redaction (fast-redact syntax; `*` is one level). */
export const REDACT_PATHS: string[] = (() => {
  const keys = [
    'access_token',
    'refresh_token',
    'application_token',
    'AUTH_ID',
    'REFRESH_ID',
    'APPLICATION_TOKEN',
    '["md-api-key"]',
    'apiKey',
    'client_secret',
    'password',
    'authorization',
    'Authorization',
    'phone',
    'email',
    'fio',
    'PHONE',
    'EMAIL',
  ]
  const paths: string[] = []
  for (const k of keys) {
    const sep = k.startsWith('[') ? '' : '.'
    paths.push(k, `*${sep}${k}`, `*.*${sep}${k}`)
  }
  paths.push(
    'auth.*',
    '*.auth.*',
    'headers.authorization',
    'headers["md-api-key"]',
    '*.headers.authorization',
    '*.headers["md-api-key"]',
    'req.headers.cookie',
  )
  return paths
})()

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g
/** Russian numbers (+7/8/7 then 10 digits, any common formatting) and other `+<country>` numbers. */
const PHONE_RE = /(?<![\w+])(?:\+7|8|7)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\w)/g
const INTL_PHONE_RE = /(?<![\w+])\+(?!7)\d{1,3}[\s(-]*\d{2,4}[\s)-]*\d{2,4}[\s-]*\d{2,4}(?:[\s-]*\d{1,4})?(?!\w)/g
/** A 12-digit INN belongs to an individual (companies have 10 digits, which are public). */
const INN12_RE = /(?<![\w])\d{12}(?![\w])/g

/** Masks e-mails, phone numbers and individuals' 12-digit INNs inside free text. */
export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL_RE, CENSOR)
    .replace(INN12_RE, CENSOR)
    .replace(PHONE_RE, CENSOR)
    .replace(INTL_PHONE_RE, CENSOR)
}

const SECRET_IN_TEXT_RE =
  /((?:access_token|refresh_token|application_token|auth_id|refresh_id|client_secret|password|api_?key|md-api-key|auth\[[A-Za-z_]+\])["']?\s*[=:]\s*["']?)([^&\s"',;}]+)/gi
const BEARER_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi
/** Bitrix24 REST takes the access token as `?auth=…`. */
const QUERY_AUTH_RE = /([?&;]auth=)([^&\s"'#]+)/gi

/** Masks `access_token=…`, `"password": "…"`, `Bearer …` fragments inside free text (URLs, messages). */
export function maskSecretsInText(text: string): string {
  return text
    .replace(SECRET_IN_TEXT_RE, `$1${CENSOR}`)
    .replace(QUERY_AUTH_RE, `$1${CENSOR}`)
    .replace(BEARER_RE, `$1 ${CENSOR}`)
}

export function sanitizeText(text: string): string {
  return maskPersonalData(maskSecretsInText(text))
}

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalize(key))
}

function isPersonalKey(key: string, value: unknown): boolean {
  if (PERSONAL_EXACT_KEYS.has(key)) return true
  const n = normalize(key)
  if (PERSONAL_KEYS.has(n)) return true
  // An individual's INN (12 digits) is personal; a company's (10 digits) is not.
  if (n === 'inn' && (typeof value === 'string' || typeof value === 'number')) return /^\d{12}$/.test(String(value).trim())
  return false
}

function censorAll(value: unknown): unknown {
  if (value === null || value === undefined) return value
  if (typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) out[key] = CENSOR
    return out
  }
  return CENSOR
}

const MAX_DEPTH = 8

/** A redacted deep copy (never mutates the input); safe on cycles. */
export function sanitizeForLog(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return sanitizeText(value)
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return '[Circular]'
  if (depth > MAX_DEPTH) return '[…]'
  if (value instanceof Date) return value
  if (value instanceof URL) return sanitizeText(value.href)
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength}]`
  seen.add(value)
  try {
    if (Array.isArray(value)) return value.map((v) => sanitizeForLog(v, depth + 1, seen))
    if (value instanceof Error) return sanitizeError(value, depth, seen)
    if (value instanceof Map) return sanitizeForLog(Object.fromEntries(value), depth, seen)
    if (value instanceof Headers) return sanitizeForLog(Object.fromEntries(value.entries()), depth, seen)
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      if (isSecretKey(key) || isPersonalKey(key, v)) out[key] = v === null || v === undefined || v === '' ? v : CENSOR
      else if (SECRET_CONTAINERS.has(key.toLowerCase())) out[key] = censorAll(v)
      else out[key] = sanitizeForLog(v, depth + 1, seen)
    }
    return out
  } finally {
    seen.delete(value)
  }
}

function sanitizeError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? err.name,
    message: sanitizeText(err.message ?? ''),
    stack: typeof err.stack === 'string' ? sanitizeText(err.stack) : undefined,
  }
  for (const [key, v] of Object.entries(err)) {
    if (key in out) continue
    if (isSecretKey(key) || isPersonalKey(key, v)) out[key] = CENSOR
    else if (SECRET_CONTAINERS.has(key.toLowerCase())) out[key] = censorAll(v)
    else out[key] = sanitizeForLog(v, depth + 1, seen)
  }
  if (err.cause !== undefined) out.cause = sanitizeForLog(err.cause, depth + 1, seen)
  return out
}

function defaultLevel(): string {
  try {
    return config().LOG_LEVEL
  } catch {
    // A configuration problem is reported by whoever needs that setting; logging still works.
    const level = process.env.LOG_LEVEL
    return level && ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level) ? level : 'info'
  }
}

export interface CreateLoggerOptions {
  level?: string
  /** Where lines go (tests pass a capturing stream); stdout by default. */
  destination?: DestinationStream
  base?: Record<string, unknown>
}

/** A logger with the redaction rules; `log` below is the process-wide one. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? defaultLevel(),
    base: options.base === undefined ? undefined : (sanitizeForLog(options.base) as Record<string, unknown>),
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { err: (e: unknown) => sanitizeForLog(e) },
    formatters: {
      bindings: (bindings) => sanitizeForLog(bindings) as Record<string, unknown>,
      log: (obj) => sanitizeForLog(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        // `log.error(err)` / `log.error(err, 'msg')`: keep pino's shape ({ err }, message).
        const first: unknown = args[0]
        const shaped: unknown[] =
          first instanceof Error ? [{ err: first }, ...(args.length > 1 ? args.slice(1) : [first.message])] : args
        const clean = shaped.map((a) => (typeof a === 'string' ? sanitizeText(a) : sanitizeForLog(a)))
        return method.apply(this, clean as Parameters<typeof method>)
      },
    },
  }
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions)
}

/** The level comes from LOG_LEVEL (lib/config); importing the logger never throws. */
export const log: Logger = createLogger()

export function childLogger(bindings: Record<string, unknown>): Logger {
  return log.child(sanitizeForLog(bindings) as Record<string, unknown>)
}

export type { Logger } from 'pino'
