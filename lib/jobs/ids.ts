/** Deterministic identifiers: a re-sent retry or replay gets the same job id, so it is inserted once. */
import { createHash } from 'node:crypto'

/** A UUID (version-5 layout) derived from text. */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest()
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

/** A stable key for a payload (key order does not matter): the default dedup key of a job. */
export function payloadKey(payload: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical(payload)) ?? '').digest('hex')}`
}
