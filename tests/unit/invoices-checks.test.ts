import { describe, expect, it } from 'vitest'
import { invoiceProblemMessage, invoiceProblemMessages } from '@/lib/domain/messages'
import { checkDealForInvoice, type InvoiceProblem } from '@/lib/invoices'
import { deal, row } from './invoices-fixtures'

const problemsOf = (...args: Parameters<typeof checkDealForInvoice>): InvoiceProblem[] => {
  const r = checkDealForInvoice(...args)
  return r.ok ? [] : r.problems
}
const textsOf = (...args: Parameters<typeof checkDealForInvoice>) => invoiceProblemMessages(problemsOf(...args))

describe('checkDealForInvoice — a good deal passes', () => {
  it('company with valid requisites, one taxed row, RUB, matching sum', () => {
    expect(checkDealForInvoice(deal())).toEqual({ ok: true })
  })

  it('a contact with a private person’s requisites is a valid buyer', () => {
    const d = deal({ company: null, contact: { id: 3, name: 'Иван Петров', requisite: { inn: '500100732259', presetKind: 'individual' } } })
    expect(checkDealForInvoice(d)).toEqual({ ok: true })
  })

  it('registry statuses that do not block: active, reorganizing, unknown, not checked', () => {
    for (const registryStatus of ['active', 'reorganizing', 'unknown', null, undefined] as const) {
      const d = deal()
      expect(checkDealForInvoice({ ...d, company: { ...d.company!, registryStatus } })).toEqual({ ok: true })
    }
  })
})

