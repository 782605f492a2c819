/**
 * Seed data: two users, two pipelines with Russian stage names, companies with RU requisites
 * (valid INNs from specs/egrul.md §1.5), contacts, catalog products, and deals with product rows
 * at VAT 22 %, 10 % and without VAT.
 */
import type { Portal } from './portal'
import type { CrmRecord, DealCategory, PortalState } from './state'
import { applyFields, KINDS, newRecord, type EntityName } from './rest/entities'
import { buildRow, recalcDealFromRows } from './rest/methods/crm-productrows'
import { addUserField } from './rest/methods/crm-userfields'
import { addAddress, addRequisite } from './rest/methods/crm-requisites'
import type { CallContext } from './portal'

/** The CRM product catalog's iblock and the base price type (ids as on a fresh cloud portal). */
export const CRM_CATALOG_IBLOCK = 23
export const BASE_PRICE_TYPE = 1

/**
 * What every portal's trade catalog has before anyone adds products: the CRM catalog and its
 * variations catalog, the base price type, VAT rates (RU, 2026) and units of measure. Emulator
 * data: ids and the «Без НДС» record (`rate: null`) are choices, names follow a Russian portal.
 */
function catalogReferences(state: PortalState): void {
  const since = new Date('2024-01-10T00:00:00Z')
  state.catalogs = [
    { id: CRM_CATALOG_IBLOCK, iblockId: CRM_CATALOG_IBLOCK, iblockTypeId: 'CRM_PRODUCT_CATALOG', lid: 's1', name: 'Товарный каталог CRM', productIblockId: null, skuPropertyId: null, subscription: 'N', vatId: null },
    { id: 24, iblockId: 24, iblockTypeId: 'CRM_PRODUCT_CATALOG', lid: 's1', name: 'Товарный каталог CRM (предложения)', productIblockId: CRM_CATALOG_IBLOCK, skuPropertyId: 97, subscription: 'N', vatId: null },
  ]
  state.priceTypes = [{ id: BASE_PRICE_TYPE, name: 'BASE', base: 'Y', sort: 100, xmlId: 'BASE' }]
  const vat = (id: number, name: string, rate: number | null, sort: number) => ({ id, name, active: 'Y' as const, rate, sort, timestampX: since })
  state.vats = [
    vat(1, 'Без НДС', null, 100),
    vat(2, 'НДС 0%', 0, 200),
    vat(3, 'НДС 10%', 10, 300),
    vat(4, 'НДС 22%', 22, 400),
    vat(5, 'НДС 20%', 20, 500),
    vat(6, 'НДС 5%', 5, 600),
    vat(7, 'НДС 7%', 7, 700),
  ]
  const measure = (id: number, code: number, title: string, symbol: string, intl: string, letters: string, isDefault: 'Y' | 'N' = 'N') => ({
    id, code, isDefault, measureTitle: title, symbol, symbolIntl: intl, symbolLetterIntl: letters,
  })
  state.measures = [
    measure(1, 6, 'Метр', 'м', 'm', 'MTR'),
    measure(2, 112, 'Литр', 'л', 'l', 'LTR'),
    measure(3, 356, 'Час', 'ч', 'h', 'HUR'),
    measure(4, 166, 'Килограмм', 'кг', 'kg', 'KGM'),
    measure(5, 796, 'Штука', 'шт', 'pc. 1', 'PCE', 'Y'),
    measure(6, 876, 'Условная единица', 'усл. ед', '', ''),
  ]
}

