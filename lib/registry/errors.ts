/**
 * Typed registry failures (DaData / Kontur.Focus). The job layer decides retries from `retryable`;
 * the UI shows `userMessage` (plain Russian, never an API code); `message`/`details` are for logs and
 * never contain API keys.
 */
import { AppError } from '@/lib/errors'
import type { InnProblem } from './identifiers'
import type { RegistryProviderKind } from './provider'

export type RegistryErrorKind =
  /** Network failure, timeout, 5xx — retryable. */
  | 'unavailable'
  /** 429 — too many requests per second/connections; retryable soon. */
  | 'rate_limited'
  /** The paid/free request limit is spent — retryable later (`retryAfterMs` when known). */
  | 'quota_exhausted'
  /** The key is missing or not accepted — an administrator must fix the settings. */
  | 'unauthorized'
  /**
   * DaData 403 that cannot be told apart: unknown key or daily limit (the body is the same, spec §2.5).
   * Retryable after the Moscow midnight reset; configure the secret key to get a precise answer.
   */
  | 'forbidden'
  /** No record for the INN (and KPP). */
  | 'not_found'
  /** Bad input (INN/KPP) or a request the vendor rejected (400/413). */
  | 'invalid_request'
  /** An answer we cannot interpret (schema mismatch, unexpected status). */
  | 'unexpected'

const RETRYABLE: Record<RegistryErrorKind, boolean> = {
  unavailable: true,
  rate_limited: true,
  quota_exhausted: true,
  unauthorized: false,
  forbidden: true,
  not_found: false,
  invalid_request: false,
  unexpected: false,
}

export const PROVIDER_LABEL: Record<RegistryProviderKind, string> = {
  dadata: 'DaData',
  kontur_focus: '«Контур.Фокус»',
}

/** Plain-Russian texts for users. One place, no API codes. */
export const registryMessages = {
  unavailable: (p: RegistryProviderKind) =>
    `Сервис ${PROVIDER_LABEL[p]} не отвечает — проверка реквизитов по ЕГРЮЛ временно недоступна. Повторим попытку автоматически.`,
  timeout: (p: RegistryProviderKind) =>
    `Сервис ${PROVIDER_LABEL[p]} не ответил вовремя. Повторим проверку реквизитов автоматически.`,
  rateLimited: (p: RegistryProviderKind) =>
    `Сервис ${PROVIDER_LABEL[p]} просит отправлять запросы реже. Повторим проверку реквизитов чуть позже.`,
  quotaDaData:
    'Исчерпан дневной лимит запросов к DaData. Лимит обновится в полночь по московскому времени — тогда проверка реквизитов повторится автоматически. Чтобы не ждать, расширьте тариф в личном кабинете DaData.',
  quotaFocus:
    'Исчерпан лимит запросов к «Контур.Фокусу» по вашему тарифу. Продлите или расширьте тариф в «Контур.Фокусе» — после этого проверка реквизитов возобновится.',
  unauthorized: (p: RegistryProviderKind) =>
    `Ключ API ${PROVIDER_LABEL[p]} не принят — проверьте его в настройках приложения.`,
  forbiddenDaData:
    'DaData отказала в доступе: исчерпан дневной лимит запросов или ключ API недействителен. Проверьте ключ в настройках приложения; если он верный, проверка реквизитов повторится после полуночи по московскому времени.',
  notFoundLegal: (inn: string) => `Организация с ИНН ${inn} не найдена в ЕГРЮЛ.`,
  notFoundSoleTrader: (inn: string) =>
    `ИНН ${inn} не зарегистрирован как индивидуальный предприниматель (в ЕГРИП нет записи).`,
  notFoundKpp: (inn: string, kpp: string) => `У организации с ИНН ${inn} не найдено подразделение с КПП ${kpp}.`,
  invalidInn: {
    format: 'ИНН должен состоять только из цифр.',
    length: 'ИНН должен содержать 10 цифр (организация) или 12 цифр (индивидуальный предприниматель).',
    checksum: 'ИНН указан с ошибкой: не сходится контрольная цифра. Проверьте номер.',
    zero: 'ИНН указан неверно: такого номера не бывает.',
  } satisfies Record<InnProblem, string>,
  invalidKpp: 'КПП указан неверно: нужно 9 символов — 4 цифры, 2 цифры или заглавные латинские буквы, ещё 3 цифры.',
  rejected: (p: RegistryProviderKind) => `Сервис ${PROVIDER_LABEL[p]} не принял запрос на проверку реквизитов.`,
  unexpected: (p: RegistryProviderKind) =>
    `Сервис ${PROVIDER_LABEL[p]} ответил неожиданно. Мы записали подробности; попробуйте ещё раз позже.`,
} as const

const DEFAULT_MESSAGE: Record<RegistryErrorKind, (p: RegistryProviderKind) => string> = {
  unavailable: registryMessages.unavailable,
  rate_limited: registryMessages.rateLimited,
  quota_exhausted: (p) => (p === 'dadata' ? registryMessages.quotaDaData : registryMessages.quotaFocus),
  unauthorized: registryMessages.unauthorized,
  forbidden: (p) => (p === 'dadata' ? registryMessages.forbiddenDaData : registryMessages.unauthorized(p)),
  not_found: () => 'Организация не найдена в ЕГРЮЛ/ЕГРИП.',
  invalid_request: registryMessages.rejected,
  unexpected: registryMessages.unexpected,
}

export interface RegistryErrorInit {
  kind: RegistryErrorKind
  /** Technical text for logs (no keys). */
  message: string
  provider?: RegistryProviderKind
  userMessage?: string
  status?: number
  retryAfterMs?: number
  details?: Record<string, unknown>
  cause?: unknown
}

export class RegistryError extends AppError {
  readonly kind: RegistryErrorKind
  readonly provider?: RegistryProviderKind
  /** HTTP status, when there was a response. */
  readonly status?: number
  /** When to try again (429 `Retry-After`, DaData's Moscow-midnight reset). */
  readonly retryAfterMs?: number

  constructor(init: RegistryErrorInit) {
    super(init.message, {
      userMessage: init.userMessage ?? DEFAULT_MESSAGE[init.kind](init.provider ?? 'dadata'),
      retryable: RETRYABLE[init.kind],
      service: 'registry',
      details: { kind: init.kind, ...(init.provider ? { provider: init.provider } : {}), ...(init.status ? { status: init.status } : {}), ...init.details },
      cause: init.cause,
    })
    this.kind = init.kind
    if (init.provider !== undefined) this.provider = init.provider
    if (init.status !== undefined) this.status = init.status
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError
}

export function invalidInnError(reason: InnProblem): RegistryError {
  return new RegistryError({
    kind: 'invalid_request',
    message: `invalid INN (${reason})`,
    userMessage: registryMessages.invalidInn[reason],
  })
}

export function invalidKppError(): RegistryError {
  return new RegistryError({ kind: 'invalid_request', message: 'invalid KPP', userMessage: registryMessages.invalidKpp })
}

/** Parses `Retry-After` (seconds or an HTTP date). */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
