/**
 * The one place for plain-language texts about data problems (requisites, money, VAT).
 * Russian first, English available. Short, concrete, saying what to fix and where. No API codes.
 */
import type { Lang } from '../i18n/ui'
import type { MoneyProblem, MoneySubject } from './kopecks'
import type { RequisiteField, RequisiteProblem, RequisitesKind } from './problems'

export type { Lang }

const LABEL: Record<Lang, Record<RequisiteField, string>> = {
  ru: { inn: 'ИНН', kpp: 'КПП', ogrn: 'ОГРН', ogrnip: 'ОГРНИП' },
  en: { inn: 'INN', kpp: 'KPP', ogrn: 'OGRN', ogrnip: 'OGRNIP' },
}

/** Russian plural: 1 цифра, 2 цифры, 5 цифр, 21 цифра, 11 цифр. */
export function pluralRu(n: number, one: string, few: string, many: string): string {
  const n10 = n % 10
  const n100 = n % 100
  if (n10 === 1 && n100 !== 11) return one
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return few
  return many
}

const digitsRu = (n: number) => `${n} ${pluralRu(n, 'цифра', 'цифры', 'цифр')}`
const charsRu = (n: number) => `${n} ${pluralRu(n, 'символ', 'символа', 'символов')}`
const digitsEn = (n: number) => `${n} digit${n === 1 ? '' : 's'}`
const charsEn = (n: number) => `${n} character${n === 1 ? '' : 's'}`

const isLetter = (c: string) => /\p{L}/u.test(c)

const OWNER_RU: Record<RequisitesKind, string> = { legal_entity: 'организации', sole_trader: 'ИП', individual: 'физлица' }
const OWNER_EN: Record<RequisitesKind, string> = { legal_entity: 'an organisation', sole_trader: 'a sole trader', individual: 'a private person' }
const PRESET_RU: Record<RequisitesKind, string> = { legal_entity: 'Организация', sole_trader: 'ИП', individual: 'Физ. лицо' }

function ru(p: RequisiteProblem): string {
  const fix = (label: string) => `исправьте ${label} в реквизитах компании`
  switch (p.code) {
    case 'empty': {
      const L = LABEL.ru[p.field]
      return `Не указан ${L} — заполните его в реквизитах компании`
    }
    case 'non_digit': {
      const L = LABEL.ru[p.field]
      const what = `${isLetter(p.char) ? 'буква' : 'символ'} «${p.char}»`
      const detail =
        p.lookalike !== undefined
          ? ` вместо цифры ${p.lookalike}`
          : p.allowed === 'digit_or_latin_capital'
            ? ', а здесь допустимы только цифры и заглавные латинские буквы'
            : p.field === 'kpp'
              ? ', а здесь должна быть цифра'
              : `, а ${L} состоит только из цифр`
      return `${L} ${p.value}: в ${p.position}-й позиции ${what}${detail} — ${fix(L)}`
    }
    case 'wrong_length': {
      const L = LABEL.ru[p.field]
      const now = p.field === 'kpp' ? charsRu(p.length) : digitsRu(p.length)
      const rule =
        p.field === 'inn'
          ? 'ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП)'
          : p.field === 'kpp'
            ? 'КПП должен состоять из 9 символов'
            : `${L} должен состоять из ${p.expected[0] ?? ''} цифр`
      const tail = p.suggestion !== undefined
        ? `. Возможно, потерян ноль в начале: ${p.suggestion} — проверьте ${L} в реквизитах компании`
        : ` — ${fix(L)}`
      return `${rule}, сейчас ${now}: ${p.value}${tail}`
    }
    case 'all_zeros': {
      const L = LABEL.ru[p.field]
      return `${L} не может состоять из одних нулей — укажите настоящий ${L} в реквизитах компании`
    }
    case 'invalid_region':
      return `ИНН ${p.value} не может начинаться с 00 — проверьте первые цифры ИНН в реквизитах компании`
    case 'checksum': {
      const L = LABEL.ru[p.field]
      const which = p.position === p.value.length ? 'последнюю цифру' : 'две последние цифры'
      return `${L} ${p.value}: неверная контрольная цифра — проверьте ${which}`
    }
    case 'wrong_first_digit': {
      const L = LABEL.ru[p.field]
      const registry = p.field === 'ogrn' ? 'ЕГРЮЛ' : 'ЕГРИП'
      return `${L} ${p.value} должен начинаться с ${p.expected.join(' или ')} — возможно, это номер другой записи ${registry}. Проверьте ${L} в реквизитах компании`
    }
    case 'kpp_missing':
      return 'Не указан КПП у юрлица — добавьте КПП в реквизитах компании'
    case 'kpp_not_applicable':
      return `У ${OWNER_RU[p.owner]} нет КПП — удалите КПП ${p.value} из реквизитов компании`
    case 'ogrn_not_applicable':
      return p.owner === 'sole_trader'
        ? 'У ИП нет ОГРН, есть ОГРНИП из 15 цифр — заполните поле ОГРНИП вместо ОГРН в реквизитах компании'
        : `У физлица нет ОГРН — удалите ОГРН ${p.value} из реквизитов компании`
    case 'ogrnip_not_applicable':
      return 'У организации нет ОГРНИП, есть ОГРН из 13 цифр — заполните поле ОГРН вместо ОГРНИП в реквизитах компании'
    case 'kind_mismatch': {
      const belongs = p.innKind === 'legal_entity' ? 'из 10 цифр — это ИНН организации' : 'из 12 цифр — это ИНН ИП или физлица'
      const suggested: RequisitesKind = p.innKind === 'legal_entity' ? 'legal_entity' : 'sole_trader'
      return `ИНН ${p.value} ${belongs}, а реквизиты заполнены как для ${OWNER_RU[p.declared]} — проверьте ИНН или выберите шаблон реквизитов «${PRESET_RU[suggested]}»`
    }
  }
}

