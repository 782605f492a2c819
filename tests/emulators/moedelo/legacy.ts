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

/** Text as Json.NET binds it: undefined = not sent, null = sent empty; numbers and booleans become text. */
export function str(value: unknown): string | null | undefined {
  if (value === undefined) return undefined
  if (value === null) return null
  if (typeof value === 'string') return value.trim() === '' ? null : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** An integer from a JSON number or numeric string; `'invalid'` for anything else. */
export function int(value: unknown): number | null | 'invalid' | undefined {
  if (value === undefined) return undefined
  if (value === null || value === '') return null
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN
  return Number.isSafeInteger(n) ? n : 'invalid'
}

export const bool = (value: unknown): boolean | undefined =>
  value === undefined || value === null ? undefined : value === true || value === 'true' || value === 1

/** A route's `{id}` segment as a number, or undefined when it is not one. */
export function parseId(raw: string | undefined): number | undefined {
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined
}

/** `pageNo` (1-based, default 1) and `pageSize` (default and cap per switches, spec §2.1). */
export function pageParams(req: EmulatorRequest, switches: MoeDeloSwitches, errors: FieldErrorCollector): { pageNo: number; pageSize: number } {
  const pageNoRaw = queryParam(req, 'pageNo')
  const pageSizeRaw = queryParam(req, 'pageSize')
  const pageNo = pageNoRaw === undefined || pageNoRaw === '' ? 1 : Number(pageNoRaw)
  let pageSize = pageSizeRaw === undefined || pageSizeRaw === '' ? switches.defaultPageSize : Number(pageSizeRaw)
  if (!Number.isInteger(pageNo) || pageNo < 1) errors.add('pageNo', 'Значение pageNo должно быть целым числом не меньше 1.')
  if (!Number.isInteger(pageSize) || pageSize < 1) errors.add('pageSize', 'Значение pageSize должно быть целым числом не меньше 1.')
  const cap = switches.pageSizeCap
  if (errors.empty && cap !== null && pageSize > cap) {
    if (switches.pageSizeOverCap === 'reject') errors.add('pageSize', `Значение pageSize не может быть больше ${cap}.`)
    else pageSize = cap
  }
  return { pageNo, pageSize }
}

/** A route's `{id}` looked up among a firm's records; undefined when the segment is not an id or none has it. */
export function recordById<T>(records: Map<number, T>, raw: string | undefined): T | undefined {
  const id = parseId(raw)
  return id === undefined ? undefined : records.get(id)
}

/** One page of a list in the envelope `{Count, TotalCount, ResourceList}` (spec §2.1); `view` shapes the page's items. */
export function listEnvelope<T, V = T>(all: T[], pageNo: number, pageSize: number, view?: (item: T) => V) {
  const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize)
  return { Count: page.length, TotalCount: all.length, ResourceList: view ? page.map(view) : page }
}

export const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/** For `afterDate/beforeDate`: a date is Moscow midnight; a timestamp without offset is Moscow time. */
export function parseInstant(text: string): Date | 'invalid' {
  const t = text.trim()
  const iso = DATE_ONLY.test(t) ? `${t}T00:00:00+03:00` : /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}+03:00` : t
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return 'invalid'
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? 'invalid' : new Date(ms)
}

/**
 * `afterDate` / `beforeDate` (spec §2.1: created or changed at or after / at or before) as a filter on a
 * record's `modifyDate`; a value that is not a date goes to `errors`.
 */
export function modifyDateFilter(req: EmulatorRequest, errors: FieldErrorCollector): (record: { modifyDate: Date }) => boolean {
  const instants: Partial<Record<'afterDate' | 'beforeDate', Date>> = {}
  for (const name of ['afterDate', 'beforeDate'] as const) {
    const raw = queryParam(req, name)?.trim()
    if (!raw) continue
    const parsed = parseInstant(raw)
    if (parsed === 'invalid') errors.add(name, `Недопустимое значение ${name}.`)
    else instants[name] = parsed
  }
  const { afterDate, beforeDate } = instants
  return (record) =>
    (!afterDate || record.modifyDate.getTime() >= afterDate.getTime()) && (!beforeDate || record.modifyDate.getTime() <= beforeDate.getTime())
}
