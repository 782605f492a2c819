/** Response helpers for the legacy (PascalCase, ASP.NET Web API) services. */
import type { EmulatorRequest, EmulatorResponse } from '../shared/http'
import type { MoeDeloSwitches } from './switches'

/** field → messages, in the order they were found. */
export type FieldErrors = Record<string, string[]>

export class FieldErrorCollector {
  readonly errors: FieldErrors = {}
  add(field: string, message: string): this {
    ;(this.errors[field] ??= []).push(message)
    return this
  }
  get empty(): boolean {
    return Object.keys(this.errors).length === 0
  }
}

/** `400 {"Message","ValidationErrors"}` (spec §11; the shape of ValidationErrors is a switch). */
export function validationError(switches: MoeDeloSwitches, errors: FieldErrors): EmulatorResponse {
  const ValidationErrors =
    switches.validationErrorsShape === 'list' ? Object.values(errors).flat() : errors
  return { status: 400, body: { Message: 'The request is invalid.', ValidationErrors } }
}

export function errorResponse(status: number, body: unknown, headers?: Record<string, string>): EmulatorResponse {
  return body === null || body === undefined ? { status, headers } : { status, body, headers }
}

/** Query parameters bind case-insensitively in ASP.NET; returns the first value as a string. */
export function queryParam(req: EmulatorRequest, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(req.query)) {
    if (key.toLowerCase() !== lower) continue
    const first = Array.isArray(value) ? value[0] : value
    return first === undefined || first === null ? undefined : String(first)
  }
  return undefined
}

/** Body members bind case-insensitively too (Json.NET); returns the raw value. */
export function bodyField(body: Record<string, unknown>, name: string): unknown {
  if (name in body) return body[name]
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === lower) return value
  return undefined
}

/** The body as an object, or a validation error when it is missing or not JSON. */
export function requireBody(
  req: EmulatorRequest,
  switches: MoeDeloSwitches,
): { body: Record<string, unknown> } | { error: EmulatorResponse } {
  if (req.bodyError || !req.body || Array.isArray(req.body)) {
    return { error: validationError(switches, { request: [req.bodyError ?? 'Тело запроса не может быть пустым.'] }) }
  }
  return { body: req.body }
}