function en(p: RequisiteProblem): string {
  const fix = (label: string) => `correct the ${label} in the company requisites`
  switch (p.code) {
    case 'empty': {
      const L = LABEL.en[p.field]
      return `${L} is missing — enter it in the company requisites`
    }
    case 'non_digit': {
      const L = LABEL.en[p.field]
      const what = `${isLetter(p.char) ? 'letter' : 'character'} “${p.char}”`
      const detail =
        p.lookalike !== undefined
          ? ` instead of the digit ${p.lookalike}`
          : p.allowed === 'digit_or_latin_capital'
            ? ', only digits and capital Latin letters are allowed here'
            : p.field === 'kpp'
              ? ', a digit is expected here'
              : `, an ${L} consists of digits only`
      return `${L} ${p.value}: ${what} at position ${p.position}${detail} — ${fix(L)}`
    }
    case 'wrong_length': {
      const L = LABEL.en[p.field]
      const now = p.field === 'kpp' ? charsEn(p.length) : digitsEn(p.length)
      const rule =
        p.field === 'inn'
          ? 'An INN has 10 digits (organisation) or 12 digits (sole trader)'
          : p.field === 'kpp'
            ? 'A KPP has 9 characters'
            : `An ${L} has ${p.expected[0] ?? ''} digits`
      const tail = p.suggestion !== undefined
        ? `. A leading zero may have been lost: ${p.suggestion} — check the ${L} in the company requisites`
        : ` — ${fix(L)}`
      return `${rule}, this one has ${now}: ${p.value}${tail}`
    }
    case 'all_zeros': {
      const L = LABEL.en[p.field]
      return `${p.field === 'kpp' ? 'A' : 'An'} ${L} cannot be all zeros — enter the real ${L} in the company requisites`
    }
    case 'invalid_region':
      return `INN ${p.value} cannot start with 00 — check the first digits of the INN in the company requisites`
    case 'checksum': {
      const L = LABEL.en[p.field]
      const which = p.position === p.value.length ? 'the last digit' : 'the last two digits'
      return `${L} ${p.value}: wrong check digit — check ${which}`
    }
    case 'wrong_first_digit': {
      const L = LABEL.en[p.field]
      return `${L} ${p.value} must start with ${p.expected.join(' or ')} — it may be the number of another registry record. Check the ${L} in the company requisites`
    }
    case 'kpp_missing':
      return 'KPP is missing for a legal entity — add the KPP in the company requisites'
    case 'kpp_not_applicable':
      return `${OWNER_EN[p.owner].replace(/^a/, 'A')} has no KPP — remove KPP ${p.value} from the company requisites`
    case 'ogrn_not_applicable':
      return p.owner === 'sole_trader'
        ? 'A sole trader has an OGRNIP (15 digits), not an OGRN — fill in the OGRNIP field instead of OGRN in the company requisites'
        : `A private person has no OGRN — remove OGRN ${p.value} from the company requisites`
    case 'ogrnip_not_applicable':
      return 'An organisation has an OGRN (13 digits), not an OGRNIP — fill in the OGRN field instead of OGRNIP in the company requisites'
    case 'kind_mismatch': {
      const belongs = p.innKind === 'legal_entity' ? 'has 10 digits, so it belongs to an organisation' : 'has 12 digits, so it belongs to a sole trader or a private person'
      return `INN ${p.value} ${belongs}, but the requisites are filled in as for ${OWNER_EN[p.declared]} — check the INN or the requisites template`
    }
  }
}

