/**
 * Field tables of the CRM entities. Records are stored with their legacy (upper-case) names and
 * canonical JS values (numbers, Dates, 'Y'/'N'); the tables drive both serialisations:
 * legacy `crm.deal.*` (strings everywhere) and `crm.item.*` (numbers, camelCase).
 */
import { isoMsk, isoMskDate, parseDate, isTruthyFlag, round2 } from './util'

export type FieldType = 'int' | 'money' | 'double' | 'string' | 'char' | 'date' | 'datetime' | 'intList'

export interface FieldDef {
  name: string // legacy name
  camel: string // crm.item name
  type: FieldType
  readOnly?: boolean
  title: string
}

const f = (name: string, camel: string, type: FieldType, title: string, readOnly = false): FieldDef => ({
  name,
  camel,
  type,
  title,
  readOnly,
})

const UTM = [
  f('UTM_SOURCE', 'utmSource', 'string', 'Рекламная система'),
  f('UTM_MEDIUM', 'utmMedium', 'string', 'Тип трафика'),
  f('UTM_CAMPAIGN', 'utmCampaign', 'string', 'Обозначение рекламной кампании'),
  f('UTM_CONTENT', 'utmContent', 'string', 'Содержание кампании'),
  f('UTM_TERM', 'utmTerm', 'string', 'Условие поиска кампании'),
]

export const DEAL_FIELDS: FieldDef[] = [
  f('ID', 'id', 'int', 'ID', true),
  f('TITLE', 'title', 'string', 'Название'),
  f('TYPE_ID', 'typeId', 'string', 'Тип'),
  f('CATEGORY_ID', 'categoryId', 'int', 'Воронка'),
  f('STAGE_ID', 'stageId', 'string', 'Стадия сделки'),
  f('STAGE_SEMANTIC_ID', 'stageSemanticId', 'string', 'Группа стадии', true),
  f('IS_NEW', 'isNew', 'char', 'Новая сделка', true),
  f('IS_RECURRING', 'isRecurring', 'char', 'Регулярная сделка'),
  f('IS_RETURN_CUSTOMER', 'isReturnCustomer', 'char', 'Повторная сделка', true),
  f('IS_REPEATED_APPROACH', 'isRepeatedApproach', 'char', 'Повторное обращение', true),
  f('PROBABILITY', 'probability', 'int', 'Вероятность'),
  f('CURRENCY_ID', 'currencyId', 'string', 'Валюта'),
  f('OPPORTUNITY', 'opportunity', 'money', 'Сумма'),
  f('IS_MANUAL_OPPORTUNITY', 'isManualOpportunity', 'char', 'Сумма заполнена вручную'),
  f('TAX_VALUE', 'taxValue', 'money', 'Ставка налога'),
  f('COMPANY_ID', 'companyId', 'int', 'Компания'),
  f('CONTACT_ID', 'contactId', 'int', 'Контакт'),
  f('QUOTE_ID', 'quoteId', 'int', 'Предложение'),
  f('BEGINDATE', 'begindate', 'date', 'Дата начала'),
  f('CLOSEDATE', 'closedate', 'date', 'Предполагаемая дата закрытия'),
  f('OPENED', 'opened', 'char', 'Доступна для всех'),
  f('CLOSED', 'closed', 'char', 'Закрыта'),
  f('COMMENTS', 'comments', 'string', 'Комментарий'),
  f('ASSIGNED_BY_ID', 'assignedById', 'int', 'Ответственный'),
  f('CREATED_BY_ID', 'createdBy', 'int', 'Кем создана', true),
  f('MODIFY_BY_ID', 'updatedBy', 'int', 'Кем изменена', true),
  f('MOVED_BY_ID', 'movedBy', 'int', 'Кем изменена стадия', true),
  f('DATE_CREATE', 'createdTime', 'datetime', 'Дата создания', true),
  f('DATE_MODIFY', 'updatedTime', 'datetime', 'Дата изменения', true),
  f('MOVED_TIME', 'movedTime', 'datetime', 'Дата изменения стадии', true),
  f('SOURCE_ID', 'sourceId', 'string', 'Источник'),
  f('SOURCE_DESCRIPTION', 'sourceDescription', 'string', 'Дополнительно об источнике'),
  f('LEAD_ID', 'leadId', 'int', 'Лид'),
  f('ADDITIONAL_INFO', 'additionalInfo', 'string', 'Дополнительная информация'),
  f('LOCATION_ID', 'locationId', 'string', 'Местоположение'),
  f('ORIGINATOR_ID', 'originatorId', 'string', 'Внешний источник'),
  f('ORIGIN_ID', 'originId', 'string', 'Идентификатор элемента во внешнем источнике'),
  ...UTM,
  f('LAST_ACTIVITY_TIME', 'lastActivityTime', 'datetime', 'Последняя активность', true),
  f('LAST_ACTIVITY_BY', 'lastActivityBy', 'int', 'Автор последней активности', true),
]

