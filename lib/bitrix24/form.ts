/**
 * Bitrix24's form encoding: PHP-style bracket keys (`auth[member_id]=…`, `data[FIELDS][ID]=…`),
 * parsed with limits raised above qs's defaults (depth 5, 20 array items) as PHP accepts.
 */
import qs from 'qs'

export type FormInput = string | URLSearchParams | Record<string, unknown>

const QS_OPTIONS = { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 } as const

export function parseForm(input: FormInput): Record<string, unknown> {
  if (typeof input === 'string') return qs.parse(input, QS_OPTIONS) as Record<string, unknown>
  if (input instanceof URLSearchParams) return qs.parse(input.toString(), QS_OPTIONS) as Record<string, unknown>
  return input
}