/** One problem with requisites as a sentence for the manager. */
export function requisiteProblemMessage(problem: RequisiteProblem, lang: Lang = 'ru'): string {
  return lang === 'en' ? en(problem) : ru(problem)
}

/** All problems, one sentence each, in the order found. */
export const requisiteProblemMessages = (problems: readonly RequisiteProblem[], lang: Lang = 'ru'): string[] =>
  problems.map((p) => requisiteProblemMessage(p, lang))

// ---------- money ----------

const SUBJECT_RU: Record<MoneySubject, { name: string; missing: string; it: string }> = {
  amount: { name: 'Сумма', missing: 'Не указана сумма', it: 'её' },
  price: { name: 'Цена', missing: 'Не указана цена', it: 'её' },
  quantity: { name: 'Количество', missing: 'Не указано количество', it: 'его' },
}
const SUBJECT_EN: Record<MoneySubject, string> = { amount: 'Amount', price: 'Price', quantity: 'Quantity' }

const ruNumber = (s: string) => s.replace('.', ',')

/** A money, quantity or VAT problem as a sentence for the manager (they are fixed in the deal's products). */
export function moneyProblemMessage(problem: MoneyProblem, lang: Lang = 'ru'): string {
  if (lang === 'en') {
    switch (problem.code) {
      case 'empty':
        return `${SUBJECT_EN[problem.subject]} is missing — enter it in the deal's products`
      case 'not_a_number':
        return `${SUBJECT_EN[problem.subject]} “${problem.value}” is not a number — correct it in the deal's products`
      case 'too_precise':
        return `${SUBJECT_EN[problem.subject]} ${problem.value}: at most ${problem.maxDecimals} decimal places — correct it in the deal's products`
      case 'unsupported_vat_rate':
        return `VAT rate “${problem.value}” is not supported — choose 0, 5, 7, 10, 20 or 22 % or “no VAT” in the deal's products`
      case 'mixed_vat_modes':
        return "The deal's products mix prices with VAT included and VAT on top — one invoice needs one way; correct the deal's products"
    }
  }
  switch (problem.code) {
    case 'empty':
      return `${SUBJECT_RU[problem.subject].missing} — заполните ${SUBJECT_RU[problem.subject].it} в товарах сделки`
    case 'not_a_number':
      return `${SUBJECT_RU[problem.subject].name} «${problem.value}» — не число. Исправьте ${SUBJECT_RU[problem.subject].it} в товарах сделки`
    case 'too_precise':
      return `${SUBJECT_RU[problem.subject].name} ${ruNumber(problem.value)}: допустимо не больше ${problem.maxDecimals} знаков после запятой — исправьте ${SUBJECT_RU[problem.subject].it} в товарах сделки`
    case 'unsupported_vat_rate':
      return `Ставка НДС «${problem.value}» не поддерживается — выберите 0, 5, 7, 10, 20 или 22 % либо «Без НДС» в товарах сделки`
    case 'mixed_vat_modes':
      return 'В товарах сделки смешаны цены с НДС «в том числе» и НДС «сверху» — в одном счёте может быть только один вариант. Исправьте товары сделки'
  }
}

// ---------- counterparties (INN mapping, registry enrichment, conflicts) ----------

/** The fields kept in step between the registry, MoeDelo and the CRM (lib/counterparties/fields.ts). */
export type CounterpartyFieldName =
  | 'inn'
  | 'kpp'
  | 'ogrn'
  | 'ogrnip'
  | 'fullName'
  | 'shortName'
  | 'legalAddress'
  | 'directorName'
  | 'directorPosition'

export type CounterpartySourceName = 'registry' | 'moedelo' | 'crm'

export type RegistryStatusName = 'active' | 'liquidating' | 'liquidated' | 'bankrupt' | 'reorganizing' | 'unknown'

const FIELD_LABEL_RU: Record<CounterpartyFieldName, string> = {
  inn: 'ИНН',
  kpp: 'КПП',
  ogrn: 'ОГРН',
  ogrnip: 'ОГРНИП',
  fullName: 'Полное наименование',
  shortName: 'Сокращённое наименование',
  legalAddress: 'Юридический адрес',
  directorName: 'Руководитель',
  directorPosition: 'Должность руководителя',
}

const SOURCE_RU: Record<CounterpartySourceName, string> = {
  registry: 'данные ЕГРЮЛ/ЕГРИП',
  moedelo: 'данные «Моё дело»',
  crm: 'данные CRM',
}