describe('checkDealForInvoice — exact Russian texts of the key problems', () => {
  it('no products', () => {
    expect(textsOf(deal({ productRows: [], opportunity: '0' }))).toEqual(['В сделке нет товаров — добавьте хотя бы одну позицию на вкладке «Товары»'])
  })

  it('no client', () => {
    expect(textsOf(deal({ company: null, contact: null }))).toEqual([
      'В сделке не выбран клиент — укажите компанию (или контакт с реквизитами физлица) в поле «Клиент» сделки',
    ])
  })

  it('company without requisites', () => {
    const d = deal()
    expect(textsOf({ ...d, company: { ...d.company!, requisite: null } })).toEqual([
      'У компании «ООО «Ромашка»» нет реквизитов — заполните ИНН (и КПП для организации) на вкладке «Реквизиты» карточки компании',
    ])
  })

  it('contact without requisites', () => {
    expect(textsOf(deal({ company: null, contact: { id: 3, name: 'Иван Петров', requisite: { inn: '  ' } } }))).toEqual([
      'У контакта «Иван Петров» нет реквизитов — добавьте реквизиты по шаблону «Физ. лицо» с ИНН на вкладке «Реквизиты» карточки контакта',
    ])
  })

  it('invalid INN (checksum), via the requisite texts', () => {
    const d = deal()
    expect(textsOf({ ...d, company: { ...d.company!, requisite: { inn: '7717586111', kpp: '770501001', presetKind: 'legal_entity' } } })).toEqual([
      'Компания «ООО «Ромашка»»: ИНН 7717586111: неверная контрольная цифра — проверьте последнюю цифру',
    ])
  })

  it('organisation without KPP', () => {
    const d = deal()
    expect(textsOf({ ...d, company: { ...d.company!, requisite: { inn: '7717586110', presetKind: 'legal_entity' } } })).toEqual([
      'Компания «ООО «Ромашка»»: Не указан КПП у юрлица — добавьте КПП в реквизитах компании',
    ])
  })

  it('contact texts point to the contact’s requisites', () => {
    const texts = textsOf(deal({ company: null, contact: { id: 3, name: 'Иван Петров', requisite: { inn: '50010073225', presetKind: 'individual' } } }))
    expect(texts).toHaveLength(1)
    expect(texts[0]).toMatch(/^Контакт «Иван Петров»: ИНН должен состоять из 10 цифр/)
    expect(texts[0]).toContain('реквизитах контакта')
    expect(texts[0]).not.toContain('реквизитах компании')
  })

  it('contact with an organisation’s requisites', () => {
    expect(textsOf(deal({ company: null, contact: { id: 3, name: 'Иван Петров', requisite: { inn: '7717586110', kpp: '770501001', presetKind: 'legal_entity' } } }))).toEqual([
      'Контакт «Иван Петров»: реквизиты заполнены как для организации — для счёта контакту нужны реквизиты по шаблону «Физ. лицо» или «ИП» на вкладке «Реквизиты», а для организации выберите в сделке компанию',
    ])
  })

  it.each([
    ['liquidated', 'Компания «ООО «Ромашка»»: ликвидирована (по данным ЕГРЮЛ/ЕГРИП) — счёт не выставлен. Проверьте статус на вкладке «Расчёты» карточки компании или выберите в сделке другого клиента'],
    ['liquidating', 'Компания «ООО «Ромашка»»: в процессе ликвидации (по данным ЕГРЮЛ/ЕГРИП) — счёт не выставлен. Проверьте статус на вкладке «Расчёты» карточки компании или выберите в сделке другого клиента'],
    ['bankrupt', 'Компания «ООО «Ромашка»»: банкротство (по данным ЕГРЮЛ/ЕГРИП) — счёт не выставлен. Проверьте статус на вкладке «Расчёты» карточки компании или выберите в сделке другого клиента'],
  ] as const)('counterparty %s', (registryStatus, text) => {
    const d = deal()
    expect(textsOf({ ...d, company: { ...d.company!, registryStatus } })).toEqual([text])
  })

  it('sole trader that stopped: the ИП wording', () => {
    const d = deal({ company: { id: 8, title: 'ИП Сидоров', requisite: { inn: '500100732259', presetKind: 'sole_trader' }, registryStatus: 'liquidated' } })
    expect(textsOf(d)[0]).toBe(
      'Компания «ИП Сидоров»: ИП прекратил деятельность (по данным ЕГРЮЛ/ЕГРИП) — счёт не выставлен. Проверьте статус на вкладке «Расчёты» карточки компании или выберите в сделке другого клиента',
    )
  })

  it('currency other than RUB, and no currency', () => {
    expect(textsOf(deal({ currency: 'USD' }))).toEqual([
      'Сделка в валюте USD, а «Моё дело» выставляет счета только в рублях — выберите валюту «Российский рубль» в поле «Сумма и валюта» сделки',
    ])
    expect(textsOf(deal({ currency: '' }))).toEqual(['У сделки не указана валюта — выберите «Российский рубль» в поле «Сумма и валюта» сделки'])
    expect(checkDealForInvoice(deal({ currency: 'rub' }))).toEqual({ ok: true })
  })

  it('row without a VAT rate', () => {
    expect(textsOf(deal({ productRows: [row({ TAX_RATE: null, PRICE: 1220 })] }))).toEqual([
      'Товар «Консультация»: не выбрана ставка НДС — укажите ставку (0, 5, 7, 10, 20, 22 % или «Без НДС») на вкладке «Товары»',
    ])
  })

  it('a missing VAT rate is «Без НДС» when the seller does not charge VAT', () => {
    expect(checkDealForInvoice(deal({ productRows: [row({ TAX_RATE: null, PRICE: 1220, PRICE_EXCLUSIVE: 1220 })] }), { missingVatRate: 'without_vat' })).toEqual({ ok: true })
  })

  it('unsupported VAT rate (18 %)', () => {
    expect(textsOf(deal({ productRows: [row({ TAX_RATE: 18, PRICE: 1220 })] }))).toEqual([
      'Товар «Консультация»: Ставка НДС «18» не поддерживается — выберите 0, 5, 7, 10, 20 или 22 % либо «Без НДС» на вкладке «Товары»',
    ])
  })

  it('zero and negative quantity, zero price', () => {
    expect(textsOf(deal({ productRows: [row({ QUANTITY: 0 })] }))).toEqual([
      'Товар «Консультация»: количество 0 — укажите количество больше нуля на вкладке «Товары»',
    ])
    expect(textsOf(deal({ productRows: [row({ QUANTITY: -1.5 })] }))).toEqual([
      'Товар «Консультация»: количество -1,5 — укажите количество больше нуля на вкладке «Товары»',
    ])
    expect(textsOf(deal({ productRows: [row({ PRICE: 0 })] }))).toEqual(['Товар «Консультация»: цена 0 — укажите цену больше нуля на вкладке «Товары»'])
  })

  it('quantity with more than 3 decimals, price that is not a number', () => {
    expect(textsOf(deal({ productRows: [row({ QUANTITY: 1.2345 })] }))).toEqual([
      'Товар «Консультация»: Количество 1,2345: допустимо не больше 3 знаков после запятой — исправьте его на вкладке «Товары»',
    ])
    expect(textsOf(deal({ productRows: [row({ PRICE: 'abc' })] }))).toEqual([
      'Товар «Консультация»: Цена «abc» — не число. Исправьте её на вкладке «Товары»',
    ])
  })

  it('row without a name, name too long', () => {
    expect(textsOf(deal({ productRows: [row({ PRODUCT_NAME: '' })] }))).toEqual(['Позиция №1 без названия — впишите название на вкладке «Товары»'])
    const long = 'а'.repeat(1001)
    expect(textsOf(deal({ productRows: [row({ PRODUCT_NAME: long })] }))).toEqual([
      `Товар «${'а'.repeat(60)}…»: название длиннее 1000 символов (сейчас 1001) — сократите его на вкладке «Товары»`,
    ])
  })

  it('manual deal sum that differs from the products', () => {
    expect(textsOf(deal({ opportunity: '1000.00', isManualOpportunity: true }))).toEqual([
      'Сумма сделки 1\u00A0000,00\u00A0₽ введена вручную и отличается от суммы товаров 1\u00A0220,00\u00A0₽ — счёт выставляется по товарам. Включите расчёт суммы по товарам или исправьте сумму сделки либо товары на вкладке «Товары»',
    ])
  })

  it('a manual deal sum equal to the products is fine', () => {
    expect(checkDealForInvoice(deal({ opportunity: '1220', isManualOpportunity: true }))).toEqual({ ok: true })
  })

  it('a computed deal sum that does not match the products (stale data)', () => {
    expect(problemsOf(deal({ opportunity: '1219.99' }))).toEqual([{ code: 'deal_sum_differs', dealSum: '1219.99', productsSum: '1220.00', manual: false }])
    expect(textsOf(deal({ opportunity: '1219.99' }))[0]).toBe(
      'Сумма сделки 1\u00A0219,99\u00A0₽ отличается от суммы товаров 1\u00A0220,00\u00A0₽ — пересохраните товары на вкладке «Товары», чтобы сумма сделки пересчиталась',
    )
  })

  it('mixed «включён»/«сверху»: a problem only when asked for', () => {
    const d = deal({
      productRows: [row(), row({ ID: '2', PRODUCT_NAME: 'Доставка', PRICE: 500, PRICE_EXCLUSIVE: 409.84, TAX_INCLUDED: 'Y' })],
      opportunity: '1720.00',
    })
    expect(checkDealForInvoice(d)).toEqual({ ok: true })
    expect(textsOf(d, { mixedVatModes: 'problem' })).toEqual([
      'В товарах сделки у одних позиций НДС включён в цену, а у других начисляется сверху, а в счёте «Моё дело» может быть только один вариант — сделайте отметку «Налог включён в цену» одинаковой у всех позиций на вкладке «Товары»',
    ])
  })
})

