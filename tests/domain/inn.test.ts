import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateInn } from '@/lib/domain/requisites'

// egrul.md §1.5 — valid INNs
const VALID_LEGAL = ['7707083893', '7736207543', '6663003127', '7728168971', '7736050003', '7719402047', '7721581040', '7709809066', '4713008497', '0660534489']
const VALID_PERSON = ['773165008890', '561100409545', '784806113663', '770303580308', '666102227581', '079285641150', '770123456703']
// checksum-valid, used as "not found in registry" in the emulator
const VALID_UNKNOWN = ['1234567894', '123456789047', '366220664163', '7723456782', '5031234569', '500312345614']

describe('validateInn — valid (egrul.md §1.5)', () => {
  it.each(VALID_LEGAL)('%s is a legal entity', (inn) => {
    expect(validateInn(inn)).toEqual({ ok: true, value: inn, kind: 'legal_entity' })
  })
  it.each(VALID_PERSON)('%s is an individual', (inn) => {
    expect(validateInn(inn)).toEqual({ ok: true, value: inn, kind: 'individual' })
  })
  it.each(VALID_UNKNOWN)('%s passes (existence is the registry’s business)', (inn) => {
    expect(validateInn(inn).ok).toBe(true)
  })
})

describe('validateInn — invalid (egrul.md §1.5)', () => {
  it.each([
    ['7707083894', 10],
    ['7736207544', 10],
    ['6663003120', 10],
    ['7728168972', 10],
    ['773165008891', 12], // second check digit wrong
    ['773165008880', 11], // first check digit wrong
    ['561100409544', 12],
    ['1234567890', 10],
    ['123456789012', 11],
  ])('%s fails the checksum at digit %i', (inn, position) => {
    expect(validateInn(inn)).toEqual({ ok: false, problem: { code: 'checksum', field: 'inn', value: inn, position } })
  })

  it.each([
    ['770708389', 9],
    ['77070838931', 11],
    ['77070838', 8],
    ['7707083893123', 13],
  ])('%s has the wrong length (%i)', (inn, length) => {
    expect(validateInn(inn)).toEqual({ ok: false, problem: { code: 'wrong_length', field: 'inn', value: inn, length, expected: [10, 12] } })
  })

  it('suggests a lost leading zero without applying it', () => {
    expect(validateInn('660534489')).toEqual({
      ok: false,
      problem: { code: 'wrong_length', field: 'inn', value: '660534489', length: 9, expected: [10, 12], suggestion: '0660534489' },
    })
    const r = validateInn('79285641150')
    expect(r.ok === false && r.problem.code === 'wrong_length' && r.problem.suggestion).toBe('079285641150')
  })

  it('7707O83893 (Latin O instead of zero) is a non-digit at position 5', () => {
    expect(validateInn('7707O83893')).toEqual({
      ok: false,
      problem: { code: 'non_digit', field: 'inn', value: '7707O83893', char: 'O', position: 5, allowed: 'digit', lookalike: '0' },
    })
  })

  it('Cyrillic О instead of zero is reported the same way', () => {
    const r = validateInn('7707О83893')
    expect(r).toMatchObject({ ok: false, problem: { code: 'non_digit', char: 'О', position: 5, lookalike: '0' } })
  })

  it('abcdefghij is a non-digit at position 1', () => {
    expect(validateInn('abcdefghij')).toEqual({
      ok: false,
      problem: { code: 'non_digit', field: 'inn', value: 'abcdefghij', char: 'a', position: 1, allowed: 'digit' },
    })
  })

  it.each(['', '   ', ' - ', null, undefined])('%j is empty', (raw) => {
    expect(validateInn(raw)).toEqual({ ok: false, problem: { code: 'empty', field: 'inn' } })
  })

  it.each(['0000000000', '000000000000', '0000 000 000'])('%j (passes the checksum) is refused as all zeros', (raw) => {
    expect(validateInn(raw)).toEqual({ ok: false, problem: { code: 'all_zeros', field: 'inn', value: normalise(raw) } })
  })

  it('refuses a checksum-valid INN starting with 00 (no such tax office)', () => {
    const inn = '0012345673' // checksum-valid
    expect(oracle(inn)).toBe(true)
    expect(validateInn(inn)).toEqual({ ok: false, problem: { code: 'invalid_region', field: 'inn', value: inn } })
  })
})

const normalise = (s: string) => s.replace(/\s/g, '')

// Oracle: the egrul.md §1.4 sketch, written independently of lib/domain/inn.ts.
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12A = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const W12B = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
const cd = (d: number[], w: number[]) => (w.reduce((s, k, i) => s + k * (d[i] ?? 0), 0) % 11) % 10
function oracle(inn: string): boolean {
  const d = [...inn].map(Number)
  return inn.length === 10 ? cd(d, W10) === d[9] : cd(d, W12A) === d[10] && cd(d, W12B) === d[11]
}

describe('validateInn — properties', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })

  it('agrees with the §1.4 oracle on random 10- and 12-digit strings (except zero prefixes)', () => {
    fc.assert(
      fc.property(fc.oneof(digits(10), digits(12)), (inn) => {
        fc.pre(!inn.startsWith('00'))
        expect(validateInn(inn).ok).toBe(oracle(inn))
      }),
      { numRuns: 2000 },
    )
  })

  it('a valid INN with a check digit changed is rejected', () => {
    // (Other single-digit changes can slip through: «mod 11, then mod 10» folds remainders 10 and 0.)
    const base = [...VALID_LEGAL, ...VALID_PERSON]
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.boolean(), fc.integer({ min: 1, max: 9 }), (inn, last, delta) => {
        const i = inn.length === 10 || last ? inn.length - 1 : inn.length - 2
        const changed = inn.slice(0, i) + String((Number(inn[i]) + delta) % 10) + inn.slice(i + 1)
        expect(validateInn(changed).ok).toBe(false)
      }),
    )
  })

  it('separators never change the verdict', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VALID_LEGAL, ...VALID_PERSON), fc.array(fc.constantFrom(' ', '-', '\u00A0', '\u202F', '\t', '–'), { maxLength: 4 }), fc.nat(), (inn, seps, at) => {
        const i = at % (inn.length + 1)
        const raw = inn.slice(0, i) + seps.join('') + inn.slice(i)
        expect(validateInn(raw)).toMatchObject({ ok: true, value: inn })
      }),
    )
  })
})
