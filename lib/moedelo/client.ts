/**
 * MoeDelo REST client: typed methods over the legacy services, app types in and out.
 * Every failure is a MoeDeloError (see errors.ts) with `retryable` for the job layer.
 */
import type { z } from 'zod'
import type { CredentialStrategy } from './auth'
import { MoeDeloError } from './errors'
import {
  ROLE_CODES,
  toBill,
  toBillSaveDto,
  toBillSummary,
  toCounterparty,
  toGoodSaveDto,
  toGoodsGroup,
  toKontragentSaveDto,
  toMoneyOperation,
  toStockGood,
} from './mapper'
import type {
  Bill,
  BillDraft,
  BillPdf,
  BillQuery,
  BillSummary,
  ConnectionCheck,
  Counterparty,
  CounterpartyInput,
  CounterpartyRole,
  CounterpartyUpdate,
  GoodQuery,
  GoodsGroup,
  HealthProbe,
  MoneyOperation,
  MoneyOperationQuery,
  Page,
  StockGood,
  StockGoodInput,
} from './model'
import { Transport } from './transport'
import {
  billArraySchema,
  billListSchema,
  billSchema,
  goodListSchema,
  goodSchema,
  kontragentListSchema,
  kontragentSchema,
  moneyOperationPageSchema,
  nomenclatureListSchema,
  type KontragentByInnDto,
} from './types'

export interface MoeDeloClientOptions {
  /** e.g. `https://restapi.moedelo.org` or the emulator URL. */
  baseUrl: string
  credentials: CredentialStrategy
  /** Per-request timeout (default 30 000 ms). */
  timeoutMs?: number
  fetch?: typeof fetch
  /**
   * Route of a bill's PDF, `{id}` = bill id. MoeDelo's real route is UNKNOWN (spec §4.6), so it is a
   * setting; default `DEFAULT_BILL_PDF_PATH` (the emulator's choice). `null` = PDFs are not offered.
   */
  billPdfPath?: string | null
  /** Ids per `POST /sales/bill/byIds` call (default 100, what integrators call the API limit). */
  billsByIdsChunkSize?: number
}

export const KONTRAGENT_PATH = '/kontragents/api/v1/kontragent'
export const BILL_PATH = '/accounting/api/v1/sales/bill'
export const DEFAULT_BILL_PDF_PATH = '/accounting/api/v1/sales/bill/{id}/pdf'
export const BILLS_BY_IDS_LIMIT = 100
export const GOOD_PATH = '/stock/api/v1/good'
export const NOMENCLATURE_PATH = '/stock/api/v1/nomenclature'
export const REGISTRY_PATH = '/money/api/v1/Registry'
/** `OperationSource` 1: the settlement (bank) account (spec §6.1). */
const SETTLEMENT_ACCOUNT_SOURCE = 1
/** `OperationType` 16: «Оплата от покупателя» (spec §6.1, §10). */
export const PAYMENT_FROM_CUSTOMER_OPERATION = 16
/** Registry page size; clients ask for 1000 and page by `Offset += Limit` (spec §6.1). */
const REGISTRY_PAGE_SIZE = 1000
const MAX_REGISTRY_PAGES = 1000
/** Largest page we ask for; the server cap is unknown (spec §2.1), 100 is what integrators use safely. */
const INN_SEARCH_PAGE_SIZE = 100
const GOOD_SEARCH_PAGE_SIZE = 100
const MAX_PAGES = 100
const HEALTH_TIMEOUT_MS = 10_000

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string, status: number): z.infer<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const where = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ')
  throw new MoeDeloError({ kind: 'unexpected', status, message: `MoeDelo ${what}: unexpected response shape (${where})` })
}

export class MoeDeloClient {
  private readonly transport: Transport
  private readonly timeoutMs: number
  private readonly billPdfPath: string | null
  private readonly byIdsChunk: number

