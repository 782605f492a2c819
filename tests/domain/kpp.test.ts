import { describe, expect, it } from 'vitest'
import { validateKpp } from '@/lib/domain/requisites'

describe('validateKpp (egrul.md §1.2, §1.5)', () => {
  it.each(['773601001', '540602001', '667143001', '770501001', '771543001', '7736AB001'])('%s is valid', (kpp) => {
    expect(validateKpp(kpp)).toEqual({ ok: true, value: kpp })
  })

  it('normalises separators', () => {
    expect(validateKpp(' 7736 01 001 ')).toEqual({ ok: true, value: '773601001' })
  })

  it('773601O01: letter in the serial part', () => {
    expect(validateKpp('773601O01')).toEqual({
      ok: false,
      problem: { code: 'non_digit', field: 'kpp', value: '773601O01', char: 'O', position: 7, allowed: 'digit', lookalike: '0' },
    })
  })

  it('77a601001: letter in the tax office code', () => {
    expect(validateKpp('77a601001')).toEqual({
      ok: false,
      problem: { code: 'non_digit', field: 'kpp', value: '77a601001', char: 'a', position: 3, allowed: 'digit' },
    })
  })

  it('lower-case letters are not allowed in positions 5–6 either', () => {
    expect(validateKpp('7736ab001')).toMatchObject({ ok: false, problem: { code: 'non_digit', position: 5, char: 'a', allowed: 'digit_or_latin_capital' } })
  })

  it.each([
    ['77360100', 8],
    ['7736010011', 10],
  ])('%s has the wrong length', (kpp, length) => {
    expect(validateKpp(kpp)).toEqual({ ok: false, problem: { code: 'wrong_length', field: 'kpp', value: kpp, length, expected: [9] } })
  })

  it('refuses all zeros and empty input', () => {
    expect(validateKpp('000000000')).toEqual({ ok: false, problem: { code: 'all_zeros', field: 'kpp', value: '000000000' } })
    expect(validateKpp('')).toEqual({ ok: false, problem: { code: 'empty', field: 'kpp' } })
  })
})
