/** The in-memory portal: every stateful object the emulator models (spec §6 "Stateful objects"). */

export interface PortalUser {
  ID: number
  ACTIVE: boolean
  NAME: string
  LAST_NAME: string
  SECOND_NAME: string
  EMAIL: string
  ADMIN: boolean
  WORK_POSITION: string
  PERSONAL_GENDER: string
  UF_DEPARTMENT: number[]
}

export interface Stage {
  STATUS_ID: string
  NAME: string
  SORT: number
  /** null = in progress, S = success, F = failure. */
  SEMANTICS: null | 'S' | 'F'
  COLOR: string
}

export interface DealCategory {
  id: number
  name: string
  sort: number
  isDefault: boolean
  stages: Stage[]
}

/** A CRM record stored with legacy field names and canonical values (see fields.ts). */
export type CrmRecord = Record<string, unknown> & { ID: number }

export interface MultiFieldValue {
  ID: number
  VALUE_TYPE: string
  VALUE: string
}

export interface ProductRow {
  ID: number
  OWNER_ID: number
  OWNER_TYPE: 'D'
  PRODUCT_ID: number
  PRODUCT_NAME: string
  ORIGINAL_PRODUCT_NAME: string
  PRODUCT_DESCRIPTION: string | null
  PRICE: number
  PRICE_EXCLUSIVE: number
  PRICE_NETTO: number
  PRICE_BRUTTO: number
  QUANTITY: number
  DISCOUNT_TYPE_ID: number
  DISCOUNT_RATE: number
  DISCOUNT_SUM: number
  TAX_RATE: number | null
  TAX_INCLUDED: 'Y' | 'N'
  CUSTOMIZED: 'Y' | 'N'
  MEASURE_CODE: number
  MEASURE_NAME: string
  SORT: number
  XML_ID: string | null
  TYPE: number
  STORE_ID: number | null
}

/** A catalog product or service (`catalog_product`, `catalog_product_service`; bitrix24.md §4.9). */
export interface CatalogProduct {
  id: number
  iblockId: number
  name: string
  code: string
  xmlId: string
  /** `catalog.measure` id; null = the default measure. */
  measure: number | null
  /** `catalog.vat` id; null = no rate chosen. */
  vatId: number | null
  vatIncluded: 'Y' | 'N'
  purchasingPrice: number
  quantity: number
  /** 1 simple product, 3 product with variations, 4 variation, 7 service… (read-only). */
  type: number
  active: 'Y' | 'N'
  sort: number
  iblockSectionId: number | null
  createdBy: number
  modifiedBy: number
  dateCreate: Date
  timestampX: Date
}

/** A price of a product for one price type (`catalog_price`). */
export interface CatalogPrice {
  id: number
  productId: number
  catalogGroupId: number
  price: number
  currency: string
  timestampX: Date
}

/** A trade catalog (`catalog_catalog`): the products' iblock, or the variations' one with `productIblockId`. */
export interface CatalogInfo {
  id: number
  iblockId: number
  iblockTypeId: string
  lid: string
  name: string
  productIblockId: number | null
  skuPropertyId: number | null
  subscription: 'Y' | 'N'
  vatId: number | null
}

export interface CatalogVat {
  id: number
  name: string
  active: 'Y' | 'N'
  /** Percent; null for «Без НДС». */
  rate: number | null
  sort: number
  timestampX: Date
}

export interface CatalogMeasure {
  id: number
  code: number
  isDefault: 'Y' | 'N'
  measureTitle: string
  symbol: string
  symbolIntl: string
  symbolLetterIntl: string
}

export interface CatalogPriceType {
  id: number
  name: string
  base: 'Y' | 'N'
  sort: number
  xmlId: string
}

export interface EnumItem {
  ID: number
  VALUE: string
  DEF: 'Y' | 'N'
  SORT: number
  XML_ID: string
}

