import { describe, expect, it } from 'vitest'
import { normaliseDigits, validateInn } from '@/lib/domain/requisites'

describe('normaliseDigits', () => {
  it.each([
    ['7707 083893', '7707083893'],
    [' 7707083893 ', '7707083893'],
    ['7707-083-893', '7707083893'],
    ['7707\u00A0083893', '7707083893'],
    ['7707\u202F083893', '7707083893'],
    ['7707\t083893\n', '7707083893'],
    ['7707–083893', '7707083893'], // en dash
    ['7707—083—893', '7707083893'], // em dash
    ['7707‐083893', '7707083893'], // U+2010 hyphen
    ['7707\u2212083893', '7707083893'], // minus sign
    ['7707.083.893', '7707083893'],
    ['\uFEFF7707\u200B083893\u00AD', '7707083893'], // BOM, zero-width space, soft hyphen
  ])('%j → %s', (raw, expected) => {
    expect(normaliseDigits(raw)).toBe(expected)
  })

  it('keeps everything else so it can be reported', () => {
    expect(normaliseDigits('7707O83893')).toBe('7707O83893')
    expect(normaliseDigits('7707 О83893')).toBe('7707О83893') // Cyrillic О
    expect(normaliseDigits('7707/083893')).toBe('7707/083893')
    expect(normaliseDigits('ИНН 7707083893')).toBe('ИНН7707083893')
  })

  it('treats null and undefined as empty', () => {
    expect(normaliseDigits(null)).toBe('')
    expect(normaliseDigits(undefined)).toBe('')
    expect(normaliseDigits(' \u00A0- ')).toBe('')
  })

  it.each(['7707 083893', ' 7707083893 ', '7707-083-893', '7707\u00A0083893', '7707–083893'])(
    'egrul.md §1.5 normalisation case %j validates after normalisation',
    (raw) => {
      expect(validateInn(raw)).toEqual({ ok: true, value: '7707083893', kind: 'legal_entity' })
    },
  )
})
