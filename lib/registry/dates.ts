/** Date helpers: DaData sends epoch milliseconds (sometimes Moscow midnight, spec §5.16), Focus ISO dates. */

const moscowFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Moscow',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** Epoch ms → the Moscow calendar date `YYYY-MM-DD`; `null` for null/invalid input. */
export function epochToMoscowDate(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null
  return moscowFormatter.format(new Date(ms))
}

/** `YYYY-MM-DD` (possibly with a time part) → `YYYY-MM-DD`; anything else → null. */
export function isoDate(value: string | null | undefined): string | null {
  if (!value) return null
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value)
  return m ? m[1]! : null
}

/** Today's Moscow date. */
export const moscowToday = (now: number = Date.now()): string => moscowFormatter.format(new Date(now))

/** Milliseconds until the next Moscow midnight (DaData's daily quota resets then, spec §2.6). Moscow is UTC+3. */
export function msUntilMoscowMidnight(now: number = Date.now()): number {
  const msk = now + 3 * 3_600_000
  const next = Math.floor(msk / 86_400_000 + 1) * 86_400_000
  return next - msk
}
