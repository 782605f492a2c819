/**
 * Calendar arithmetic in a named time zone (the portal's, or Moscow for MoeDelo dates), on plain
 * `YYYY-MM-DD` and `HH:MM` strings. Pure; Intl does the zone rules, daylight saving included.
 */

/** MoeDelo works in Moscow time (spec §2.1). */
export const MOSCOW = 'Europe/Moscow'

const formatters = new Map<string, Intl.DateTimeFormat>()

function partsIn(instant: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  const out: Record<string, number> = {}
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value)
  return out as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** A valid IANA zone name, or the fallback (a portal row with a broken value must not stop reminders). */
export function safeTimeZone(zone: string | null | undefined, fallback = MOSCOW): string {
  if (!zone) return fallback
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone
  } catch {
    return fallback
  }
}

/** The calendar date at `instant` in `timeZone`, `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): string {
  const p = partsIn(instant, timeZone)
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`
}

/** The wall-clock time at `instant` in `timeZone`, `HH:MM`. */
export function localTime(instant: Date, timeZone: string): string {
  const p = partsIn(instant, timeZone)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/** `YYYY-MM-DD` plus `days` (negative to go back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const p = partsIn(new Date(instant), timeZone)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000
}

/**
 * The instant when the wall clock in `timeZone` shows `date` `time`. A time repeated by a daylight-saving
 * change resolves to its first occurrence; a time skipped by one to the same distance after the jump.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = time.split(':').map(Number) as [number, number]
  const wanted = Date.UTC(y, m - 1, d, hh, mm)
  const before = offsetAt(wanted - 12 * 3_600_000, timeZone)
  const after = offsetAt(wanted + 12 * 3_600_000, timeZone)
  const fits = [wanted - before, wanted - after].filter((t) => t + offsetAt(t, timeZone) === wanted).sort((a, b) => a - b)
  return new Date(fits[0] ?? wanted - before)
}

/**
 * When the daily reminder should run next: today at `time` (zone-local) if that is still ahead or today's
 * run has not happened yet, otherwise tomorrow at `time`.
 */
export function nextDailyRun(now: Date, timeZone: string, time: string, lastRunDate: string | null): Date {
  const today = localDate(now, timeZone)
  const todayAt = zonedInstant(today, time, timeZone)
  if (lastRunDate !== today) return todayAt.getTime() > now.getTime() ? todayAt : now
  return zonedInstant(addDays(today, 1), time, timeZone)
}
