/**
 * Small helpers shared by the DaData and Kontur.Focus emulators: identifier checks (spec §1),
 * Moscow calendar days (DaData's quota resets at Moscow midnight, spec §2.6) and epoch dates.
 * Deliberately independent of `lib/registry` — the emulators must not be shaped by our client.
 */
import { createHash } from 'node:crypto'

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const check = (d: number[], w: number[]) => (w.reduce((s, k, i) => s + k * d[i]!, 0) % 11) % 10

/** INN-10/12 with a valid checksum (all-zero rejected, spec §1.5). */
export function isValidInn(value: string): boolean {
  if (!/^\d{10}(\d{2})?$/.test(value) || /^0+$/.test(value)) return false
  const d = [...value].map(Number)
  return value.length === 10 ? check(d, W10) === d[9] : check(d, W12A) === d[10] && check(d, W12B) === d[11]
}

export function isValidOgrn(value: string): boolean {
  if (/^\d{13}$/.test(value)) return Number((BigInt(value.slice(0, 12)) % 11n) % 10n) === Number(value[12])
  if (/^\d{15}$/.test(value)) return Number((BigInt(value.slice(0, 14)) % 13n) % 10n) === Number(value[14])
  return false
}

/** Epoch milliseconds of UTC midnight of an ISO date (DaData's usual date encoding, spec §2). */
export const epoch = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`)

const MSK_OFFSET_MS = 3 * 3_600_000

/** The Moscow calendar day (`YYYY-MM-DD`) of an instant — Moscow has been UTC+3 all year since 2014. */
export const moscowDay = (ms: number): string => new Date(ms + MSK_OFFSET_MS).toISOString().slice(0, 10)

/** A deterministic 64-hex-char id, shaped like DaData's `hid`. */
export const fakeHid = (...parts: string[]): string => createHash('sha256').update(parts.join('|')).digest('hex')

export function asStringList(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.flatMap(asStringList)
  if (typeof value === 'string' || typeof value === 'number') return [String(value)]
  return []
}
