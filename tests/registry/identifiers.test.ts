/** INN/KPP/OGRN checks and date conversion against the verified data of spec egrul.md §1.5, §5.16. */
import { describe, expect, it } from 'vitest'
import { epochToMoscowDate, isKpp, isOgrn, isOgrnip, msUntilMoscowMidnight, normalizeId, validateInn } from '@/lib/registry'

describe('validateInn', () => {
  it('accepts the verified valid INNs (10 and 12 digits, leading zeros)', () => {
    const legal = ['7707083893', '7736207543', '6663003127', '7728168971', '7736050003', '7719402047', '7721581040', '7709809066', '4713008497', '0660534489']
    const individual = ['773165008890', '561100409545', '784806113663', '770303580308', '666102227581', '079285641150', '770123456703']
    for (const inn of legal) expect(validateInn(inn)).toEqual({ ok: true, inn, kind: 'LEGAL' })
    for (const inn of individual) expect(validateInn(inn)).toEqual({ ok: true, inn, kind: 'INDIVIDUAL' })
  })

  it('rejects the verified invalid ones with a reason', () => {
    const cases: [string, string][] = [
      ['7707083894', 'checksum'], ['7736207544', 'checksum'], ['6663003120', 'checksum'], ['7728168972', 'checksum'],
      ['773165008891', 'checksum'], ['773165008880', 'checksum'], ['561100409544', 'checksum'], ['1234567890', 'checksum'],
      ['123456789012', 'checksum'], ['770708389', 'length'], ['77070838931', 'length'], ['7707O83893', 'format'],
      ['abcdefghij', 'format'], ['', 'format'], ['0000000000', 'zero'], ['000000000000', 'zero'],
    ]
    for (const [input, reason] of cases) expect(validateInn(input)).toEqual({ ok: false, reason })
  })

  it('normalises spaces, NBSP, hyphens and dashes', () => {
    for (const raw of ['7707 083893', ' 7707083893 ', '7707-083-893', '7707\u00A0083893', '7707–083893']) {
      expect(normalizeId(raw)).toBe('7707083893')
      expect(validateInn(raw).ok).toBe(true)
    }
  })
})

describe('KPP / OGRN / OGRNIP', () => {
  it('matches the verified examples', () => {
    for (const kpp of ['773601001', '540602001', '667143001', '770501001', '771543001', '7736AB001']) expect(isKpp(kpp)).toBe(true)
    for (const kpp of ['773601O01', '77360100', '7736010011', '77a601001']) expect(isKpp(kpp)).toBe(false)
    for (const ogrn of ['1027700132195', '1026605606620', '5087746425509', '1227700677368', '1214000005010']) expect(isOgrn(ogrn)).toBe(true)
    for (const ogrnip of ['309565808600188', '304500116000157', '326774600279782', '321774600123451']) expect(isOgrnip(ogrnip)).toBe(true)
    expect(isOgrn('1027700132194')).toBe(false)
    expect(isOgrnip('309565808600187')).toBe(false)
  })
})

describe('dates', () => {
  it('reads epoch ms in Moscow time (Moscow-midnight values keep their day, spec §5.16)', () => {
    expect(epochToMoscowDate(1254690000000)).toBe('2009-10-05')
    expect(epochToMoscowDate(677376000000)).toBe('1991-06-20')
    expect(epochToMoscowDate(null)).toBeNull()
  })

  it('counts down to the next Moscow midnight', () => {
    expect(msUntilMoscowMidnight(Date.parse('2026-04-01T20:00:00Z'))).toBe(3_600_000)
    expect(msUntilMoscowMidnight(Date.parse('2026-04-01T21:00:00Z'))).toBe(86_400_000)
  })
})
