/**
 * In-process state of the MoeDelo emulator: one isolated dataset per API key (a "firm"),
 * global id counters shaped like MoeDelo's, and the fixture register.
 */
import { randomUUID } from 'node:crypto'
import { defaultRegistry, type RegistryEntry, type RegistryFixture } from './registry'

/** Service prefixes of restapi.moedelo.org (spec §2); used for per-key tariff 403s. */
export const SERVICES = ['kontragents', 'accounting', 'stock', 'contract', 'money'] as const
export type MoeDeloService = (typeof SERVICES)[number]

/** The counterparty object exactly as the API returns it (spec §3.2). */
export interface KontragentDto {
  Id: number
  Inn: string | null
  Ogrn: string | null
  Okpo: string | null
  Kpp: string | null
  Name: string
  ShortName: string | null
  Type: number
  Form: number
  IsArchived: boolean
  LegalAddress: string | null
  ActualAddress: string | null
  RegistrationAddress: string | null
  TaxpayerNumber: string | null
  AdditionalRegNumber: string | null
  SubcontoId: number
  Fio: string | null
  SignerFio: string | null
  InFace: string | null
  Position: string | null
  InReason: string | null
  PersonalData: string | null
}

/** Fields clients may send that the response sample does not echo (kept for inspection in tests). */
export interface KontragentHidden {
  FullName?: string | null
  SiteUrl?: string | null
}

export interface BankAccountDto {
  Id: number
  KontragentId: number
  Bik: string
  Number: string
  BankName: string | null
  CorrespondentAccount: string | null
  IsMain: boolean
}

export interface ContactDto {
  Id: number
  KontragentId: number
  [field: string]: unknown
}

export interface FirmState {
  apiKey: string
  name: string
  firmId: number
  kontragents: Map<number, KontragentDto>
  kontragentHidden: Map<number, KontragentHidden>
  accounts: Map<number, BankAccountDto>
  contacts: Map<number, ContactDto>
  /** Services this key's tariff does not include: every call there answers 403. */
  forbiddenServices: Set<MoeDeloService>
  /** Sales bills (spec §4), by id. */
  bills: Map<number, BillRecord>
  /** Imported bank payments («Оплата от покупателя», operation type 16; spec §6), by DocumentBaseId. */
  payments: Map<number, PaymentRecord>
  /** Stock goods and materials (spec §7), by id. */
  goods: Map<number, GoodRecord>
  /** Goods groups (`/stock/api/v1/nomenclature`), by id. */
  nomenclatures: Map<number, NomenclatureDto>
  /** Warehouses (`/stock/api/v1/stock`), by id. */
  stocks: Map<number, StockDto>
}

/** A good or material exactly as the API returns it (spec §7, the Swagger field list). */
export interface GoodDto {
  Id: number
  NomenclatureId: number
  Name: string
  Modification: string | null
  Article: string | null
  UnitOfMeasurement: string | null
  Nds: number
  SalePrice: number | null
  MinSalePrice: number | null
  Type: number
  NdsPositionType: number
  SubcontoId: number
  Producer: string | null
  ProductSubType: number
  ProductMinimum: number | null
}

/** A stored good: the DTO plus the dates the `afterDate/beforeDate` filters read (not in the DTO). */
export interface GoodRecord extends GoodDto {
  createDate: Date
  modifyDate: Date
}

/** A goods group `{Id, ParentNomenclatureId, Name, NomenclatureType}` (spec §7). */
export interface NomenclatureDto {
  Id: number
  ParentNomenclatureId: number | null
  Name: string
  NomenclatureType: number
}

/** A warehouse `{Id, Name, IsMain, StockType}` (spec §7). */
export interface StockDto {
  Id: number
  Name: string
  IsMain: boolean
  StockType: number
}

/** One bill line as stored (and returned: `SalesBillItemDto`, spec §4.3). */
export interface BillItemDto {
  Id: number
  StockProductId: number | null
  Name: string
  Count: number
  Unit: string
  Type: number
  Price: number
  NdsType: number
  DiscountRate: number | null
  SumWithoutNds: number
  NdsSum: number
  SumWithNds: number
  Country: string | null
  CountryIso: string | null
  IsUnmeasurable: boolean
  ActivityAccountCode: number | null
}

/** A stored bill: editable fields plus what the emulator computes (sums in kopecks, exact). */
export interface BillRecord {
  Id: number
  Number: string
  DocDate: string
  DeadLine: string | null
  KontragentId: number
  ProjectId: number | null
  StockId: number | null
  SettlementAccountId: number | null
  Type: number
  /** A Status set by a client; honoured until the next payment event (spec §13). `null` = follow payments. */
  manualStatus: number | null
  AdditionalInfo: string | null
  ContractSubject: string | null
  Comment: string | null
  NdsPositionType: number
  IsCovered: boolean
  UseStampAndSign: boolean
  Items: BillItemDto[]
  /** Σ SumWithNds of the lines, kopecks. */
  sumKopecks: bigint
  /** The token in `Online` (`/bill/online/<token>`, an emulator choice). */
  onlineToken: string
  createDate: Date
  modifyDate: Date
}