export const fieldLabelRu = (field: CounterpartyFieldName): string => FIELD_LABEL_RU[field]

/** Why a value replaced another one (journal). */
export function overwriteReasonRu(source: CounterpartySourceName, oldSource: CounterpartySourceName): string {
  if (source === oldSource) return `${SOURCE_RU[source]} изменились`
  return `${SOURCE_RU[source]} важнее, чем ${SOURCE_RU[oldSource]}`
}

/** `'2026-11-24'` → `'24.11.2026'`. */
export const ddmmyyyy = (iso: string) => iso.slice(0, 10).split('-').reverse().join('.')

/** The registry status as the company card shows it (field «Статус в реестре»). */
export function registryStatusRu(status: RegistryStatusName, opts: { soleTrader?: boolean; date?: string | null } = {}): string {
  const when = opts.date ? ` ${ddmmyyyy(opts.date)}` : ''
  switch (status) {
    case 'active':
      return 'Действующая'
    case 'liquidating':
      return opts.soleTrader ? 'Внимание: ИП прекращает деятельность' : 'Внимание: в процессе ликвидации'
    case 'liquidated':
      return opts.soleTrader ? `Внимание: ИП прекратил деятельность${when}` : `Внимание: ликвидирована${when}`
    case 'bankrupt':
      return 'Внимание: банкротство'
    case 'reorganizing':
      return 'В процессе реорганизации'
    case 'unknown':
      return 'Статус в реестре не определён'
  }
}

const companyLink = (id: number, title: string) => `[URL=/crm/company/details/${id}/]${title || `Компания №${id}`}[/URL]`

export const counterpartyMessages = {
  /** Problems with the requisites, sent to the manager and left on the company's timeline. */
  invalidRequisites: (companyId: number, title: string, problems: readonly string[]) =>
    `Реквизиты компании ${companyLink(companyId, title)} не отправлены в «Моё дело»:\n${problems.join('\n')}`,
  invalidRequisitesComment: (problems: readonly string[]) =>
    `Реквизиты не отправлены в «Моё дело» и не проверены по ЕГРЮЛ:\n${problems.join('\n')}`,
  duplicate: (inn: string, kpp: string, existingId: number, existingTitle: string) =>
    `Компания с ИНН ${inn}${kpp ? ` и КПП ${kpp}` : ''} уже есть в CRM: ${companyLink(existingId, existingTitle)}. ` +
    'Эта карточка не отправлена в «Моё дело» как новый контрагент — работайте с существующей компанией или объедините дубли.',
  restored: (field: CounterpartyFieldName, managerValue: string, value: string, source: CounterpartySourceName) =>
    `${FIELD_LABEL_RU[field]}: значение «${managerValue}» заменено обратно на «${value}», потому что это поле заполняется по ${source === 'registry' ? 'данным ЕГРЮЛ/ЕГРИП' : 'данным «Моё дело»'}` +
    (source === 'registry' ? '. Если данные в реестре изменились, нажмите «Обновить из ЕГРЮЛ» на вкладке «Расчёты».' : '. Исправьте значение в «Моё дело», если оно неверно.'),
  restoredHeader: (companyId: number, title: string) => `Реквизиты компании ${companyLink(companyId, title)} восстановлены:`,
  flagged: (companyId: number, title: string, statusText: string) =>
    `Компания ${companyLink(companyId, title)}: ${statusText.replace(/^Внимание: /, '')} (по данным ЕГРЮЛ/ЕГРИП). Проверьте, можно ли продолжать работу с ней.`,
  registryDeferred: (companyId: number, inn: string, reason: string) =>
    `Проверка реквизитов компании №${companyId} (ИНН ${inn}) по ЕГРЮЛ отложена: ${reason}`,
  registryFailed: (companyId: number, inn: string, reason: string) =>
    `Реквизиты компании №${companyId} (ИНН ${inn}) не проверены по ЕГРЮЛ: ${reason}`,
  notInRegistry: (companyId: number, title: string, reason: string) =>
    `Компания ${companyLink(companyId, title)} не отправлена в «Моё дело»: ${reason} Проверьте ИНН в реквизитах компании.`,
  busy: (inn: string) =>
    `Контрагент с ИНН ${inn} сейчас создаётся в «Моё дело» другой операцией — повторим через несколько секунд.`,
  linked: (companyId: number, moedeloId: number) => `Компания №${companyId} связана с контрагентом «Моё дело» №${moedeloId}.`,
  created: (companyId: number, moedeloId: number) => `Для компании №${companyId} создан контрагент в «Моё дело» №${moedeloId}.`,
  enriched: (companyId: number) => `Реквизиты компании №${companyId} заполнены по данным ЕГРЮЛ/ЕГРИП.`,
} as const

