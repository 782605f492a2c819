/**
 * Clean-up of registration numbers typed or pasted by people (ИНН, КПП, ОГРН, ОГРНИП).
 *
 * Removed: every kind of whitespace (space, tab, line breaks, NBSP U+00A0, narrow NBSP U+202F,
 * figure space U+2007 …), hyphens and dashes (`-`, U+2010–U+2015, minus U+2212), dots
 * (egrul.md §5.7: «7707.083.893»), and invisible copy-paste debris (soft hyphen, zero-width
 * characters, BOM). Everything else — letters, Cyrillic «О» instead of zero, slashes — is kept so
 * the validator can point at it.
 */
const SEPARATORS = /[\s\u00A0\u2007\u202F\u2010-\u2015\u2212.\-\u00AD\u200B-\u200D\u2060\uFEFF]/gu

export function normaliseDigits(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return ''
  return String(raw).replace(SEPARATORS, '')
}

/** Digits of a string already known to be `^\d+$`. */
export const digitsOf = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) - 48)

/** Characters that people type instead of a digit, and the digit they probably meant. */
const LOOKALIKES: Record<string, string> = {
  O: '0', o: '0', 'О': '0', 'о': '0',
  I: '1', l: '1', '|': '1', 'І': '1', 'і': '1',
  'З': '3', 'з': '3',
  'Б': '6',
  B: '8', 'В': '8',
}

/** The digit a non-digit character most likely stands for (`O` → `0`), if any. */
export const lookalikeDigit = (char: string): string | undefined => LOOKALIKES[char]
