/**
 * Every behaviour the spec marks UNKNOWN (or that we assumed) is a switch here, so the tests can be
 * re-pointed once the live Swagger has been checked. See README.md for what each default is based on.
 */
import { applySwitchPatch } from '../shared/http'
export interface MoeDeloSwitches {
  /** Page size when `pageSize` is absent (spec §2.1: 50, `SalesBillPaginationRequestDto`). */
  defaultPageSize: number
  /** Server-side page-size cap; `null` = accept any size (spec §2.1: the real cap is UNKNOWN). */
  pageSizeCap: number | null
  /** What happens above the cap: silently clamp, or answer a legacy 400 validation error. */
  pageSizeOverCap: 'clamp' | 'reject'
  /** Success status of DELETE (spec §2.1: UNKNOWN, 200 or 204). */
  deleteStatus: 200 | 204
  /** Shape of legacy `ValidationErrors` (spec §11: UNKNOWN): field → messages map, or a flat list of messages. */
  validationErrorsShape: 'map' | 'list'
  /** `POST /kontragent/inn` for an INN missing from the fixture register (UNKNOWN). */
  unknownInn: 'validation' | 'not_found' | 'create_minimal'
  /** Bodies of auth/404/429 errors (UNKNOWN; `null` = empty body). */
  unauthorizedBody: unknown
  forbiddenBody: unknown
  notFoundBody: unknown
  rateLimitedBody: unknown
  /** Optional per-key token bucket answering 429 (spec §11: no limits are documented). `null` = off. */
  rateLimit: { capacity: number; refillPerSecond: number } | null
  /** Most ids `POST /sales/bill/byIds` accepts; more → 400 (spec §4.1: clients batch 100; the limit is an emulator choice). */
  billByIdsMax: number
  /** Does linking or unlinking a payment bump the bill's `Context.ModifyDate`? (spec §4.5: UNKNOWN) */
  paymentLinkBumpsModifyDate: boolean
  /** Route of the bill PDF, `:id` = bill id (spec §4.6: UNKNOWN, an emulator choice). */
  billPdfPath: string
  /** `false` → the PDF route answers 404 (no PDF for bills). */
  billPdfAvailable: boolean
  /** A client-sent `Number` already used in the same year: reject (400) or allow (spec §4.2 «unique within the year»). */
  billNumberDuplicates: 'reject' | 'allow'
  /** A bill line's `StockProductId` that is no good of the firm: reject (400, an emulator choice) or accept. */
  billStockProductCheck: 'reject' | 'accept'
  /** Good `Nds` values accepted (spec §10, §15 q.6: the old Swagger list plus 5/7/22 and their calculated rates, UNKNOWN). */
  goodNdsValues: number[]
  /** `PUT /good/{id}`: members left out are cleared (`replace`, ASP.NET DTO binding) or kept (`merge`). UNKNOWN. */
  goodPutSemantics: 'replace' | 'merge'
  /** `GET /stock/api/v1/nomenclature` answers the legacy list envelope or a bare array (spec §7: UNKNOWN). */
  nomenclatureListShape: 'envelope' | 'array'
  /** Member names inside the Money API's camelCase envelope (spec §2.2: UNKNOWN; ASP.NET Core writes camelCase). */
  moneyJsonCase: 'camel' | 'pascal'
  /** Money API 422 body (spec §11: UNKNOWN): `list` = `{errors:[{key,message}]}`, `map` = `{title,status,errors:{field:[…]}}`. */
  moneyValidationShape: 'list' | 'map'
  /** `GET /money/api/v1/Registry` without `StartDate`/`EndDate`: 422 (`true`) or unbounded (spec §6.1: clients always send both). */
  registryRequiresDates: boolean
  /** Registry `Limit` when absent (UNKNOWN). */
  registryDefaultLimit: number
  /** Largest Registry `Limit`, clamped silently; `null` = no cap (UNKNOWN). */
  registryLimitCap: number | null
  /** Numeric `Direction` of an incoming operation (spec §6.1: the values are UNKNOWN). */
  registryIncomingDirection: number
  /** Public names of a bill link in `PaymentFromCustomer.Bills[]` (spec §6.2, §15: UNKNOWN; internally `BillBaseId` + `LinkSum`). */
  billLinkFields: 'BillBaseId/LinkSum' | 'DocumentBaseId/Sum'
}

export const defaultSwitches: MoeDeloSwitches = {
  defaultPageSize: 50,
  pageSizeCap: null,
  pageSizeOverCap: 'clamp',
  deleteStatus: 204,
  validationErrorsShape: 'map',
  unknownInn: 'validation',
  // ASP.NET Web API's default body for [Authorize] failures.
  unauthorizedBody: { Message: 'Authorization has been denied for this request.' },
  forbiddenBody: { Message: 'Access denied for the current tariff.' },
  notFoundBody: { Message: 'Not found.' },
  rateLimitedBody: { Message: 'Too many requests.' },
  rateLimit: null,
  billByIdsMax: 100,
  paymentLinkBumpsModifyDate: true,
  billPdfPath: '/accounting/api/v1/sales/bill/:id/pdf',
  billPdfAvailable: true,
  billNumberDuplicates: 'reject',
  billStockProductCheck: 'reject',
  goodNdsValues: [-1, 0, 5, 7, 10, 18, 20, 22, 105, 107, 110, 118, 120, 122],
  goodPutSemantics: 'replace',
  nomenclatureListShape: 'envelope',
  moneyJsonCase: 'camel',
  moneyValidationShape: 'list',
  registryRequiresDates: true,
  registryDefaultLimit: 100,
  registryLimitCap: null,
  registryIncomingDirection: 1,
  billLinkFields: 'BillBaseId/LinkSum',
}

const keys = Object.keys(defaultSwitches) as (keyof MoeDeloSwitches)[]

/** Applies a partial update (from options or `PATCH /__emulator/config`), ignoring unknown keys. */
export function applySwitches(target: MoeDeloSwitches, patch: Record<string, unknown>): MoeDeloSwitches {
  return applySwitchPatch(target, keys, patch)
}
