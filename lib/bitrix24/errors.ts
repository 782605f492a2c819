import { AppError } from '@/lib/errors'

/**
 * Typed errors of the Bitrix24 vendor module (the `lib/errors.ts` contract). The job layer decides retries from `retryable`
 * and `needsUser`; `userMessage` is plain Russian for the journal and the UI (never an API code).
 * Nothing here carries a token: messages are built from codes and descriptions only.
 */

export type Bitrix24ErrorKind =
  | 'reinstall-required' // refresh token rejected, portal gone, app uninstalled
  | 'portal-inactive' // we know the portal is uninstalled: stop work silently
  | 'rate-limited'
  | 'operation-limit'
  | 'timeout'
  | 'network'
  | 'access-denied'
  | 'not-found'
  | 'bad-request'
  | 'server'
  | 'batch-command-failed'

export interface Bitrix24ErrorInit {
  kind: Bitrix24ErrorKind
  code: string
  description?: string
  status?: number
  method?: string
  retryable?: boolean
  needsUser?: boolean
  userMessage?: string
  cause?: unknown
}

const DEFAULT_USER_MESSAGES: Record<Bitrix24ErrorKind, string> = {
  'reinstall-required':
    'Приложение потеряло доступ к порталу Битрикс24. Переустановите приложение из Маркетплейса, чтобы восстановить связь.',
  'portal-inactive': 'Приложение удалено с портала Битрикс24; обработка остановлена.',
  'rate-limited': 'Битрикс24 временно ограничил частоту запросов. Повторим автоматически.',
  'operation-limit': 'Битрикс24 временно ограничил время выполнения запросов. Повторим автоматически.',
  timeout: 'Битрикс24 не ответил вовремя. Повторим автоматически.',
  network: 'Нет связи с порталом Битрикс24. Повторим автоматически.',
  'access-denied': 'Недостаточно прав в Битрикс24 для этого действия. Обратитесь к администратору портала.',
  'not-found': 'Запись в Битрикс24 не найдена (возможно, её удалили).',
  'bad-request': 'Битрикс24 отклонил запрос приложения.',
  server: 'Битрикс24 временно недоступен. Повторим автоматически.',
  'batch-command-failed': 'Часть операций в Битрикс24 не выполнилась.',
}

const RETRYABLE_BY_DEFAULT: Record<Bitrix24ErrorKind, boolean> = {
  'reinstall-required': false,
  'portal-inactive': false,
  'rate-limited': true,
  'operation-limit': true,
  timeout: true,
  network: true,
  'access-denied': false,
  'not-found': false,
  'bad-request': false,
  server: true,
  'batch-command-failed': false,
}

export class Bitrix24Error extends AppError {
  declare readonly service: 'bitrix24'
  readonly kind: Bitrix24ErrorKind
  readonly code: string
  readonly status: number | undefined
  readonly method: string | undefined
  /** The portal admin must act (re-install, grant rights); retrying will not help. */
  readonly needsUser: boolean

  constructor(init: Bitrix24ErrorInit) {
    super(
      `Bitrix24 ${init.method ? `${init.method}: ` : ''}${init.code}${init.description ? ` — ${init.description}` : ''}`,
      {
        userMessage: init.userMessage ?? DEFAULT_USER_MESSAGES[init.kind],
        retryable: init.retryable ?? RETRYABLE_BY_DEFAULT[init.kind],
        service: 'bitrix24',
        details: { kind: init.kind, code: init.code, status: init.status, method: init.method },
        cause: init.cause,
      },
    )
    this.kind = init.kind
    this.code = init.code
    this.status = init.status
    this.method = init.method
    this.needsUser = init.needsUser ?? (init.kind === 'reinstall-required' || init.kind === 'access-denied')
  }
}

/** One failed command of a batch (legacy methods report these with an empty code). */
export interface BatchCommandError {
  key: string
  code: string
  description: string
}

export class Bitrix24BatchError extends Bitrix24Error {
  readonly failures: BatchCommandError[]
  /** Results of the commands that did succeed, by key. */
  readonly partial: Record<string, unknown>

  constructor(failures: BatchCommandError[], partial: Record<string, unknown>) {
    super({
      kind: 'batch-command-failed',
      code: 'BATCH_COMMAND_FAILED',
      method: 'batch',
      description: failures.map((f) => `${f.key}: ${f.code || '(no code)'} ${f.description}`.trim()).join('; '),
    })
    this.name = 'Bitrix24BatchError'
    this.failures = failures
    this.partial = partial
  }
}

export function isBitrix24Error(error: unknown): error is Bitrix24Error {
  return error instanceof Bitrix24Error
}

/** Maps a REST error code / HTTP status to our kind. */
export function classifyRestError(code: string, status: number | undefined, description = ''): Bitrix24ErrorKind {
  const upper = code.toUpperCase()
  if (upper === 'QUERY_LIMIT_EXCEEDED') return 'rate-limited'
  if (upper === 'OPERATION_TIME_LIMIT') return 'operation-limit'
  if (upper === 'REQUEST_TIMEOUT' || upper === 'ECONNABORTED' || upper === 'ETIMEDOUT') return 'timeout'
  if (upper === 'NETWORK_ERROR' || upper === 'ECONNREFUSED' || upper === 'ECONNRESET' || upper === 'ERR_NETWORK') {
    return 'network'
  }
  if (['INVALID_GRANT', 'PORTAL_DELETED', 'NO_AUTH_FOUND', 'INVALID_CLIENT', 'PAYMENT_REQUIRED'].includes(upper)) {
    return 'reinstall-required'
  }
  if (['EXPIRED_TOKEN', 'INVALID_TOKEN'].includes(upper)) return 'reinstall-required'
  if (
    ['ACCESS_DENIED', 'INSUFFICIENT_SCOPE', 'INVALID_CREDENTIALS', 'USER_ACCESS_ERROR', 'WRONG_AUTH_TYPE'].includes(
      upper,
    ) ||
    status === 403
  ) {
    return 'access-denied'
  }
  if (upper === 'NOT_FOUND' || upper === 'ERROR_ENTITY_NOT_FOUND' || /not found/i.test(description)) return 'not-found'
  if (upper === 'OVERLOAD_LIMIT' || status === 503 || (status !== undefined && status >= 500)) return 'server'
  return 'bad-request'
}
