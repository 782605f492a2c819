/** Small helpers shared by the Bitrix24 emulator modules. */
import { randomBytes } from 'node:crypto'

/** The portal's time zone is Europe/Moscow (UTC+3, no DST since 2014). */
export const PORTAL_TZ = 'Europe/Moscow'
const MSK_OFFSET_MS = 3 * 3_600_000

/** `2024-08-30T14:29:00+03:00` — how Bitrix24 REST prints datetimes (portal time zone). */
export function isoMsk(date: Date | null | undefined): string | null {
  if (!date) return null
  const shifted = new Date(date.getTime() + MSK_OFFSET_MS)
  return `${shifted.toISOString().slice(0, 19)}+03:00`
}

/** Date-only values (BEGINDATE, CLOSEDATE) are printed as midnight in the portal time zone. */
export function isoMskDate(date: Date | null | undefined): string | null {
  if (!date) return null
  const shifted = new Date(date.getTime() + MSK_OFFSET_MS)
  return `${shifted.toISOString().slice(0, 10)}T00:00:00+03:00`
}

/** `2024-07-23T08:11:02+00:00` as in the `time` envelope. */
export function isoUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`
}

/** Parses the date formats apps send: ISO, `YYYY-MM-DD` (portal midnight) and `DD.MM.YYYY`. */
export function parseDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return value
  const text = String(value).trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - MSK_OFFSET_MS)
  m = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text)
  if (m) {
    return new Date(
      Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) -
        MSK_OFFSET_MS,
    )
  }
  // ISO without an offset is portal local time.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return new Date(Date.parse(`${text}+03:00`))
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? null : new Date(ms)
}

/** Lower-case alphanumeric token like `ahodg4h37n89vo17gbkgq0x1l825nnb5`. */
export function randomToken(length = 32): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = randomBytes(length)
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length]
  return out
}

export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex')
}

export function round2(n: number): number {
  return Math.round((n + Number.EPSILON) * 100) / 100
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** PHP-ish truthiness for flags sent as `Y`/`N`, `1`/`0`, `true`/`false`. */
export function isTruthyFlag(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  const text = String(value ?? '').trim().toLowerCase()
  return text === 'y' || text === '1' || text === 'true' || text === 'yes'
}

/** Reads a key case-insensitively (Bitrix24 upper-cases the parameter names of many methods). */
export function pick(params: Record<string, unknown>, name: string): unknown {
  if (name in params) return params[name]
  const lower = name.toLowerCase()
  for (const [key, value] of Object.entries(params)) if (key.toLowerCase() === lower) return value
  return undefined
}

/** Converts a PHP-style "array" (object with numeric keys from bracket parsing) into a real array. */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (isPlainObject(value)) return Object.values(value)
  if (value === undefined || value === null || value === '') return []
  return [value]
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