const addressFields = (prefix: string, camelPrefix: string, title: string): FieldDef[] => [
  f(`${prefix}`, `${camelPrefix}`, 'string', `${title}: улица, дом`),
  f(`${prefix}_2`, `${camelPrefix}2`, 'string', `${title}: квартира / офис`),
  f(`${prefix}_CITY`, `${camelPrefix}City`, 'string', `${title}: город`),
  f(`${prefix}_POSTAL_CODE`, `${camelPrefix}PostalCode`, 'string', `${title}: индекс`),
  f(`${prefix}_REGION`, `${camelPrefix}Region`, 'string', `${title}: район`),
  f(`${prefix}_PROVINCE`, `${camelPrefix}Province`, 'string', `${title}: область`),
  f(`${prefix}_COUNTRY`, `${camelPrefix}Country`, 'string', `${title}: страна`),
  f(`${prefix}_COUNTRY_CODE`, `${camelPrefix}CountryCode`, 'string', `${title}: код страны`),
]

export const COMPANY_FIELDS: FieldDef[] = [
  f('ID', 'id', 'int', 'ID', true),
  f('TITLE', 'title', 'string', 'Название компании'),
  f('COMPANY_TYPE', 'typeId', 'string', 'Тип компании'),
  f('LOGO', 'logo', 'string', 'Логотип'),
  f('LEAD_ID', 'leadId', 'int', 'Лид'),
  f('HAS_PHONE', 'hasPhone', 'char', 'Задан телефон', true),
  f('HAS_EMAIL', 'hasEmail', 'char', 'Задан e-mail', true),
  f('HAS_IMOL', 'hasImol', 'char', 'Задана открытая линия', true),
  f('ASSIGNED_BY_ID', 'assignedById', 'int', 'Ответственный'),
  f('CREATED_BY_ID', 'createdBy', 'int', 'Кем создана', true),
  f('MODIFY_BY_ID', 'updatedBy', 'int', 'Кем изменена', true),
  f('BANKING_DETAILS', 'bankingDetails', 'string', 'Банковские реквизиты'),
  f('INDUSTRY', 'industry', 'string', 'Сфера деятельности'),
  f('REVENUE', 'revenue', 'money', 'Годовой оборот'),
  f('CURRENCY_ID', 'currencyId', 'string', 'Валюта'),
  f('EMPLOYEES', 'employees', 'string', 'Кол-во сотрудников'),
  f('COMMENTS', 'comments', 'string', 'Комментарий'),
  f('DATE_CREATE', 'createdTime', 'datetime', 'Дата создания', true),
  f('DATE_MODIFY', 'updatedTime', 'datetime', 'Дата изменения', true),
  f('OPENED', 'opened', 'char', 'Доступна для всех'),
  f('IS_MY_COMPANY', 'isMyCompany', 'char', 'Моя компания'),
  f('ORIGINATOR_ID', 'originatorId', 'string', 'Внешний источник'),
  f('ORIGIN_ID', 'originId', 'string', 'Идентификатор элемента во внешнем источнике'),
  f('ORIGIN_VERSION', 'originVersion', 'string', 'Версия оригинала'),
  ...addressFields('ADDRESS', 'address', 'Фактический адрес'),
  f('ADDRESS_LEGAL', 'addressLegal', 'string', 'Юридический адрес'),
  ...addressFields('REG_ADDRESS', 'regAddress', 'Юридический адрес'),
  ...UTM,
  f('LAST_ACTIVITY_TIME', 'lastActivityTime', 'datetime', 'Последняя активность', true),
  f('LAST_ACTIVITY_BY', 'lastActivityBy', 'int', 'Автор последней активности', true),
]

