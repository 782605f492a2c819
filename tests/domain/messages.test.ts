import { describe, expect, it } from 'vitest'
import { moneyProblemMessage, requisiteProblemMessage, requisiteProblemMessages, pluralRu } from '@/lib/domain/messages'
import type { MoneyProblem } from '@/lib/domain/money'
import { validateInn, validateKpp, validateOgrn, validateOgrnip, validateRequisites, type RequisiteProblem } from '@/lib/domain/requisites'

function problemOf(r: { ok: true } | { ok: false; problem: RequisiteProblem }): RequisiteProblem {
  if (r.ok) throw new Error('expected a problem')
  return r.problem
}
const innMsg = (raw: string, lang: 'ru' | 'en' = 'ru') => requisiteProblemMessage(problemOf(validateInn(raw)), lang)

describe('requisiteProblemMessage — exact Russian texts', () => {
  it('INN checksum (format from the issue)', () => {
    expect(innMsg('7707083894')).toBe('ИНН 7707083894: неверная контрольная цифра — проверьте последнюю цифру')
    expect(innMsg('773165008891')).toBe('ИНН 773165008891: неверная контрольная цифра — проверьте последнюю цифру')
    expect(innMsg('773165008880')).toBe('ИНН 773165008880: неверная контрольная цифра — проверьте две последние цифры')
  })

  it('default language is Russian', () => {
    const p = problemOf(validateInn('7707083894'))
    expect(requisiteProblemMessage(p)).toBe(requisiteProblemMessage(p, 'ru'))
  })

  it('INN length', () => {
    expect(innMsg('770708389')).toBe(
      'ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП), сейчас 9 цифр: 770708389 — исправьте ИНН в реквизитах компании',
    )
    expect(innMsg('77070838931')).toBe(
      'ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП), сейчас 11 цифр: 77070838931 — исправьте ИНН в реквизитах компании',
    )
    expect(innMsg('7707')).toBe(
      'ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП), сейчас 4 цифры: 7707 — исправьте ИНН в реквизитах компании',
    )
  })

  it('INN length with a lost leading zero', () => {
    expect(innMsg('660534489')).toBe(
      'ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП), сейчас 9 цифр: 660534489. Возможно, потерян ноль в начале: 0660534489 — проверьте ИНН в реквизитах компании',
    )
  })

  it('INN all zeros, empty, 00 prefix', () => {
    expect(innMsg('0000000000')).toBe('ИНН не может состоять из одних нулей — укажите настоящий ИНН в реквизитах компании')
    expect(innMsg('000000000000')).toBe('ИНН не может состоять из одних нулей — укажите настоящий ИНН в реквизитах компании')
    expect(innMsg('')).toBe('Не указан ИНН — заполните его в реквизитах компании')
    expect(innMsg('0012345673')).toBe('ИНН 0012345673 не может начинаться с 00 — проверьте первые цифры ИНН в реквизитах компании')
  })

  it('INN with a letter', () => {
    expect(innMsg('7707O83893')).toBe('ИНН 7707O83893: в 5-й позиции буква «O» вместо цифры 0 — исправьте ИНН в реквизитах компании')
    expect(innMsg('abcdefghij')).toBe('ИНН abcdefghij: в 1-й позиции буква «a», а ИНН состоит только из цифр — исправьте ИНН в реквизитах компании')
    expect(innMsg('7707/83893')).toBe('ИНН 7707/83893: в 5-й позиции символ «/», а ИНН состоит только из цифр — исправьте ИНН в реквизитах компании')
  })

  it('KPP', () => {
    expect(requisiteProblemMessage(problemOf(validateKpp('77360100')))).toBe(
      'КПП должен состоять из 9 символов, сейчас 8 символов: 77360100 — исправьте КПП в реквизитах компании',
    )
    expect(requisiteProblemMessage(problemOf(validateKpp('773601O01')))).toBe(
      'КПП 773601O01: в 7-й позиции буква «O» вместо цифры 0 — исправьте КПП в реквизитах компании',
    )
    expect(requisiteProblemMessage(problemOf(validateKpp('77a601001')))).toBe(
      'КПП 77a601001: в 3-й позиции буква «a», а здесь должна быть цифра — исправьте КПП в реквизитах компании',
    )
    expect(requisiteProblemMessage(problemOf(validateKpp('7736ab001')))).toBe(
      'КПП 7736ab001: в 5-й позиции буква «a», а здесь допустимы только цифры и заглавные латинские буквы — исправьте КПП в реквизитах компании',
    )
  })

  it('OGRN and OGRNIP', () => {
    expect(requisiteProblemMessage(problemOf(validateOgrn('1027700132194')))).toBe(
      'ОГРН 1027700132194: неверная контрольная цифра — проверьте последнюю цифру',
    )
    expect(requisiteProblemMessage(problemOf(validateOgrnip('309565808600187')))).toBe(
      'ОГРНИП 309565808600187: неверная контрольная цифра — проверьте последнюю цифру',
    )
    expect(requisiteProblemMessage(problemOf(validateOgrn('2027700132194')))).toBe(
      'ОГРН 2027700132194 должен начинаться с 1 или 5 — возможно, это номер другой записи ЕГРЮЛ. Проверьте ОГРН в реквизитах компании',
    )
    expect(requisiteProblemMessage(problemOf(validateOgrn('102770013219')))).toBe(
      'ОГРН должен состоять из 13 цифр, сейчас 12 цифр: 102770013219 — исправьте ОГРН в реквизитах компании',
    )
    expect(requisiteProblemMessage(problemOf(validateOgrnip('1027700132195')))).toBe(
      'ОГРНИП должен состоять из 15 цифр, сейчас 13 цифр: 1027700132195 — исправьте ОГРНИП в реквизитах компании',
    )
  })

  it('cross-field problems', () => {
    const msgs = (input: Parameters<typeof validateRequisites>[0]) => {
      const r = validateRequisites(input)
      return r.ok ? [] : requisiteProblemMessages(r.problems)
    }
    expect(msgs({ inn: '7707083893' })).toEqual(['Не указан КПП у юрлица — добавьте КПП в реквизитах компании'])
    expect(msgs({ inn: '770123456703', kpp: '773601001', ogrn: '1027700132195' })).toEqual([
      'У ИП нет КПП — удалите КПП 773601001 из реквизитов компании',
      'У ИП нет ОГРН, есть ОГРНИП из 15 цифр — заполните поле ОГРНИП вместо ОГРН в реквизитах компании',
    ])
    expect(msgs({ inn: '770303580308', kind: 'individual', kpp: '773601001' })).toEqual([
      'У физлица нет КПП — удалите КПП 773601001 из реквизитов компании',
    ])
    expect(msgs({ inn: '7707083893', kpp: '773601001', ogrnip: '309565808600188' })).toEqual([
      'У организации нет ОГРНИП, есть ОГРН из 13 цифр — заполните поле ОГРН вместо ОГРНИП в реквизитах компании',
    ])
    expect(msgs({ inn: '770123456703', kind: 'legal_entity' })).toEqual([
      'ИНН 770123456703 из 12 цифр — это ИНН ИП или физлица, а реквизиты заполнены как для организации — проверьте ИНН или выберите шаблон реквизитов «ИП»',
    ])
    expect(msgs({ inn: '7707083893', kind: 'sole_trader' })).toEqual([
      'ИНН 7707083893 из 10 цифр — это ИНН организации, а реквизиты заполнены как для ИП — проверьте ИНН или выберите шаблон реквизитов «Организация»',
    ])
  })
})

