import { describe, expect, it } from 'vitest'
import { validateOgrn, validateOgrnip } from '@/lib/domain/requisites'

const OGRN = ['1027700132195', '1026605606620', '5087746425509', '1227700677368', '1153328000154', '1167746503231', '1097746360568', '1027700229193', '1027700070518', '1027700067328', '1214000005010']
const OGRNIP = ['309565808600188', '304500116000157', '313132804400022', '314220119000137', '326774600279782', '321774600123451']

describe('validateOgrn (egrul.md §1.3, §1.5)', () => {
  it.each(OGRN)('%s is valid', (ogrn) => {
    expect(validateOgrn(ogrn)).toEqual({ ok: true, value: ogrn })
  })

  it('1214000005010: remainder 10 gives check digit 0', () => {
    expect(validateOgrn('1214000005010').ok).toBe(true)
    expect(validateOgrn('1214000005011').ok).toBe(false)
  })

  it('1027700132194 (mutated) fails the checksum', () => {
    expect(validateOgrn('1027700132194')).toEqual({ ok: false, problem: { code: 'checksum', field: 'ogrn', value: '1027700132194', position: 13 } })
  })

  it('normalises separators', () => {
    expect(validateOgrn('1 02 77 00 1321 95')).toEqual({ ok: true, value: '1027700132195' })
  })

  it('a checksum-valid registry record number (ГРН starting with 2) is not an OGRN', () => {
    // 2027700132194: 202770013219 mod 11 = 4 — checksum-valid, but 2 marks a record number
    expect(validateOgrn('2027700132194')).toEqual({
      ok: false,
      problem: { code: 'wrong_first_digit', field: 'ogrn', value: '2027700132194', expected: ['1', '5'] },
    })
  })

  it('refuses wrong lengths, letters, empty input and all zeros', () => {
    expect(validateOgrn('309565808600188')).toMatchObject({ ok: false, problem: { code: 'wrong_length', length: 15, expected: [13] } })
    expect(validateOgrn('10277OO132195')).toMatchObject({ ok: false, problem: { code: 'non_digit', position: 6, lookalike: '0' } })
    expect(validateOgrn('')).toEqual({ ok: false, problem: { code: 'empty', field: 'ogrn' } })
    expect(validateOgrn('0000000000000')).toEqual({ ok: false, problem: { code: 'all_zeros', field: 'ogrn', value: '0000000000000' } })
  })
})

describe('validateOgrnip (egrul.md §1.3, §1.5)', () => {
  it.each(OGRNIP)('%s is valid', (ogrnip) => {
    expect(validateOgrnip(ogrnip)).toEqual({ ok: true, value: ogrnip })
  })

  it('326774600279782: remainder 12 (mod 13) gives check digit 2', () => {
    expect(validateOgrnip('326774600279782').ok).toBe(true)
  })

  it('309565808600187 (mutated) fails the checksum', () => {
    expect(validateOgrnip('309565808600187')).toEqual({ ok: false, problem: { code: 'checksum', field: 'ogrnip', value: '309565808600187', position: 15 } })
  })

  it('must start with 3', () => {
    const r = validateOgrnip('409565808600188')
    expect(r).toMatchObject({ ok: false, problem: { code: expect.stringMatching(/wrong_first_digit|checksum/) } })
    expect(validateOgrnip('409565808600180')).toMatchObject({ ok: false, problem: { code: 'wrong_first_digit', expected: ['3'] } })
  })

  it('refuses a 13-digit OGRN and all zeros', () => {
    expect(validateOgrnip('1027700132195')).toMatchObject({ ok: false, problem: { code: 'wrong_length', field: 'ogrnip', length: 13, expected: [15] } })
    expect(validateOgrnip('000000000000000')).toMatchObject({ ok: false, problem: { code: 'all_zeros' } })
  })
})
