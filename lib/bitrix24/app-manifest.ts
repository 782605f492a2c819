/**
 * Everything the app registers on a portal, in one place: placements, event handlers and CRM
 * user fields. The installer binds exactly this catalogue; other modules read field codes here.
 */

export type PlacementCode = 'CRM_DEAL_DETAIL_TAB' | 'CRM_DEAL_DETAIL_TOOLBAR' | 'CRM_COMPANY_DETAIL_TAB'

export interface PlacementSpec {
  placement: PlacementCode
  /** Path under APP_URL. */
  path: string
  title: { ru: string; en: string }
}

export const PLACEMENTS: readonly PlacementSpec[] = [
  { placement: 'CRM_DEAL_DETAIL_TAB', path: '/b24/placement/deal', title: { ru: 'Счета и оплаты', en: 'Invoices and payments' } },
  { placement: 'CRM_DEAL_DETAIL_TOOLBAR', path: '/b24/placement/deal', title: { ru: 'Выставить счёт', en: 'Issue an invoice' } },
  { placement: 'CRM_COMPANY_DETAIL_TAB', path: '/b24/placement/company', title: { ru: 'Расчёты', en: 'Settlements' } },
]

/** Online events the app listens to (all delivered to one handler). */
export const EVENTS = [
  'ONCRMDEALADD',
  'ONCRMDEALUPDATE',
  'ONCRMCOMPANYADD',
  'ONCRMCOMPANYUPDATE',
  'ONCRMREQUISITEADD',
  'ONCRMREQUISITEUPDATE',
  'ONAPPUNINSTALL',
  // Catalog goods → MoeDelo stock goods (lib/catalog): a product or its price changed.
  'CATALOG.PRODUCT.ON.ADD',
  'CATALOG.PRODUCT.ON.UPDATE',
  'CATALOG.PRICE.ON.ADD',
  'CATALOG.PRICE.ON.UPDATE',
] as const

export type AppEventName = (typeof EVENTS)[number]

export const EVENTS_PATH = '/api/b24/events'

export type UserFieldEntity = 'deal' | 'company'

export interface UserFieldSpec {
  entity: UserFieldEntity
  /** Full code as it appears on the entity. */
  fieldName: string
  userTypeId: 'string' | 'url' | 'double' | 'file' | 'date' | 'money'
  label: { ru: string; en: string }
  sort: number
}

const deal = (fieldName: string, userTypeId: UserFieldSpec['userTypeId'], ru: string, en: string, sort: number): UserFieldSpec => ({
  entity: 'deal',
  fieldName,
  userTypeId,
  label: { ru, en },
  sort,
})

const company = (fieldName: string, userTypeId: UserFieldSpec['userTypeId'], ru: string, en: string, sort: number): UserFieldSpec => ({
  entity: 'company',
  fieldName,
  userTypeId,
  label: { ru, en },
  sort,
})

/** Field codes, for the modules that read or write them. */
export const UF = {
  dealInvoiceNo: 'UF_CRM_MD_INVOICE_NO',
  dealInvoiceUrl: 'UF_CRM_MD_INVOICE_URL',
  dealBillId: 'UF_CRM_MD_BILL_ID',
  dealPaid: 'UF_CRM_MD_PAID',
  dealInvoicePdf: 'UF_CRM_MD_INVOICE_PDF',
  dealInvoiceDate: 'UF_CRM_MD_INVOICE_DATE',
  dealInvoiceSum: 'UF_CRM_MD_INVOICE_SUM',
  companyKontragentId: 'UF_CRM_MD_KONTRAGENT_ID',
  companyRegistryStatus: 'UF_CRM_MD_REGISTRY_STATUS',
} as const

export const USER_FIELDS: readonly UserFieldSpec[] = [
  deal(UF.dealInvoiceNo, 'string', 'Счёт в Моё дело: номер', 'MoeDelo invoice number', 500),
  deal(UF.dealInvoiceUrl, 'url', 'Счёт: ссылка', 'Invoice link', 510),
  deal(UF.dealBillId, 'string', 'ID счёта в Моё дело', 'MoeDelo bill id', 520),
  deal(UF.dealPaid, 'double', 'Оплачено', 'Paid', 530),
  deal(UF.dealInvoicePdf, 'file', 'Счёт (PDF)', 'Invoice (PDF)', 540),
  deal(UF.dealInvoiceDate, 'date', 'Дата счёта', 'Invoice date', 550),
  // `double`, not `money`: a money UF stores "amount|CURRENCY" strings, which every reader would
  // have to parse; the deal already carries its currency.
  deal(UF.dealInvoiceSum, 'double', 'Сумма счёта', 'Invoice amount', 560),
  company(UF.companyKontragentId, 'string', 'ID контрагента в Моё дело', 'MoeDelo counterparty id', 500),
  company(UF.companyRegistryStatus, 'string', 'Статус в реестре (ЕГРЮЛ/ЕГРИП)', 'Registry status', 510),
]

/** The REST method family of an entity's user fields. */
export function userFieldMethod(entity: UserFieldEntity, action: 'list' | 'add'): string {
  return `crm.${entity}.userfield.${action}`
}

/** Absolute handler URL for a path, from APP_URL (no trailing slash doubling). */
export function handlerUrl(appUrl: string, path: string): string {
  return `${appUrl.replace(/\/+$/, '')}${path}`
}