describe('checkDealForInvoice — all problems at once', () => {
  it('lists client, currency and every row problem together, in card order', () => {
    const d = deal({
      currency: 'EUR',
      company: { id: 7, title: 'ООО «Ромашка»', requisite: { inn: '7717586110', presetKind: 'legal_entity' }, registryStatus: 'bankrupt' },
      productRows: [row({ QUANTITY: 0 }), row({ PRODUCT_NAME: 'Доставка', PRICE: -5, TAX_RATE: null }), row({ PRODUCT_NAME: '' })],
    })
    expect(problemsOf(d).map((p) => p.code)).toEqual([
      'requisites',
      'counterparty_flagged',
      'currency_not_rub',
      'row_quantity_not_positive',
      'row_price_not_positive',
      'row_vat_missing',
      'row_name_missing',
    ])
    // The sum is not compared while rows are broken: it would only repeat them.
  })
})

describe('invoiceProblemMessage — every problem has a Russian and an English text', () => {
  const all: InvoiceProblem[] = [
    { code: 'no_client' },
    { code: 'no_requisites', party: 'company', title: 'A' },
    { code: 'no_requisites', party: 'contact', title: 'B' },
    { code: 'requisites', party: 'company', title: 'A', problem: { code: 'kpp_missing', field: 'kpp', inn: '7717586110' } },
    { code: 'requisites', party: 'contact', title: 'B', problem: { code: 'empty', field: 'inn' } },
    { code: 'contact_not_person', title: 'B' },
    { code: 'counterparty_flagged', party: 'company', title: 'A', status: 'liquidated', soleTrader: false },
    { code: 'currency_not_rub', currency: 'USD' },
    { code: 'currency_not_rub', currency: '' },
    { code: 'no_products' },
    { code: 'row_name_missing', row: 2 },
    { code: 'row_name_too_long', row: 1, name: 'x'.repeat(1001), length: 1001 },
    { code: 'row_value', row: 1, name: 'N', problem: { code: 'empty', subject: 'price' } },
    { code: 'row_value', row: 1, name: '', problem: { code: 'unsupported_vat_rate', value: '12' } },
    { code: 'row_quantity_not_positive', row: 1, name: 'N', value: '0' },
    { code: 'row_price_not_positive', row: 1, name: 'N', value: '0' },
    { code: 'row_vat_missing', row: 1, name: 'N' },
    { code: 'mixed_vat_modes' },
    { code: 'deal_sum_differs', dealSum: '1.00', productsSum: '2.00', manual: true },
    { code: 'deal_sum_differs', dealSum: '1.00', productsSum: '2.00', manual: false },
  ]

  it.each(all.map((p) => [p.code, p] as const))('%s', (_code, p) => {
    const ru = invoiceProblemMessage(p)
    const en = invoiceProblemMessage(p, 'en')
    expect(ru).toMatch(/[а-яё]/i)
    expect(ru).toMatch(/ — /) // what is wrong — what to do
    expect(en).not.toMatch(/[а-яё]/i)
    expect(en.length).toBeGreaterThan(20)
  })

  it('row texts without a name fall back to the row number', () => {
    expect(invoiceProblemMessage({ code: 'row_vat_missing', row: 3, name: '' })).toMatch(/^Позиция №3: /)
    expect(invoiceProblemMessage({ code: 'row_vat_missing', row: 3, name: '' }, 'en')).toMatch(/^Row 3: /)
  })

  it('the English unsupported-rate text points to the products tab', () => {
    expect(invoiceProblemMessage({ code: 'row_value', row: 1, name: 'N', problem: { code: 'unsupported_vat_rate', value: '12' } }, 'en')).toBe(
      'Product “N”: VAT rate “12” is not supported — choose 0, 5, 7, 10, 20 or 22 % or “no VAT” on the “Products” tab',
    )
  })
})