describe('requisiteProblemMessage — English', () => {
  it('key texts', () => {
    expect(innMsg('7707083894', 'en')).toBe('INN 7707083894: wrong check digit — check the last digit')
    expect(innMsg('0000000000', 'en')).toBe('An INN cannot be all zeros — enter the real INN in the company requisites')
    expect(innMsg('770708389', 'en')).toBe(
      'An INN has 10 digits (organisation) or 12 digits (sole trader), this one has 9 digits: 770708389 — correct the INN in the company requisites',
    )
    expect(requisiteProblemMessage({ code: 'kpp_missing', field: 'kpp', inn: '7707083893' }, 'en')).toBe(
      'KPP is missing for a legal entity — add the KPP in the company requisites',
    )
  })
})

// One example of every problem variant, to check all texts at once.
const EVERY_PROBLEM: RequisiteProblem[] = [
  { code: 'empty', field: 'inn' },
  { code: 'empty', field: 'kpp' },
  { code: 'empty', field: 'ogrn' },
  { code: 'empty', field: 'ogrnip' },
  { code: 'non_digit', field: 'inn', value: '77#7083893', char: '#', position: 3, allowed: 'digit' },
  { code: 'non_digit', field: 'kpp', value: '7736a#001', char: '#', position: 6, allowed: 'digit_or_latin_capital' },
  { code: 'non_digit', field: 'ogrnip', value: '3O9565808600188', char: 'O', position: 2, allowed: 'digit', lookalike: '0' },
  { code: 'wrong_length', field: 'inn', value: '1', length: 1, expected: [10, 12] },
  { code: 'wrong_length', field: 'kpp', value: '77360100122', length: 11, expected: [9] },
  { code: 'wrong_length', field: 'ogrnip', value: '3095658086001', length: 13, expected: [15] },
  { code: 'all_zeros', field: 'kpp', value: '000000000' },
  { code: 'all_zeros', field: 'ogrn', value: '0000000000000' },
  { code: 'invalid_region', field: 'inn', value: '0012345673' },
  { code: 'checksum', field: 'inn', value: '7707083894', position: 10 },
  { code: 'wrong_first_digit', field: 'ogrnip', value: '409565808600180', expected: ['3'] },
  { code: 'kpp_missing', field: 'kpp', inn: null },
  { code: 'kpp_not_applicable', field: 'kpp', value: '773601001', owner: 'sole_trader' },
  { code: 'ogrn_not_applicable', field: 'ogrn', value: '1027700132195', owner: 'individual' },
  { code: 'ogrnip_not_applicable', field: 'ogrnip', value: '309565808600188' },
  { code: 'kind_mismatch', field: 'inn', value: '7707083893', innKind: 'legal_entity', declared: 'individual' },
]

