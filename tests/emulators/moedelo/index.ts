/**
 * MoeDelo («Моё дело») REST API emulator: a real HTTP server following spec docs/moedelo §2, §3, §4, §6, §7, §11, §13.
 * Counterparties, sales bills (with test-only bank payments), stock and the Money service (Registry,
 * PaymentFromCustomer); acts plug in as a further `register…Routes` module sharing the same context
 * (firms, id counters, switches, clock).
 */
import { FaultInjector, Router, startEmulator, VirtualClock } from '../shared/http'
import { registerBillControlRoutes, registerBillRoutes, seedBill, type BillSeed } from './bills'
import { registerOnlineBillPage } from './online'
import { registerControlRoutes } from './control'
import { DynamicRouter } from './dynamic-router'
import type { EmulatorContext } from './guard'
import { registerKontragentRoutes } from './kontragents'
import { registerStockControlRoutes, registerStockRoutes } from './stock'
import { registerMoneyRoutes } from './money'
import { OAuthServer, type OAuthServerOptions } from './oauth'
import type { RegistryFixture } from './registry'
import { EmulatorStore, type BillRecord, type FirmState } from './state'
import { applySwitches, defaultSwitches, type MoeDeloSwitches } from './switches'
import { registerUiRoutes } from './ui'

export type { OAuthServerOptions } from './oauth'
export { defaultRegistry, type RegistryEntry, type RegistryFixture } from './registry'
export type {
  BankAccountDto,
  BillItemDto,
  BillRecord,
  ContactDto,
  FirmState,
  GoodDto,
  GoodRecord,
  KontragentDto,
  MoeDeloService,
  NomenclatureDto,
  PaymentRecord,
  StockDto,
} from './state'
export { GOOD_PATH, NOMENCLATURE_PATH, STOCK_PATH } from './stock'
export { BILL_PATH, minimalPdf, type BillSeed } from './bills'
export { PAYMENT_FROM_CUSTOMER_PATH, REGISTRY_PATH } from './money'
export { defaultSwitches, type MoeDeloSwitches } from './switches'

/** A fixed GUID-like key for demos and tests. */
export const DEMO_API_KEY = '5f0c7a1e-9d3b-4c2a-8e11-0de0de100001'
export const DEMO_FIRM_NAME = 'ООО "Демо фирма"'

export interface MoeDeloEmulatorOptions {
  port?: number
  host?: string
  /** key → firm name; each key is one isolated company dataset. Default: the demo key only. */
  apiKeys?: Record<string, string>
  /** Fixture "ЕГРЮЛ/ЕГРИП" for `POST /kontragent/inn` (INN → entry). Default: `defaultRegistry`. */
  registry?: RegistryFixture
  /** Shortcut for `switches.pageSizeCap`. */
  pageSizeCap?: number
  /** OAuth 2.0 authorization server (an ASSUMPTION, see README). Off by default. */
  oauth?: OAuthServerOptions
  /** Every UNKNOWN behaviour (README); changeable at runtime with `PATCH /__emulator/config`. */
  switches?: Partial<MoeDeloSwitches>
}

export interface MoeDeloEmulator {
  url: string
  close(): Promise<void>
  /** In-process state of one firm (throws for an unknown key). */
  firm(apiKey: string): FirmState
  /** Adds (or renames) a firm; returns its state. */
  addFirm(apiKey: string, name?: string): FirmState
  /** Stores bills without validation, fast enough for a hundred thousand (benchmarks). */
  seedBills(apiKey: string, bills: BillSeed[]): BillRecord[]
  readonly switches: MoeDeloSwitches
  readonly faults: FaultInjector
  readonly clock: VirtualClock
  readonly oauth?: OAuthServer
}

export async function startMoeDeloEmulator(options: MoeDeloEmulatorOptions = {}): Promise<MoeDeloEmulator> {
  const clock = new VirtualClock()
  const faults = new FaultInjector()
  const store = new EmulatorStore(options.apiKeys ?? { [DEMO_API_KEY]: DEMO_FIRM_NAME }, options.registry)
  const switches = applySwitches({ ...defaultSwitches }, { ...(options.switches ?? {}) })
  if (options.pageSizeCap !== undefined) switches.pageSizeCap = options.pageSizeCap
  const oauth = options.oauth?.enabled ? new OAuthServer(options.oauth, store, clock) : undefined
  const ctx: EmulatorContext = { store, switches, clock, oauth }

  const router = new DynamicRouter()
  registerKontragentRoutes(router, ctx)
  registerBillRoutes(router, ctx)
  registerOnlineBillPage(router, ctx)
  registerStockRoutes(router, ctx)
  registerMoneyRoutes(router, ctx)
  oauth?.register(router)

  const control = new Router()
  registerControlRoutes(control, ctx)
  registerBillControlRoutes(control, ctx)
  registerStockControlRoutes(control, ctx)
  registerUiRoutes(control, ctx)
  oauth?.registerControl(control)

  const started = await startEmulator({ name: 'moedelo', router, control, faults, clock, port: options.port, host: options.host })
  return {
    url: started.url,
    close: () => started.close(),
    firm: (apiKey) => store.firm(apiKey),
    addFirm: (apiKey, name) => store.addFirm(apiKey, name),
    seedBills: (apiKey, bills) => {
      const firm = store.firm(apiKey)
      return bills.map((seed) => seedBill(ctx, firm, seed))
    },
    switches,
    faults,
    clock,
    oauth,
  }
}