/** A bank receipt of type 16 with its links to bills (`BillLinks {BillBaseId, LinkSum}`, spec §4.5, §6.2). */
export interface PaymentRecord {
  DocumentBaseId: number
  Number: string
  /** `YYYY-MM-DD`. */
  Date: string
  sumKopecks: bigint
  KontragentId: number | null
  Description: string | null
  OperationType: 16
  links: { billId: number; sumKopecks: bigint }[]
  modifyDate: Date
  /** Set when the payment was made or edited through the Money API (spec §6.2); absent for statement imports. */
  details?: PaymentDetails
}

/** What `PaymentFromCustomer` (spec §6.2) keeps besides the bank-statement basics. */
export interface PaymentDetails {
  settlementAccountId: number
  contractId: number | null
  nds: { includeNds: boolean; type: number; sumKopecks: bigint } | null
  isMainContractor: boolean
  provideInAccounting: boolean
  reserveKopecks: bigint
  taxationSystemType: number | null
  patentId: number | null
}

/** A copy with every bigint (kopecks) as decimal text, so it can be sent as JSON. */
function bigintsAsText(value: unknown): unknown {
  if (typeof value === 'bigint') return String(value)
  if (Array.isArray(value)) return value.map(bigintsAsText)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bigintsAsText(v)]))
  }
  return value
}

/** Counters shaped like MoeDelo's ids (spec §13). Documents share one counter, as DocumentBaseId does. */
export class IdCounters {
  kontragent = 18_000_000
  subconto = 77_000_000
  /** Reserved for bills, acts and UPD (DocumentBaseId); starts at 315,000,000. */
  document = 315_000_000
  /** Stock goods: a counter of their own (spec §13). */
  good = 5_000_000
  /** Goods groups and warehouses (emulator choices: their real ranges are unknown). */
  nomenclature = 41_000
  stock = 61_000
  account = 7_500_000
  contact = 9_100_000
  firm = 1_000
  /** Bill line ids (`SalesBillItemDto.Id`). */
  billItem = 640_000_000
  next(name: 'kontragent' | 'subconto' | 'document' | 'good' | 'nomenclature' | 'stock' | 'account' | 'contact' | 'firm' | 'billItem'): number {
    this[name] += 1
    return this[name]
  }
}

export class EmulatorStore {
  readonly firms = new Map<string, FirmState>()
  readonly ids = new IdCounters()
  readonly registry = new Map<string, RegistryEntry>()

  constructor(apiKeys: Record<string, string>, registry: RegistryFixture = defaultRegistry) {
    for (const [key, name] of Object.entries(apiKeys)) this.addFirm(key, name)
    for (const [inn, entry] of Object.entries(registry)) this.registry.set(inn, entry)
  }

  addFirm(apiKey: string = randomUUID(), name = 'ООО "Тестовая фирма"'): FirmState {
    const existing = this.firms.get(apiKey)
    if (existing) {
      existing.name = name
      return existing
    }
    const firm: FirmState = {
      apiKey,
      name,
      firmId: this.ids.next('firm'),
      kontragents: new Map(),
      kontragentHidden: new Map(),
      accounts: new Map(),
      contacts: new Map(),
      forbiddenServices: new Set(),
      bills: new Map(),
      payments: new Map(),
      goods: new Map(),
      nomenclatures: new Map(),
      stocks: new Map(),
    }
    seedStockDefaults(this.ids, firm)
    this.firms.set(apiKey, firm)
    return firm
  }

  removeFirm(apiKey: string): boolean {
    return this.firms.delete(apiKey)
  }

  firm(apiKey: string): FirmState {
    const firm = this.firms.get(apiKey)
    if (!firm) throw new Error(`MoeDelo emulator: no firm for API key ${apiKey}`)
    return firm
  }

  /** A JSON-friendly dump of one firm (the `/__emulator/firms/:key` control route). */
  dump(firm: FirmState): Record<string, unknown> {
    return {
      apiKey: firm.apiKey,
      name: firm.name,
      firmId: firm.firmId,
      forbiddenServices: [...firm.forbiddenServices],
      kontragents: [...firm.kontragents.values()],
      kontragentHidden: Object.fromEntries(firm.kontragentHidden),
      accounts: [...firm.accounts.values()],
      contacts: [...firm.contacts.values()],
      bills: [...firm.bills.values()].map((b) => ({ ...b, sumKopecks: String(b.sumKopecks) })),
      goods: [...firm.goods.values()],
      nomenclatures: [...firm.nomenclatures.values()],
      stocks: [...firm.stocks.values()],
      payments: [...firm.payments.values()].map((p) => bigintsAsText(p)),
    }
  }
}

/**
 * Every new firm starts with one goods group «Товары» and one main warehouse «Основной склад»
 * (an emulator choice: a real firm's defaults are UNKNOWN; goods need a group, spec §12 item 5).
 */
export function seedStockDefaults(ids: IdCounters, firm: FirmState): void {
  const group: NomenclatureDto = { Id: ids.next('nomenclature'), ParentNomenclatureId: null, Name: 'Товары', NomenclatureType: 0 }
  firm.nomenclatures.set(group.Id, group)
  const stock: StockDto = { Id: ids.next('stock'), Name: 'Основной склад', IsMain: true, StockType: 0 }
  firm.stocks.set(stock.Id, stock)
}