describe('every problem has a plain text in both languages', () => {
  it.each(EVERY_PROBLEM.map((p) => [p.code, p] as const))('%s', (_code, p) => {
    for (const lang of ['ru', 'en'] as const) {
      const text = requisiteProblemMessage(p, lang)
      expect(text.length).toBeGreaterThan(15)
      expect(text.length).toBeLessThan(200)
      expect(text).not.toMatch(/_|undefined|null|NaN|\[object/) // never a code or a leak
    }
    expect(requisiteProblemMessage(p, 'ru')).toMatch(/[а-яё]/i)
    expect(requisiteProblemMessage(p, 'en')).not.toMatch(/[а-яё]/i)
  })

  it('the Russian ones say where to fix or what to check', () => {
    for (const p of EVERY_PROBLEM) {
      expect(requisiteProblemMessage(p)).toMatch(/реквизит|проверьте/)
    }
  })
})

describe('pluralRu', () => {
  it.each([
    [1, 'цифра'],
    [2, 'цифры'],
    [4, 'цифры'],
    [5, 'цифр'],
    [11, 'цифр'],
    [12, 'цифр'],
    [21, 'цифра'],
    [22, 'цифры'],
    [111, 'цифр'],
  ])('%i %s', (n, word) => {
    expect(pluralRu(n, 'цифра', 'цифры', 'цифр')).toBe(word)
  })
})

describe('moneyProblemMessage', () => {
  const cases: [MoneyProblem, string, string][] = [
    [
      { code: 'too_precise', subject: 'amount', value: '12.345', maxDecimals: 2 },
      'Сумма 12,345: допустимо не больше 2 знаков после запятой — исправьте её в товарах сделки',
      "Amount 12.345: at most 2 decimal places — correct it in the deal's products",
    ],
    [
      { code: 'too_precise', subject: 'quantity', value: '1.2345', maxDecimals: 3 },
      'Количество 1,2345: допустимо не больше 3 знаков после запятой — исправьте его в товарах сделки',
      "Quantity 1.2345: at most 3 decimal places — correct it in the deal's products",
    ],
    [
      { code: 'not_a_number', subject: 'price', value: 'abc' },
      'Цена «abc» — не число. Исправьте её в товарах сделки',
      "Price “abc” is not a number — correct it in the deal's products",
    ],
    [
      { code: 'empty', subject: 'quantity' },
      'Не указано количество — заполните его в товарах сделки',
      "Quantity is missing — enter it in the deal's products",
    ],
    [
      { code: 'unsupported_vat_rate', value: '18' },
      'Ставка НДС «18» не поддерживается — выберите 0, 5, 7, 10, 20 или 22 % либо «Без НДС» в товарах сделки',
      "VAT rate “18” is not supported — choose 0, 5, 7, 10, 20 or 22 % or “no VAT” in the deal's products",
    ],
    [
      { code: 'mixed_vat_modes' },
      'В товарах сделки смешаны цены с НДС «в том числе» и НДС «сверху» — в одном счёте может быть только один вариант. Исправьте товары сделки',
      "The deal's products mix prices with VAT included and VAT on top — one invoice needs one way; correct the deal's products",
    ],
  ]
  it.each(cases)('%j', (problem, ru, en) => {
    expect(moneyProblemMessage(problem)).toBe(ru)
    expect(moneyProblemMessage(problem, 'en')).toBe(en)
  })
})