// ---------- invoices (lib/invoices: checks before a bill is made in «Моё дело») ----------

import type { InvoiceProblem } from '../invoices/problems'

/** `'1234.56'` → `'1 234,56 ₽'` (non-breaking spaces), for texts; the value is already exact money text. */
export function moneyTextRu(value: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value)
  if (!m) return value
  const grouped = (m[2] ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, '\u00A0')
  return `${m[1] ? '−' : ''}${grouped},${(m[3] ?? '').padEnd(2, '0')}\u00A0₽`
}
const moneyTextEn = (value: string) => `${value} RUB`

const productRu = (row: number, name: string) => (name ? `Товар «${name}»` : `Позиция №${row}`)
const productEn = (row: number, name: string) => (name ? `Product “${name}”` : `Row ${row}`)
const partyRu = (party: 'company' | 'contact', title: string) => (party === 'company' ? `Компания «${title}»` : `Контакт «${title}»`)
const partyEn = (party: 'company' | 'contact', title: string) => (party === 'company' ? `Company “${title}”` : `Contact “${title}”`)
const cut = (s: string, n = 60) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n).join('')}…` : s)

function invoiceRu(p: InvoiceProblem): string {
  switch (p.code) {
    case 'no_client':
      return 'В сделке не выбран клиент — укажите компанию (или контакт с реквизитами физлица) в поле «Клиент» сделки'
    case 'no_requisites':
      return p.party === 'company'
        ? `У компании «${p.title}» нет реквизитов — заполните ИНН (и КПП для организации) на вкладке «Реквизиты» карточки компании`
        : `У контакта «${p.title}» нет реквизитов — добавьте реквизиты по шаблону «Физ. лицо» с ИНН на вкладке «Реквизиты» карточки контакта`
    case 'requisites': {
      const text = requisiteProblemMessage(p.problem, 'ru')
      return `${partyRu(p.party, p.title)}: ${p.party === 'contact' ? text.replaceAll('реквизитах компании', 'реквизитах контакта') : text}`
    }
    case 'contact_not_person':
      return `Контакт «${p.title}»: реквизиты заполнены как для организации — для счёта контакту нужны реквизиты по шаблону «Физ. лицо» или «ИП» на вкладке «Реквизиты», а для организации выберите в сделке компанию`
    case 'counterparty_flagged': {
      const status = registryStatusRu(p.status, { soleTrader: p.soleTrader }).replace(/^Внимание: /, '')
      return `${partyRu(p.party, p.title)}: ${status} (по данным ЕГРЮЛ/ЕГРИП) — счёт не выставлен. Проверьте статус на вкладке «Расчёты» карточки компании или выберите в сделке другого клиента`
    }
    case 'currency_not_rub':
      return p.currency
        ? `Сделка в валюте ${p.currency}, а «Моё дело» выставляет счета только в рублях — выберите валюту «Российский рубль» в поле «Сумма и валюта» сделки`
        : 'У сделки не указана валюта — выберите «Российский рубль» в поле «Сумма и валюта» сделки'
    case 'no_products':
      return 'В сделке нет товаров — добавьте хотя бы одну позицию на вкладке «Товары»'
    case 'row_name_missing':
      return `Позиция №${p.row} без названия — впишите название на вкладке «Товары»`
    case 'row_name_too_long':
      return `Товар «${cut(p.name)}»: название длиннее 1000 символов (сейчас ${p.length}) — сократите его на вкладке «Товары»`
    case 'row_value':
      return `${productRu(p.row, p.name)}: ${moneyProblemMessage(p.problem, 'ru').replace('в товарах сделки', 'на вкладке «Товары»')}`
    case 'row_quantity_not_positive':
      return `${productRu(p.row, p.name)}: количество ${ruNumber(p.value)} — укажите количество больше нуля на вкладке «Товары»`
    case 'row_price_not_positive':
      return `${productRu(p.row, p.name)}: цена ${ruNumber(p.value)} — укажите цену больше нуля на вкладке «Товары»`
    case 'row_vat_missing':
      return `${productRu(p.row, p.name)}: не выбрана ставка НДС — укажите ставку (0, 5, 7, 10, 20, 22 % или «Без НДС») на вкладке «Товары»`
    case 'mixed_vat_modes':
      return 'В товарах сделки у одних позиций НДС включён в цену, а у других начисляется сверху, а в счёте «Моё дело» может быть только один вариант — сделайте отметку «Налог включён в цену» одинаковой у всех позиций на вкладке «Товары»'
    case 'deal_sum_differs':
      return p.manual
        ? `Сумма сделки ${moneyTextRu(p.dealSum)} введена вручную и отличается от суммы товаров ${moneyTextRu(p.productsSum)} — счёт выставляется по товарам. Включите расчёт суммы по товарам или исправьте сумму сделки либо товары на вкладке «Товары»`
        : `Сумма сделки ${moneyTextRu(p.dealSum)} отличается от суммы товаров ${moneyTextRu(p.productsSum)} — пересохраните товары на вкладке «Товары», чтобы сумма сделки пересчиталась`
  }
}

function invoiceEn(p: InvoiceProblem): string {
  switch (p.code) {
    case 'no_client':
      return 'The deal has no client — choose a company (or a contact with a private person’s requisites) in the deal’s “Client” field'
    case 'no_requisites':
      return p.party === 'company'
        ? `Company “${p.title}” has no requisites — fill in the INN (and the KPP for an organisation) on the company’s “Requisites” tab`
        : `Contact “${p.title}” has no requisites — add requisites with the “Private person” template and an INN on the contact’s “Requisites” tab`
    case 'requisites':
      return `${partyEn(p.party, p.title)}: ${requisiteProblemMessage(p.problem, 'en')}`
    case 'contact_not_person':
      return `Contact “${p.title}”: the requisites are an organisation’s — a bill to a contact needs “Private person” or “Sole trader” requisites; for an organisation choose a company in the deal`
    case 'counterparty_flagged': {
      const status = { liquidated: 'liquidated', liquidating: 'being liquidated', bankrupt: 'bankrupt' }[p.status]
      return `${partyEn(p.party, p.title)} is ${status} according to the state register — no bill was made. Check the status on the company’s “Settlements” tab or choose another client`
    }
    case 'currency_not_rub':
      return p.currency
        ? `The deal is in ${p.currency}, but MoeDelo bills are in roubles only — choose “Russian Rouble” as the deal’s currency`
        : 'The deal has no currency — choose “Russian Rouble” as the deal’s currency'
    case 'no_products':
      return 'The deal has no products — add at least one item on the “Products” tab'
    case 'row_name_missing':
      return `Row ${p.row} has no name — enter it on the “Products” tab`
    case 'row_name_too_long':
      return `Product “${cut(p.name)}”: the name is longer than 1000 characters (${p.length}) — shorten it on the “Products” tab`
    case 'row_value':
      return `${productEn(p.row, p.name)}: ${moneyProblemMessage(p.problem, 'en').replace("in the deal's products", 'on the “Products” tab')}`
    case 'row_quantity_not_positive':
      return `${productEn(p.row, p.name)}: quantity ${p.value} — enter a quantity above zero on the “Products” tab`
    case 'row_price_not_positive':
      return `${productEn(p.row, p.name)}: price ${p.value} — enter a price above zero on the “Products” tab`
    case 'row_vat_missing':
      return `${productEn(p.row, p.name)}: no VAT rate — choose one (0, 5, 7, 10, 20, 22 % or “no VAT”) on the “Products” tab`
    case 'mixed_vat_modes':
      return 'The deal’s products mix prices with VAT included and VAT on top, but a MoeDelo bill has one way — make “Tax included” the same for every row on the “Products” tab'
    case 'deal_sum_differs':
      return p.manual
        ? `The deal amount ${moneyTextEn(p.dealSum)} was entered by hand and differs from the products’ total ${moneyTextEn(p.productsSum)} — the bill follows the products. Turn on “calculate from products” or correct the amount or the products`
        : `The deal amount ${moneyTextEn(p.dealSum)} differs from the products’ total ${moneyTextEn(p.productsSum)} — save the products again so the deal amount is recalculated`
  }
}

/** One invoice problem as a sentence for the manager: what to fill and where. */
export function invoiceProblemMessage(problem: InvoiceProblem, lang: Lang = 'ru'): string {
  return lang === 'en' ? invoiceEn(problem) : invoiceRu(problem)
}

/** All invoice problems, one sentence each, in the order found. */
export const invoiceProblemMessages = (problems: readonly InvoiceProblem[], lang: Lang = 'ru'): string[] =>
  problems.map((p) => invoiceProblemMessage(p, lang))

// ---------- catalog → «Моё дело» stock goods (lib/catalog) ----------

/** Plain-Russian texts of the catalog sync: journal entries, the admin's result line, errors. */
export const catalogMessages = {
  noGoodsGroup:
    'В «Моё дело» нет ни одной группы товаров, а товар без группы создать нельзя — создайте группу товаров в разделе «Склад» «Моё дело» и повторите выгрузку каталога.',
  catalogNotReadable:
    'Приложению не удалось прочитать каталог товаров Битрикс24: нет доступа к разделу «Каталог». Переустановите приложение из Маркетплейса, чтобы выдать этот доступ.',
  noCrmCatalog: 'В Битрикс24 не найден товарный каталог CRM — проверьте, что раздел «Каталог товаров» включён на портале.',
  noName: (productId: number) => `Товар №${productId} без названия — впишите название в карточке товара в каталоге Битрикс24`,
  nameTooLong: (name: string, max: number) =>
    `Товар «${cut(name)}»: название длиннее ${max} символов — сократите его в карточке товара в каталоге Битрикс24`,
  unsupportedVat: (name: string, rate: string) =>
    `Товар «${name}»: ставки НДС ${rate} % нет в «Моё дело» — выберите в карточке товара 0, 5, 7, 10, 20, 22 % или «Без НДС»`,
  goodRefused: (name: string, reason: string) => `Товар «${name}»: ${reason}`,
  goodCreated: (name: string, goodId: number) => `Товар «${name}» выгружен в «Моё дело» (товар №${goodId}).`,
  goodUpdated: (name: string, goodId: number) => `Товар «${name}» обновлён в «Моё дело» (товар №${goodId}).`,
  goodsRefused: (lines: readonly string[]) => `Не все товары счёта выгружены в «Моё дело»:\n${lines.join('\n')}`,
  runDone: (s: { created: number; updated: number; unchanged: number; services: number; failed: number }) =>
    `Каталог выгружен в «Моё дело»: создано товаров — ${s.created}, обновлено — ${s.updated}, без изменений — ${s.unchanged}; ` +
    `услуги не выгружаются (пропущено — ${s.services}).` +
    (s.failed > 0 ? ` Не выгружено из-за ошибок — ${s.failed}: подробности — в записях журнала по этим товарам.` : ''),
  runFailed: (reason: string) => `Каталог не выгружен в «Моё дело»: ${reason}`,
  runWaiting: (reason: string) => `Выгрузка каталога в «Моё дело» приостановлена: ${reason}`,
  runStale: 'Выгрузка каталога прервалась и не продолжилась — запустите её снова.',
  moedeloNotConnected: 'Сначала подключите «Моё дело».',
} as const
// ---------- payments (lib/payments: receipts from «Моё дело» → the deal) ----------

/** A deal link for notifications and comments (BB-code, relative to the portal). */
export const dealLink = (id: number, title: string) => `[URL=/crm/deal/details/${id}/]${title || `Сделка №${id}`}[/URL]`
const billRu = (number: string | null, docDate: string | null) =>
  `счёт${number ? ` № ${number}` : ''}${docDate ? ` от ${ddmmyyyy(docDate)}` : ''}`
const daysRu = (n: number) => `${n} ${pluralRu(n, 'день', 'дня', 'дней')}`

export interface ReceiptText {
  invoiceNumber: string | null
  invoiceDate: string | null
  paymentNumber: string | null
  paymentDate: string | null
  /** Exact decimal text, `'1234.56'`. */
  amount: string
  /** What is still to pay after this receipt (decimal text); `'0.00'` = paid in full. */
  remaining: string
}

export interface OverdueLine {
  dealId: number
  dealTitle: string
  invoiceNumber: string | null
  invoiceDate: string | null
  /** Decimal text. */
  due: string
  daysOverdue: number
}

/** Timeline entries, notifications and journal lines about payments. Plain Russian; money as `1 234,56 ₽`. */
export const paymentMessages = {
  /** One receipt on a bill, with what is left to pay. */
  receipt: (r: ReceiptText) => {
    const doc = `платёжный документ${r.paymentNumber ? ` № ${r.paymentNumber}` : ''}${r.paymentDate ? ` от ${ddmmyyyy(r.paymentDate)}` : ''}`
    const rest = /^0+(\.0+)?$/.test(r.remaining) ? 'Счёт оплачен полностью.' : `Осталось оплатить ${moneyTextRu(r.remaining)}.`
    return `Поступила оплата по ${billRu(r.invoiceNumber, r.invoiceDate).replace(/^счёт/, 'счёту')}: ${doc}, ${moneyTextRu(r.amount)}. ${rest}`
  },
  /** Status «Оплачен» set by hand in MoeDelo without a payment document for (part of) the sum. */
  markedPaidByHand: (invoiceNumber: string | null, invoiceDate: string | null, unconfirmed: string) =>
    `${capitalise(billRu(invoiceNumber, invoiceDate))} отмечен в «Моё дело» как оплаченный вручную, без платёжного документа ` +
    `(${moneyTextRu(unconfirmed)} не подтверждены банковской выпиской). Счёт считается оплаченным.`,
  cancelled: (invoiceNumber: string | null, invoiceDate: string | null, sum: string | null) =>
    `${capitalise(billRu(invoiceNumber, invoiceDate))}${sum ? ` на ${moneyTextRu(sum)}` : ''} удалён в «Моё дело» — счёт аннулирован. Сделка осталась на своей стадии.`,
  /** The bill is paid in full but the deal is won or lost already. */
  stageKeptClosed: (invoiceNumber: string | null, stageName: string, paidStageName: string) =>
    `Счёт${invoiceNumber ? ` № ${invoiceNumber}` : ''} оплачен полностью. Сделка уже закрыта (стадия «${stageName}»), поэтому она не перенесена на стадию «${paidStageName}».`,
  /** The bill is paid in full but the deal is past the «Оплачено» stage. */
  stageKeptLater: (invoiceNumber: string | null, stageName: string, paidStageName: string) =>
    `Счёт${invoiceNumber ? ` № ${invoiceNumber}` : ''} оплачен полностью. Сделка уже на стадии «${stageName}», которая идёт после стадии «${paidStageName}», поэтому стадия не изменена.`,
  /** Daily reminder to the responsible manager about one invoice. */
  overdue: (line: OverdueLine) =>
    `Просрочена оплата: ${billRu(line.invoiceNumber, line.invoiceDate)} по сделке ${dealLink(line.dealId, line.dealTitle)} — ` +
    `к оплате ${moneyTextRu(line.due)}, просрочен на ${daysRu(line.daysOverdue)}.`,
  /** Daily digest when a manager has many overdue invoices; `shown` lines, the rest summed up. */
  overdueDigest: (lines: readonly OverdueLine[], total: string, shown: number) => {
    const head = `Просрочена оплата ${lines.length} ${pluralRu(lines.length, 'счёта', 'счетов', 'счетов')} по вашим сделкам, всего к оплате ${moneyTextRu(total)}:`
    const rows = lines
      .slice(0, shown)
      .map((l) => `— ${billRu(l.invoiceNumber, l.invoiceDate)}, ${dealLink(l.dealId, l.dealTitle)}: ${moneyTextRu(l.due)}, просрочен на ${daysRu(l.daysOverdue)}`)
    const rest = lines.length > shown ? [`…и ещё ${lines.length - shown} ${pluralRu(lines.length - shown, 'счёт', 'счёта', 'счетов')}.`] : []
    return [head, ...rows, ...rest].join('\n')
  },
  journalReceipts: (receipts: number, invoices: number) =>
    `Из «Моё дело» получены оплаты: ${receipts} по ${invoices} ${pluralRu(invoices, 'счёту', 'счетам', 'счетам')}.`,
  journalCancelled: (dealId: number, invoiceNumber: string | null) =>
    `Счёт${invoiceNumber ? ` № ${invoiceNumber}` : ''} по сделке №${dealId} удалён в «Моё дело»: в сделке он показан аннулированным.`,
  journalDealMissing: (dealId: number) =>
    `Сделка №${dealId} не найдена в Битрикс24 (возможно, её удалили): оплаты по её счёту в сделку не записаны.`,
  journalGaveUp: (dealId: number, reason: string) =>
    `Не удалось записать оплату в сделку №${dealId} после нескольких попыток: ${reason}. Проверьте права приложения и поля сделки.`,
  journalPaidStageMissing: (dealId: number, stageId: string) =>
    `Стадия «Оплачено» (${stageId}), выбранная в настройках, не найдена в воронке сделки №${dealId}: сделка не перенесена. Выберите стадию заново на странице настроек.`,
  /** MoeDelo refuses the poller (key, tariff): no payments arrive until it is fixed. */
  journalPollRefused: (reason: string) => `Оплаты из «Моё дело» не проверяются: ${reason}`,
  /** The tariff has no money registry: payments are still found through the bills. */
  journalRegistryRefused: (reason: string) =>
    `Реестр денежных операций «Моё дело» недоступен (${reason.replace(/\.$/, '')}); оплаты отслеживаются по счетам.`,
  journalOverdue: (invoices: number, managers: number) =>
    `Напоминания о просроченных счетах: ${invoices} ${pluralRu(invoices, 'счёт', 'счёта', 'счетов')}, ${managers} ${pluralRu(managers, 'менеджер', 'менеджера', 'менеджеров')}.`,
} as const

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
