/**
 * INN / KPP / OGRN / OGRNIP checks (spec egrul.md §1). Identifiers are always strings (leading zeros).
 */
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const checkDigit = (d: number[], w: number[]) => (w.reduce((s, k, i) => s + k * d[i]!, 0) % 11) % 10

/** Strips spaces (incl. NBSP), hyphens/dashes and dots; anything else stays and will fail (spec §5.7). */
export const normalizeId = (raw: string): string => raw.replace(/[\s\u00A0\u2010-\u2015.-]/g, '')

export type InnKind = 'LEGAL' | 'INDIVIDUAL'
export type InnProblem = 'format' | 'length' | 'checksum' | 'zero'

export function validateInn(raw: string): { ok: true; inn: string; kind: InnKind } | { ok: false; reason: InnProblem } {
  const inn = normalizeId(raw)
  if (!/^\d+$/.test(inn)) return { ok: false, reason: 'format' }
  if (inn.length !== 10 && inn.length !== 12) return { ok: false, reason: 'length' }
  if (/^0+$/.test(inn) || inn.startsWith('00')) return { ok: false, reason: 'zero' }
  const d = [...inn].map(Number)
  const ok = inn.length === 10 ? checkDigit(d, W10) === d[9] : checkDigit(d, W12A) === d[10] && checkDigit(d, W12B) === d[11]
  return ok ? { ok: true, inn, kind: inn.length === 10 ? 'LEGAL' : 'INDIVIDUAL' } : { ok: false, reason: 'checksum' }
}

export const isKpp = (s: string): boolean => /^\d{4}[\dA-Z]{2}\d{3}$/.test(s)

export const isOgrn = (s: string): boolean =>
  /^\d{13}$/.test(s) && Number((BigInt(s.slice(0, 12)) % 11n) % 10n) === Number(s[12])

export const isOgrnip = (s: string): boolean =>
  /^\d{15}$/.test(s) && Number((BigInt(s.slice(0, 14)) % 13n) % 10n) === Number(s[14])