export function baseState(state: PortalState): void {
  state.users = [
    {
      ID: 1,
      ACTIVE: true,
      NAME: 'Администратор',
      LAST_NAME: 'Портала',
      SECOND_NAME: '',
      EMAIL: 'admin@example.ru',
      ADMIN: true,
      WORK_POSITION: 'Генеральный директор',
      PERSONAL_GENDER: 'M',
      UF_DEPARTMENT: [1],
    },
    {
      ID: 2,
      ACTIVE: true,
      NAME: 'Мария',
      LAST_NAME: 'Менеджерова',
      SECOND_NAME: 'Ивановна',
      EMAIL: 'maria@example.ru',
      ADMIN: false,
      WORK_POSITION: 'Менеджер по продажам',
      PERSONAL_GENDER: 'F',
      UF_DEPARTMENT: [3],
    },
  ]
  const stage = (id: string, name: string, sort: number, color: string, semantics: null | 'S' | 'F' = null) => ({
    STATUS_ID: id,
    NAME: name,
    SORT: sort,
    COLOR: color,
    SEMANTICS: semantics,
  })
  const general: DealCategory = {
    id: 0,
    name: 'Общая',
    sort: 100,
    isDefault: true,
    stages: [
      stage('NEW', 'Новая', 10, '#39A8EF'),
      stage('PREPARATION', 'Подготовка документов', 20, '#2FC6F6'),
      stage('PREPAYMENT_INVOICE', 'Счёт на предоплату', 30, '#55D0E0'),
      stage('EXECUTING', 'В работе', 40, '#47E4C2'),
      stage('FINAL_INVOICE', 'Финальный счёт', 50, '#FFA900'),
      stage('WON', 'Сделка успешна', 60, '#7BD500', 'S'),
      stage('LOSE', 'Сделка провалена', 70, '#FF5752', 'F'),
    ],
  }
  const wholesale: DealCategory = {
    id: 1,
    name: 'Опт',
    sort: 200,
    isDefault: false,
    stages: [
      stage('C1:NEW', 'Новая заявка', 10, '#39A8EF'),
      stage('C1:PREPARATION', 'Согласование', 20, '#2FC6F6'),
      stage('C1:EXECUTING', 'Отгрузка', 30, '#47E4C2'),
      stage('C1:FINAL_INVOICE', 'Выставлен счёт', 40, '#FFA900'),
      stage('C1:WON', 'Оплачено', 50, '#7BD500', 'S'),
      stage('C1:LOSE', 'Отказ', 60, '#FF5752', 'F'),
    ],
  }
  state.categories = [general, wholesale]
  catalogReferences(state)
  state.presets = [
    { ID: 1, ENTITY_TYPE_ID: 8, COUNTRY_ID: 1, NAME: 'Организация', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#', ACTIVE: 'Y', SORT: 500 },
    { ID: 2, ENTITY_TYPE_ID: 8, COUNTRY_ID: 1, NAME: 'ИП', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#', ACTIVE: 'Y', SORT: 500 },
    { ID: 3, ENTITY_TYPE_ID: 8, COUNTRY_ID: 1, NAME: 'Физ. лицо', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#', ACTIVE: 'Y', SORT: 500 },
  ]
}

function create(portal: Portal, name: EntityName, fields: Record<string, unknown>, userId = 1): CrmRecord {
  const kind = KINDS[name]
  const record = newRecord(portal, kind, userId)
  applyFields(portal, kind, record, fields, { itemMode: false, userId, isNew: true, allowCategoryChange: true })
  record.IS_NEW = 'N'
  kind.store(portal.state).set(record.ID, record)
  return record
}

export function seedPortal(portal: Portal): void {
  const state = portal.state
  const ctx = { portal, userId: 1, isAdmin: true, auth: 'app', scope: '', params: {}, inBatch: false } as CallContext

  const product = (id: number, name: string, code: string, measure: number, vatId: number, vatIncluded: 'Y' | 'N', type: number, price: number, quantity: number) => {
    const now = portal.now()
    state.products.push({
      id, iblockId: CRM_CATALOG_IBLOCK, name, code, xmlId: String(id), measure, vatId, vatIncluded, purchasingPrice: Math.round(price * 0.8),
      quantity, type, active: 'Y', sort: 100, iblockSectionId: null, createdBy: 1, modifiedBy: 1, dateCreate: now, timestampX: now,
    })
    state.prices.push({ id: state.nextId('catalogprice'), productId: id, catalogGroupId: BASE_PRICE_TYPE, price, currency: 'RUB', timestampX: now })
  }
  product(1, 'Ноутбук Lenovo ThinkPad E14', 'thinkpad_e14', 5, 4, 'Y', 1, 95000, 12)
  product(2, 'Монитор 27" Dell P2723', 'dell_p2723', 5, 4, 'Y', 1, 28500, 30)
  product(3, 'Консультация бухгалтера (час)', 'consulting_hour', 3, 1, 'N', 7, 3000, 0)
  product(4, 'Книга «Бухучёт для всех»', 'book_accounting', 5, 3, 'Y', 1, 880, 100)
  product(5, 'Бумага офисная А4, пачка 500 л.', 'paper_a4', 5, 4, 'Y', 1, 366, 2000)

  // A pre-existing portal field (numeric code, as the UI creates them).
  addUserField(ctx, 'CRM_DEAL', { FIELD_NAME: 'UF_CRM_1721244482250', USER_TYPE_ID: 'string', LABEL: 'Комментарий менеджера' }, false)

  const companies = [
    {
      fields: { TITLE: 'ООО «Яндекс»', COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'IT', PHONE: [{ VALUE: '+7 495 739-70-00', VALUE_TYPE: 'WORK' }], EMAIL: [{ VALUE: 'buh@yandex.example', VALUE_TYPE: 'WORK' }] },
      requisite: { PRESET_ID: 1, NAME: 'Организация', RQ_COMPANY_NAME: 'ООО «ЯНДЕКС»', RQ_COMPANY_FULL_NAME: 'Общество с ограниченной ответственностью «ЯНДЕКС»', RQ_INN: '7736207543', RQ_KPP: '770401001', RQ_OGRN: '1027700229193', RQ_DIRECTOR: 'Савиновский Артём Геннадьевич' },
      address: { TYPE_ID: 6, ADDRESS_1: 'ул. Льва Толстого, д. 16', CITY: 'Москва', POSTAL_CODE: '119021', COUNTRY: 'Россия', COUNTRY_CODE: 'RU' },
    },
    {
      fields: { TITLE: 'АО «ПФ «СКБ Контур»', COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'IT' },
      requisite: { PRESET_ID: 1, NAME: 'Организация', RQ_COMPANY_NAME: 'АО «ПФ «СКБ КОНТУР»', RQ_COMPANY_FULL_NAME: 'Акционерное общество «Производственная фирма «СКБ Контур»', RQ_INN: '6663003127', RQ_KPP: '665801001', RQ_OGRN: '1026605606620' },
      address: { TYPE_ID: 6, ADDRESS_1: 'ул. Народной Воли, д. 19А', CITY: 'Екатеринбург', POSTAL_CODE: '620144', COUNTRY: 'Россия', COUNTRY_CODE: 'RU' },
    },
    {
      fields: { TITLE: 'ПАО Сбербанк', COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'BANKING' },
      requisite: { PRESET_ID: 1, NAME: 'Организация', RQ_COMPANY_NAME: 'ПАО СБЕРБАНК', RQ_COMPANY_FULL_NAME: 'Публичное акционерное общество «Сбербанк России»', RQ_INN: '7707083893', RQ_KPP: '773601001', RQ_OGRN: '1027700132195' },
      address: { TYPE_ID: 6, ADDRESS_1: 'ул. Вавилова, д. 19', CITY: 'Москва', POSTAL_CODE: '117312', COUNTRY: 'Россия', COUNTRY_CODE: 'RU' },
    },
    {
      fields: { TITLE: 'ИП Иванов Иван Иванович', COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'OTHER' },
      requisite: { PRESET_ID: 2, NAME: 'ИП', RQ_NAME: 'Иванов Иван Иванович', RQ_LAST_NAME: 'Иванов', RQ_FIRST_NAME: 'Иван', RQ_SECOND_NAME: 'Иванович', RQ_INN: '770123456703', RQ_OGRNIP: '321774600123451' },
      address: { TYPE_ID: 4, ADDRESS_1: 'ул. Тверская, д. 1, кв. 5', CITY: 'Москва', POSTAL_CODE: '125009', COUNTRY: 'Россия', COUNTRY_CODE: 'RU' },
    },
    { fields: { TITLE: 'ООО «Ромашка» (без реквизитов)', COMPANY_TYPE: 'CUSTOMER' } },
    {
      fields: { TITLE: 'ООО «Дейта Кью»', COMPANY_TYPE: 'OTHER', IS_MY_COMPANY: 'Y' },
      requisite: { PRESET_ID: 1, NAME: 'Организация', RQ_COMPANY_NAME: 'ООО «ДЕЙТА КЬЮ»', RQ_INN: '7721581040', RQ_KPP: '772101001' },
    },
  ]
  const companyIds: number[] = []
  for (const c of companies) {
    const company = create(portal, 'company', c.fields)
    companyIds.push(company.ID)
    if (c.requisite) {
      const requisite = addRequisite(ctx, { ENTITY_TYPE_ID: 4, ENTITY_ID: company.ID, ...c.requisite })
      if (c.address) addAddress(ctx, { ENTITY_TYPE_ID: 8, ENTITY_ID: requisite.ID, ...c.address })
    }
  }
  create(portal, 'contact', { NAME: 'Пётр', LAST_NAME: 'Сидоров', COMPANY_ID: companyIds[0], POST: 'Главный бухгалтер', EMAIL: [{ VALUE: 'sidorov@yandex.example', VALUE_TYPE: 'WORK' }] })
  create(portal, 'contact', { NAME: 'Анна', LAST_NAME: 'Смирнова', COMPANY_ID: companyIds[1], POST: 'Менеджер по закупкам' })

  const deals: { fields: Record<string, unknown>; rows: Record<string, unknown>[] }[] = [
    {
      fields: { TITLE: 'Поставка ноутбуков для Яндекса', STAGE_ID: 'PREPARATION', COMPANY_ID: companyIds[0], CONTACT_ID: 1, ASSIGNED_BY_ID: 2 },
      rows: [
        { PRODUCT_ID: 1, PRICE: 95000, QUANTITY: 3, TAX_RATE: 22, TAX_INCLUDED: 'Y' },
        { PRODUCT_ID: 2, PRICE: 28500, QUANTITY: 3, TAX_RATE: 22, TAX_INCLUDED: 'Y' },
      ],
    },
    {
      fields: { TITLE: 'Книги для обучения сотрудников СКБ Контур', STAGE_ID: 'NEW', COMPANY_ID: companyIds[1], CONTACT_ID: 2, ASSIGNED_BY_ID: 2 },
      rows: [{ PRODUCT_ID: 4, PRICE: 880, QUANTITY: 25, TAX_RATE: 10, TAX_INCLUDED: 'Y' }],
    },
    {
      fields: { TITLE: 'Бухгалтерские консультации ИП Иванов', STAGE_ID: 'EXECUTING', COMPANY_ID: companyIds[3], ASSIGNED_BY_ID: 1 },
      rows: [{ PRODUCT_ID: 3, PRICE: 3000, QUANTITY: 8, TAX_RATE: null, TAX_INCLUDED: 'N', MEASURE_CODE: 356, MEASURE_NAME: 'ч' }],
    },
    {
      fields: { TITLE: 'Опт: бумага А4 для Сбербанка', STAGE_ID: 'C1:NEW', COMPANY_ID: companyIds[2], ASSIGNED_BY_ID: 2 },
      rows: [{ PRODUCT_ID: 5, PRICE: 366, QUANTITY: 200, TAX_RATE: 22, TAX_INCLUDED: 'Y', DISCOUNT_TYPE_ID: 2, DISCOUNT_RATE: 5 }],
    },
    {
      fields: { TITLE: 'Разовая услуга для «Ромашки»', STAGE_ID: 'NEW', COMPANY_ID: companyIds[4], ASSIGNED_BY_ID: 1, UF_CRM_1721244482250: 'Клиент просил счёт без НДС' },
      rows: [{ PRODUCT_NAME: 'Настройка учёта (разовая работа)', PRICE: 15000, QUANTITY: 1, TAX_RATE: null }],
    },
  ]
  for (const d of deals) {
    const deal = create(portal, 'deal', d.fields)
    state.productRows.set(
      deal.ID,
      d.rows.map((r, i) => buildRow(state, deal.ID, r, i)),
    )
    recalcDealFromRows(state, deal)
  }
}
