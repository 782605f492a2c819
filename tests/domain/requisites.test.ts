import { describe, expect, it } from 'vitest'
import { validateRequisites } from '@/lib/domain/requisites'

describe('validateRequisites — consistent sets', () => {
  it('Сбербанк: INN + KPP + OGRN', () => {
    expect(validateRequisites({ inn: '7707083893', kpp: '773601001', ogrn: '1027700132195' })).toEqual({
      ok: true,
      value: { inn: '7707083893', kind: 'legal_entity', kpp: '773601001', ogrn: '1027700132195', ogrnip: null },
    })
  })

  it('a branch KPP from another tax office is allowed (egrul.md §5.1)', () => {
    expect(validateRequisites({ inn: '7707083893', kpp: '540602001' }).ok).toBe(true)
    expect(validateRequisites({ inn: '7728168971', kpp: '667143001', kind: 'legal_entity' }).ok).toBe(true)
  })

  it('ИП: 12-digit INN + OGRNIP, no KPP; kind inferred as sole_trader', () => {
    expect(validateRequisites({ inn: '770123456703', ogrnip: '321774600123451' })).toEqual({
      ok: true,
      value: { inn: '770123456703', kind: 'sole_trader', kpp: null, ogrn: null, ogrnip: '321774600123451' },
    })
    expect(validateRequisites({ inn: '561100409545', ogrnip: '309565808600188', kind: 'sole_trader', kpp: '', ogrn: null }).ok).toBe(true)
  })

  it('a private person: 12-digit INN alone', () => {
    expect(validateRequisites({ inn: '770303580308', kind: 'individual' })).toEqual({
      ok: true,
      value: { inn: '770303580308', kind: 'individual', kpp: null, ogrn: null, ogrnip: null },
    })
  })

  it('normalises every field', () => {
    const r = validateRequisites({ inn: ' 7707 083 893 ', kpp: '7736-01-001', ogrn: '1027700132195\u00A0' })
    expect(r).toMatchObject({ ok: true, value: { inn: '7707083893', kpp: '773601001', ogrn: '1027700132195' } })
  })
})

describe('validateRequisites — problems', () => {
  it('a legal entity needs a KPP', () => {
    expect(validateRequisites({ inn: '7707083893' })).toEqual({ ok: false, problems: [{ code: 'kpp_missing', field: 'kpp', inn: '7707083893' }] })
    expect(validateRequisites({ inn: '7707083893', kpp: '  ' })).toMatchObject({ ok: false, problems: [{ code: 'kpp_missing' }] })
  })

  it('an ИП has no KPP and no OGRN', () => {
    expect(validateRequisites({ inn: '770123456703', kpp: '773601001', ogrn: '1027700132195' })).toEqual({
      ok: false,
      problems: [
        { code: 'kpp_not_applicable', field: 'kpp', value: '773601001', owner: 'sole_trader' },
        { code: 'ogrn_not_applicable', field: 'ogrn', value: '1027700132195', owner: 'sole_trader' },
      ],
    })
  })

  it('a private person has no KPP', () => {
    expect(validateRequisites({ inn: '770303580308', kind: 'individual', kpp: '773601001' })).toMatchObject({
      ok: false,
      problems: [{ code: 'kpp_not_applicable', owner: 'individual' }],
    })
  })

  it('an organisation has no OGRNIP', () => {
    expect(validateRequisites({ inn: '7707083893', kpp: '773601001', ogrnip: '309565808600188' })).toEqual({
      ok: false,
      problems: [{ code: 'ogrnip_not_applicable', field: 'ogrnip', value: '309565808600188' }],
    })
  })

  it('declared kind contradicting the INN length is reported alone (no guesses about KPP/OGRN)', () => {
    expect(validateRequisites({ inn: '770123456703', kind: 'legal_entity' })).toEqual({
      ok: false,
      problems: [{ code: 'kind_mismatch', field: 'inn', value: '770123456703', innKind: 'individual', declared: 'legal_entity' }],
    })
    expect(validateRequisites({ inn: '7707083893', kind: 'sole_trader', kpp: '773601001' })).toEqual({
      ok: false,
      problems: [{ code: 'kind_mismatch', field: 'inn', value: '7707083893', innKind: 'legal_entity', declared: 'sole_trader' }],
    })
  })

  it('returns all problems at once, in field order', () => {
    const r = validateRequisites({ inn: '7707083894', kpp: '77360100', ogrn: '1027700132194' })
    expect(r).toEqual({
      ok: false,
      problems: [
        { code: 'checksum', field: 'inn', value: '7707083894', position: 10 },
        { code: 'wrong_length', field: 'kpp', value: '77360100', length: 8, expected: [9] },
        { code: 'checksum', field: 'ogrn', value: '1027700132194', position: 13 },
      ],
    })
  })

  it('a mistyped INN still lets the KPP rule work from its length', () => {
    expect(validateRequisites({ inn: '7707083894' })).toEqual({
      ok: false,
      problems: [
        { code: 'checksum', field: 'inn', value: '7707083894', position: 10 },
        { code: 'kpp_missing', field: 'kpp', inn: '7707083894' },
      ],
    })
  })

  it('missing INN and all-zero INN', () => {
    expect(validateRequisites({})).toEqual({ ok: false, problems: [{ code: 'empty', field: 'inn' }] })
    expect(validateRequisites({ inn: '0000000000', kpp: '773601001' })).toEqual({
      ok: false,
      problems: [{ code: 'all_zeros', field: 'inn', value: '0000000000' }],
    })
  })

  it('a bad OGRNIP of an ИП is reported as such', () => {
    expect(validateRequisites({ inn: '561100409545', ogrnip: '309565808600187' })).toEqual({
      ok: false,
      problems: [{ code: 'checksum', field: 'ogrnip', value: '309565808600187', position: 15 }],
    })
  })
})