  constructor(options: MoeDeloClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.billPdfPath = options.billPdfPath === undefined ? DEFAULT_BILL_PDF_PATH : options.billPdfPath
    this.byIdsChunk = Math.max(1, Math.min(options.billsByIdsChunkSize ?? BILLS_BY_IDS_LIMIT, BILLS_BY_IDS_LIMIT))
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      timeoutMs: this.timeoutMs,
      fetch: options.fetch ?? globalThis.fetch,
    })
  }

  /** A cheap authenticated read, to validate a key before saving it. Throws MoeDeloError. */
  async checkConnection(): Promise<ConnectionCheck> {
    const page = await this.listCounterparties({ pageNo: 1, pageSize: 1 })
    return { counterpartyCount: page.totalCount }
  }

  /** Is MoeDelo reachable at all (any answer but a server error)? Never throws; no credentials used. */
  async health(): Promise<HealthProbe> {
    try {
      const res = await this.transport.send({
        method: 'GET',
        path: KONTRAGENT_PATH,
        query: { pageNo: 1, pageSize: 1 },
        authenticated: false,
        timeoutMs: Math.min(this.timeoutMs, HEALTH_TIMEOUT_MS),
      })
      return { reachable: true, status: res.status }
    } catch (error) {
      if (error instanceof MoeDeloError) {
        if (error.status !== undefined && error.kind !== 'unavailable') return { reachable: true, status: error.status }
        return { reachable: false, status: error.status, error }
      }
      throw error
    }
  }

  async listCounterparties(options: { pageNo?: number; pageSize?: number; inn?: string; name?: string } = {}): Promise<Page<Counterparty>> {
    const pageNo = options.pageNo ?? 1
    const pageSize = options.pageSize ?? 50
    const res = await this.transport.send({
      method: 'GET',
      path: KONTRAGENT_PATH,
      query: { pageNo, pageSize, inn: options.inn, name: options.name },
    })
    const list = parse(kontragentListSchema, res.body, 'counterparty list', res.status)
    return {
      items: list.ResourceList.map(toCounterparty),
      pageNo,
      pageSize,
      count: list.Count ?? list.ResourceList.length,
      totalCount: list.TotalCount,
    }
  }

  /** Every counterparty with this INN (INN is not unique in MoeDelo), lowest id first. */
  async findCounterpartiesByInn(inn: string): Promise<Counterparty[]> {
    const found: Counterparty[] = []
    for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo += 1) {
      const page = await this.listCounterparties({ pageNo, pageSize: INN_SEARCH_PAGE_SIZE, inn: inn.trim() })
      found.push(...page.items)
      if (page.items.length === 0 || found.length >= page.totalCount) break
    }
    // Defensive: keep exact matches only, in case the live filter is looser than documented.
    return found.filter((c) => c.inn === inn.trim()).sort((a, b) => a.id - b.id)
  }

  /** One counterparty, or `null` when MoeDelo answers 404 (deleted or never existed). */
  async getCounterparty(id: number): Promise<Counterparty | null> {
    try {
      const res = await this.transport.send({ method: 'GET', path: `${KONTRAGENT_PATH}/${id}` })
      return toCounterparty(parse(kontragentSchema, res.body, 'counterparty', res.status))
    } catch (error) {
      if (error instanceof MoeDeloError && error.kind === 'not_found') return null
      throw error
    }
  }

  /** Creates a counterparty that MoeDelo fills from ЕГРЮЛ/ЕГРИП (`POST /kontragent/inn`). */
  async createCounterpartyByInn(inn: string, type: CounterpartyRole = 'buyer'): Promise<Counterparty> {
    const body: KontragentByInnDto = { Inn: inn.trim(), Type: ROLE_CODES[type] }
    const res = await this.transport.send({ method: 'POST', path: `${KONTRAGENT_PATH}/inn`, body })
    return toCounterparty(parse(kontragentSchema, res.body, 'created counterparty', res.status))
  }

  async createCounterparty(fields: CounterpartyInput): Promise<Counterparty> {
    const res = await this.transport.send({ method: 'POST', path: KONTRAGENT_PATH, body: toKontragentSaveDto(fields) })
    return toCounterparty(parse(kontragentSchema, res.body, 'created counterparty', res.status))
  }

  async updateCounterparty(id: number, fields: CounterpartyUpdate): Promise<Counterparty> {
    const res = await this.transport.send({ method: 'PUT', path: `${KONTRAGENT_PATH}/${id}`, body: toKontragentSaveDto(fields) })
    return toCounterparty(parse(kontragentSchema, res.body, 'updated counterparty', res.status))
  }

  // ---------- sales bills (spec §4) ----------

  /** Creates a bill (`POST /sales/bill` → 201); MoeDelo numbers it when `number` is empty. */
  async createBill(draft: BillDraft): Promise<Bill> {
    const res = await this.transport.send({ method: 'POST', path: BILL_PATH, body: toBillSaveDto(draft) })
    return toBill(parse(billSchema, res.body, 'created bill', res.status))
  }

  /** The full bill, or `null` when MoeDelo answers 404 (deleted or never existed). */
  async getBill(id: number): Promise<Bill | null> {
    try {
      const res = await this.transport.send({ method: 'GET', path: `${BILL_PATH}/${id}` })
      return toBill(parse(billSchema, res.body, 'bill', res.status))
    } catch (error) {
      if (error instanceof MoeDeloError && error.kind === 'not_found') return null
      throw error
    }
  }

  /** Full replace of the editable fields, items included (send item ids back to keep lines). */
  async updateBill(id: number, draft: BillDraft): Promise<Bill> {
    const res = await this.transport.send({ method: 'PUT', path: `${BILL_PATH}/${id}`, body: toBillSaveDto(draft) })
    return toBill(parse(billSchema, res.body, 'updated bill', res.status))
  }

  /** One page of bills (list entries: no items, no payments). `afterDate` is the incremental-sync filter. */
  async findBills(query: BillQuery = {}): Promise<Page<BillSummary>> {
    const pageNo = query.pageNo ?? 1
    const pageSize = query.pageSize ?? 50
    const instant = (v: Date | string | undefined) => (v instanceof Date ? v.toISOString() : v)
    const res = await this.transport.send({
      method: 'GET',
      path: BILL_PATH,
      query: {
        pageNo,
        pageSize,
        number: query.number,
        kontragentId: query.kontragentId,
        projectId: query.projectId,
        afterDate: instant(query.afterDate),
        beforeDate: instant(query.beforeDate),
        docAfterDate: query.docAfterDate,
        docBeforeDate: query.docBeforeDate,
      },
    })
    const list = parse(billListSchema, res.body, 'bill list', res.status)
    return {
      items: list.ResourceList.map(toBillSummary),
      pageNo,
      pageSize,
      count: list.Count ?? list.ResourceList.length,
      totalCount: list.TotalCount,
    }
  }

  /** Full bills by id, in calls of at most 100 ids; duplicates asked once, missing ids left out. */
  async billsByIds(ids: readonly number[]): Promise<Bill[]> {
    const unique = [...new Set(ids)]
    const bills: Bill[] = []
    for (let i = 0; i < unique.length; i += this.byIdsChunk) {
      const chunk = unique.slice(i, i + this.byIdsChunk)
      const res = await this.transport.send({ method: 'POST', path: `${BILL_PATH}/byIds`, body: chunk })
      bills.push(...parse(billArraySchema, res.body, 'bills by ids', res.status).map(toBill))
    }
    return bills
  }

  // ---------- money: Registry (spec §6.1) ----------

  /** One page of incoming payments from customers (type 16) on the settlement account, by payment date. */
  async incomingPaymentsPage(query: MoneyOperationQuery): Promise<Page<MoneyOperation>> {
    const offset = query.offset ?? 0
    const limit = query.limit ?? REGISTRY_PAGE_SIZE
    const res = await this.transport.send({
      method: 'GET',
      path: REGISTRY_PATH,
      query: {
        StartDate: query.startDate,
        EndDate: query.endDate,
        OperationSource: SETTLEMENT_ACCOUNT_SOURCE,
        OperationTypes: PAYMENT_FROM_CUSTOMER_OPERATION,
        Offset: offset,
        Limit: limit,
      },
    })
    const page = parse(moneyOperationPageSchema, res.body, 'money registry', res.status)
    return {
      items: page.data.map(toMoneyOperation),
      pageNo: Math.floor(offset / limit) + 1,
      pageSize: limit,
      count: page.data.length,
      totalCount: page.totalCount,
    }
  }

  /** Every incoming payment from a customer with a payment date in [startDate, endDate], paged by `Offset += Limit`. */
  async incomingPayments(query: Omit<MoneyOperationQuery, 'offset'>): Promise<MoneyOperation[]> {
    const limit = query.limit ?? REGISTRY_PAGE_SIZE
    const byId = new Map<number, MoneyOperation>()
    let offset = 0
    for (let page = 0; page < MAX_REGISTRY_PAGES; page += 1) {
      const result = await this.incomingPaymentsPage({ ...query, offset, limit })
      for (const op of result.items) byId.set(op.id, op)
      // The server may clamp Limit: the end is where totalCount says, not the first page shorter than asked.
      if (result.count === 0 || offset + result.count >= result.totalCount) break
      offset += result.count
    }
    return [...byId.values()]
  }

  /**
   * The bill as a PDF, or `{ unavailable: true }` when no PDF route is configured or MoeDelo answers
   * 404 there (fall back to the bill's `onlineUrl`). Other failures throw MoeDeloError.
   */
  async billPdf(id: number): Promise<BillPdf> {
    if (!this.billPdfPath) return { unavailable: true }
    const path = this.billPdfPath.replace(/\{id\}|:id/g, encodeURIComponent(String(id)))
    try {
      const res = await this.transport.sendBinary({ method: 'GET', path }, 'application/pdf')
      if (res.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new MoeDeloError({
          kind: 'unexpected',
          status: res.status,
          message: `MoeDelo GET ${path} → HTTP ${res.status} ${res.contentType ?? ''} that is not a PDF`,
        })
      }
      return { pdf: res.bytes }
    } catch (error) {
      if (error instanceof MoeDeloError && error.kind === 'not_found') return { unavailable: true }
      throw error
    }
  }

  // ---------- stock goods (spec §7) ----------

  /** One page of goods and materials. `afterDate` is the incremental-sync filter. */
  async listGoods(query: GoodQuery = {}): Promise<Page<StockGood>> {
    const pageNo = query.pageNo ?? 1
    const pageSize = query.pageSize ?? 50
    const instant = (v: Date | string | undefined) => (v instanceof Date ? v.toISOString() : v)
    const res = await this.transport.send({
      method: 'GET',
      path: GOOD_PATH,
      query: { pageNo, pageSize, name: query.name, afterDate: instant(query.afterDate), beforeDate: instant(query.beforeDate) },
    })
    const list = parse(goodListSchema, res.body, 'good list', res.status)
    return {
      items: list.ResourceList.map(toStockGood),
      pageNo,
      pageSize,
      count: list.Count ?? list.ResourceList.length,
      totalCount: list.TotalCount,
    }
  }

  /** Every good whose name is exactly this (case and outer spaces aside), lowest id first. */
  async findGoodsByName(name: string): Promise<StockGood[]> {
    const wanted = name.trim().toLocaleLowerCase('ru-RU')
    const found: StockGood[] = []
    let seen = 0
    for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo += 1) {
      const page = await this.listGoods({ pageNo, pageSize: GOOD_SEARCH_PAGE_SIZE, name: name.trim() })
      seen += page.items.length
      found.push(...page.items)
      if (page.items.length === 0 || seen >= page.totalCount) break
    }
    // How the live `name` filter matches is unknown (substring, prefix, ignored): keep exact names only.
    return found.filter((g) => g.name.trim().toLocaleLowerCase('ru-RU') === wanted).sort((a, b) => a.id - b.id)
  }

  /** One good, or `null` when MoeDelo answers 404 (deleted or never existed). */
  async getGood(id: number): Promise<StockGood | null> {
    try {
      const res = await this.transport.send({ method: 'GET', path: `${GOOD_PATH}/${id}` })
      return toStockGood(parse(goodSchema, res.body, 'good', res.status))
    } catch (error) {
      if (error instanceof MoeDeloError && error.kind === 'not_found') return null
      throw error
    }
  }

  /** Creates a good (`POST /good` → 201). MoeDelo has no idempotency keys: look it up first. */
  async createGood(input: StockGoodInput): Promise<StockGood> {
    const res = await this.transport.send({ method: 'POST', path: GOOD_PATH, body: toGoodSaveDto(input) })
    return toStockGood(parse(goodSchema, res.body, 'created good', res.status))
  }

  /**
   * Updates a good. Whether MoeDelo clears members left out is unknown, so send everything the good
   * should keep (read it with `getGood` first). Throws MoeDeloError `not_found` when it is gone.
   */
  async updateGood(id: number, input: StockGoodInput): Promise<StockGood> {
    const res = await this.transport.send({ method: 'PUT', path: `${GOOD_PATH}/${id}`, body: toGoodSaveDto(input) })
    return toStockGood(parse(goodSchema, res.body, 'updated good', res.status))
  }

  /** Deletes a good; `false` when it was already gone (404). Any 2xx counts as deleted. */
  async deleteGood(id: number): Promise<boolean> {
    try {
      await this.transport.send({ method: 'DELETE', path: `${GOOD_PATH}/${id}` })
      return true
    } catch (error) {
      if (error instanceof MoeDeloError && error.kind === 'not_found') return false
      throw error
    }
  }

  /** The goods groups (`/stock/api/v1/nomenclature`), lowest id first. A good needs one. */
  async listGoodsGroups(): Promise<GoodsGroup[]> {
    const res = await this.transport.send({ method: 'GET', path: NOMENCLATURE_PATH })
    return parse(nomenclatureListSchema, res.body, 'goods groups', res.status)
      .map(toGoodsGroup)
      .sort((a, b) => a.id - b.id)
  }
}