export interface UserFieldDef {
  ID: number
  ENTITY_ID: 'CRM_DEAL' | 'CRM_COMPANY'
  FIELD_NAME: string
  USER_TYPE_ID: string
  XML_ID: string | null
  SORT: number
  MULTIPLE: 'Y' | 'N'
  MANDATORY: 'Y' | 'N'
  SHOW_FILTER: string
  SHOW_IN_LIST: 'Y' | 'N'
  EDIT_IN_LIST: 'Y' | 'N'
  IS_SEARCHABLE: 'Y' | 'N'
  SETTINGS: Record<string, unknown>
  LABELS: Record<string, unknown>
  LIST: EnumItem[]
  /** Client id of the app that created it (app UF types are removed on uninstall; plain fields stay). */
  createdByApp: boolean
}

export interface StoredFile {
  id: number
  name: string
  content: Buffer
  contentType: string
  createdAt: Date
}

export interface Requisite extends CrmRecord {
  ENTITY_TYPE_ID: number
  ENTITY_ID: number
  PRESET_ID: number
}

export interface RequisitePreset {
  ID: number
  ENTITY_TYPE_ID: 8
  COUNTRY_ID: number
  NAME: string
  XML_ID: string
  ACTIVE: 'Y' | 'N'
  SORT: number
}

export interface Address {
  TYPE_ID: number
  ENTITY_TYPE_ID: number
  ENTITY_ID: number
  ADDRESS_1: string | null
  ADDRESS_2: string | null
  CITY: string | null
  POSTAL_CODE: string | null
  REGION: string | null
  PROVINCE: string | null
  COUNTRY: string | null
  COUNTRY_CODE: string | null
  LOC_ADDR_ID: number | null
}

export interface BankDetail extends CrmRecord {
  ENTITY_ID: number
}

export interface RequisiteLink {
  ENTITY_TYPE_ID: number
  ENTITY_ID: number
  REQUISITE_ID: number
  BANK_DETAIL_ID: number
  MC_REQUISITE_ID: number
  MC_BANK_DETAIL_ID: number
}

export interface TimelineComment {
  ID: number
  CREATED: Date
  ENTITY_ID: number
  ENTITY_TYPE: string
  AUTHOR_ID: number
  COMMENT: string
  FILES: number[]
}

export interface LogMessage {
  id: number
  created: Date
  authorId: number
  entityTypeId: number
  entityId: number
  title: string
  text: string
  iconCode: string
}

export interface Notification {
  id: number
  kind: 'system' | 'personal'
  userId: number
  fromUserId: number | null
  message: string
  messageOut: string | null
  tag: string | null
  subTag: string | null
  attach: unknown
  date: Date
}

export interface StageHistoryRow {
  ID: number
  TYPE_ID: number // 1 created, 2 moved, 3 category changed
  OWNER_ID: number
  CREATED_TIME: Date
  CATEGORY_ID: number
  STAGE_SEMANTIC_ID: string
  STAGE_ID: string
}

export interface EventBinding {
  id: number
  event: string
  handler: string
  authType: number
  eventType: 'online' | 'offline'
  authConnector: string | null
  options: unknown
}

export interface PlacementBinding {
  id: number
  placement: string
  handler: string
  title: string
  description: string
  groupName: string
  langAll: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>
  options: Record<string, unknown>
  userId: number
}

export interface TokenRecord {
  accessToken: string
  refreshToken: string
  userId: number
  scope: string
  issuedAt: number
  /** ms (virtual clock) */
  expiresAt: number
  /** Set once the refresh token was exchanged (rotation) or revoked. */
  refreshUsed: boolean
  revoked: boolean
  /** How it was issued: install, frame, event, refresh, authorization_code. */
  origin: string
}

export interface Delivery {
  id: number
  event: string
  handler: string
  /** Exact form-encoded body that was POSTed. */
  body: string
  payload: Record<string, unknown>
  status: number | null
  responseBody: string | null
  error: string | null
  queuedAt: string
  deliveredAt: string | null
}

