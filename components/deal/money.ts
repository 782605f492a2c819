import type { Lang } from '@/lib/i18n/ui'

/** Exact decimal text (`'194500.75'`) shown as money; the number is for display only. */
export function moneyText(amount: string | null | undefined, lang: Lang): string {
  if (amount === null || amount === undefined || amount === '') return '—'
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency: 'RUB' }).format(Number(amount))
}

/** `'2026-11-24'` → `24.11.2026` (ru) or `24/11/2026` (en). */
export function dateText(iso: string | null | undefined, lang: Lang): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null
  if (!m) return '—'
  return lang === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`
}
