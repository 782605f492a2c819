/**
 * MoeDelo REST client: typed methods over the legacy services, app types in and out.
 * Every failure is a MoeDeloError (see errors.ts) with `retryable` for the job layer.
 */
import type { z } from 'zod'
import type { CredentialStrategy } from './auth'
import { MoeDeloError } from './errors'
import { toCounterparty, toKontragentSaveDto, ROLE_CODES } from './mapper'
import type { ConnectionCheck, Counterparty, CounterpartyInput, CounterpartyRole, CounterpartyUpdate, HealthProbe, Page } from './model'
import { Transport } from './transport'
import { kontragentListSchema, kontragentSchema, type KontragentByInnDto } from './types'

export interface MoeDeloClientOptions {
  /** e.g. `https://restapi.moedelo.org` or the emulator URL. */
  baseUrl: string
  credentials: CredentialStrategy
  /** Per-request timeout (default 30 000 ms). */
  timeoutMs?: number
  fetch?: typeof fetch
}

export const KONTRAGENT_PATH = '/kontragents/api/v1/kontragent'
/** Largest page we ask for; the server cap is unknown (spec §2.1), 100 is what integrators use safely. */
const INN_SEARCH_PAGE_SIZE = 100
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

  constructor(options: MoeDeloClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000
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
}