export interface AppState {
  clientId: string
  clientSecret: string
  installUrl: string
  appUrl: string
  installMode: 'event' | 'frame'
  code: string
  version: number
  /** L local, F free, S subscription, P paid, T trial, D demo. */
  status: string
  scope: string
  /** The app was added to the portal (install started). */
  added: boolean
  /** INSTALLED in app.info: true after ONAPPINSTALL (event mode) or installFinish (frame mode). */
  installed: boolean
  firstRunDone: boolean
  applicationToken: string
  options: Record<string, unknown>
  userOptions: Record<number, Record<string, unknown>>
}

export interface Webhook {
  userId: number
  secret: string
  scope: string
}

export class PortalState {
  users: PortalUser[] = []
  categories: DealCategory[] = []
  deals = new Map<number, CrmRecord>()
  companies = new Map<number, CrmRecord>()
  contacts = new Map<number, CrmRecord>()
  /** `${entity}:${id}` → PHONE/EMAIL/... */
  multiFields = new Map<string, Record<string, MultiFieldValue[]>>()
  productRows = new Map<number, ProductRow[]>()
  products: CatalogProduct[] = []
  prices: CatalogPrice[] = []
  catalogs: CatalogInfo[] = []
  vats: CatalogVat[] = []
  measures: CatalogMeasure[] = []
  priceTypes: CatalogPriceType[] = []
  userFields: UserFieldDef[] = []
  files = new Map<number, StoredFile>()
  presets: RequisitePreset[] = []
  requisites = new Map<number, Requisite>()
  addresses: Address[] = []
  bankDetails = new Map<number, BankDetail>()
  requisiteLinks: RequisiteLink[] = []
  timeline: TimelineComment[] = []
  logMessages: LogMessage[] = []
  notifications: Notification[] = []
  stageHistory: StageHistoryRow[] = []
  bindings: EventBinding[] = []
  placements: PlacementBinding[] = []
  tokens: TokenRecord[] = []
  deliveries: Delivery[] = []
  webhooks: Webhook[] = []
  /** Counts answered refresh_token grants (also visible in the shared request log). */
  refreshCount = 0
  private seq = new Map<string, number>()

  constructor(public app: AppState) {}

  nextId(kind: string, start = 1): number {
    const next = (this.seq.get(kind) ?? start - 1) + 1
    this.seq.set(kind, next)
    return next
  }

  /** Makes sure ids continue after explicitly seeded ones. */
  bumpId(kind: string, used: number): void {
    if ((this.seq.get(kind) ?? 0) < used) this.seq.set(kind, used)
  }

  /** The product's price of the base price type, if it has one. */
  basePrice(productId: number): CatalogPrice | undefined {
    const base = this.priceTypes.find((t) => t.base === 'Y')
    return base ? this.prices.find((p) => p.productId === productId && p.catalogGroupId === base.id) : undefined
  }

  user(id: number): PortalUser | undefined {
    return this.users.find((u) => u.ID === id)
  }

  category(id: number): DealCategory | undefined {
    return this.categories.find((c) => c.id === id)
  }

  /** Finds a stage by its full id (`NEW`, `C1:NEW`) and returns its pipeline. */
  stage(stageId: string): { category: DealCategory; stage: Stage } | undefined {
    for (const category of this.categories) {
      const stage = category.stages.find((s) => s.STATUS_ID === stageId)
      if (stage) return { category, stage }
    }
    return undefined
  }

  userFieldsOf(entity: 'CRM_DEAL' | 'CRM_COMPANY'): UserFieldDef[] {
    return this.userFields.filter((uf) => uf.ENTITY_ID === entity)
  }

  multi(entity: string, id: number): Record<string, MultiFieldValue[]> {
    const key = `${entity}:${id}`
    let value = this.multiFields.get(key)
    if (!value) {
      value = {}
      this.multiFields.set(key, value)
    }
    return value
  }
}
