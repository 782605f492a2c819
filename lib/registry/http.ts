/**
 * One HTTP exchange with a registry vendor: a timeout on every call, network failures turned into
 * retryable `RegistryError`s, and secrets scrubbed from anything that could reach a log.
 */
import { PROVIDER_LABEL, registryMessages, RegistryError } from './errors'
import type { RegistryProviderKind } from './provider'

export interface Exchange {
  status: number
  text: string
  headers: Headers
}

export interface ExchangeSpec {
  provider: RegistryProviderKind
  fetch: typeof fetch
  url: string
  /** The path for messages — never the full URL (Focus carries the key in the query string). */
  path: string
  init: RequestInit
  timeoutMs: number
  /** Values to scrub from error texts (API keys, secrets). */
  secrets: readonly string[]
}

/** Replaces every secret in a text (vendors echo tokens, e.g. DaData's 403 message). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret) out = out.split(secret).join('***')
  return out
}

export async function exchange(spec: ExchangeSpec): Promise<Exchange> {
  try {
    const response = await spec.fetch(spec.url, {
      ...spec.init,
      signal: AbortSignal.timeout(spec.timeoutMs),
      redirect: 'manual',
    })
    const text = await response.text()
    return { status: response.status, text, headers: response.headers }
  } catch (error) {
    const err = error as { name?: string; message?: string; cause?: { code?: string } }
    const timedOut = err?.name === 'TimeoutError' || err?.name === 'AbortError'
    const code = typeof err?.cause?.code === 'string' ? err.cause.code : undefined
    // The raw error is not attached as `cause`: fetch errors may carry the request URL (and Focus's key).
    throw new RegistryError({
      kind: 'unavailable',
      provider: spec.provider,
      message: timedOut
        ? `${PROVIDER_LABEL[spec.provider]} ${spec.path}: no answer within ${spec.timeoutMs} ms`
        : `${PROVIDER_LABEL[spec.provider]} ${spec.path}: network error${code ? ` ${code}` : ''} (${redact(err?.message ?? String(error), spec.secrets)})`,
      userMessage: timedOut ? registryMessages.timeout(spec.provider) : registryMessages.unavailable(spec.provider),
      details: { path: spec.path, ...(code ? { code } : {}), ...(timedOut ? { timeoutMs: spec.timeoutMs } : {}) },
    })
  }
}

/** A short, scrubbed excerpt of a response body for technical messages. */
export function bodyExcerpt(text: string, secrets: readonly string[], max = 300): string {
  const clean = redact(text, secrets).replace(/\s+/g, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