export const CONTACT_FIELDS: FieldDef[] = [
  f('ID', 'id', 'int', 'ID', true),
  f('HONORIFIC', 'honorific', 'string', 'Обращение'),
  f('NAME', 'name', 'string', 'Имя'),
  f('SECOND_NAME', 'secondName', 'string', 'Отчество'),
  f('LAST_NAME', 'lastName', 'string', 'Фамилия'),
  f('POST', 'post', 'string', 'Должность'),
  f('TYPE_ID', 'typeId', 'string', 'Тип контакта'),
  f('COMPANY_ID', 'companyId', 'int', 'Компания'),
  f('HAS_PHONE', 'hasPhone', 'char', 'Задан телефон', true),
  f('HAS_EMAIL', 'hasEmail', 'char', 'Задан e-mail', true),
  f('ASSIGNED_BY_ID', 'assignedById', 'int', 'Ответственный'),
  f('CREATED_BY_ID', 'createdBy', 'int', 'Кем создан', true),
  f('MODIFY_BY_ID', 'updatedBy', 'int', 'Кем изменен', true),
  f('DATE_CREATE', 'createdTime', 'datetime', 'Дата создания', true),
  f('DATE_MODIFY', 'updatedTime', 'datetime', 'Дата изменения', true),
  f('OPENED', 'opened', 'char', 'Доступен для всех'),
  f('COMMENTS', 'comments', 'string', 'Комментарий'),
]

/** Multi-value communication fields (PHONE, EMAIL, WEB, IM). */
export const MULTI_FIELDS = ['PHONE', 'EMAIL', 'WEB', 'IM'] as const

export function legacyValue(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return type === 'intList' ? [] : null
  switch (type) {
    case 'int':
      return String(value)
    case 'money':
      return Number(value).toFixed(2)
    case 'double':
      return String(value)
    case 'char':
      return value === 'Y' ? 'Y' : 'N'
    case 'date':
      return isoMskDate(value as Date)
    case 'datetime':
      return isoMsk(value as Date)
    case 'intList':
      return (value as number[]).map(String)
    default:
      return String(value)
  }
}

export function itemValue(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return type === 'intList' ? [] : null
  switch (type) {
    case 'int':
    case 'money':
    case 'double':
      return Number(value)
    case 'char':
      return value === 'Y' ? 'Y' : 'N'
    case 'date':
      return isoMskDate(value as Date)
    case 'datetime':
      return isoMsk(value as Date)
    default:
      return value
  }
}

/** Converts an incoming value (any transport) into the canonical stored value. */
export function inputValue(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (type) {
    case 'int': {
      if (value === '' || value === false) return null
      const n = Number(value)
      return Number.isFinite(n) ? Math.trunc(n) : null
    }
    case 'money':
    case 'double': {
      if (value === '') return 0
      const n = Number(String(value).replace(',', '.'))
      return Number.isFinite(n) ? (type === 'money' ? round2(n) : n) : 0
    }
    case 'char':
      return isTruthyFlag(value) ? 'Y' : 'N'
    case 'date':
    case 'datetime':
      return parseDate(value)
    case 'intList':
      return (Array.isArray(value) ? value : Object.values(value as object)).map(Number).filter(Number.isFinite)
    default:
      return String(value)
  }
}

/**
 * `UF_CRM_1721244707107` → `ufCrm_1721244707107`, `UF_CRM_2_1639669411830` → `ufCrm2_1639669411830`,
 * `UF_CRM_ACC_INVOICE_NO` → `ufCrmAccInvoiceNo` (spec §4.6; the named-code rule is unverified).
 */
export function ufToCamel(name: string): string {
  const parts = name.toLowerCase().split('_').filter(Boolean)
  let out = parts[0] ?? ''
  parts.slice(1).forEach((part, i) => {
    const isLast = i === parts.length - 2
    if (/^\d/.test(part)) out += isLast ? `_${part}` : part
    else out += part.charAt(0).toUpperCase() + part.slice(1)
  })
  return out
}
