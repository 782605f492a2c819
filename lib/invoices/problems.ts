/**
 * What can stop a bill from being made out of a deal, as data. The texts live in
 * lib/domain/messages.ts (`invoiceProblemMessage`). `row` is the 1-based position on the deal's
 * «Товары» tab, `name` the product name as the manager sees it.
 */
import type { MoneyProblem } from '../domain/kopecks'
import type { RequisiteProblem } from '../domain/problems'

/** Who the buyer is in the deal. */
export type InvoiceParty = 'company' | 'contact'

/** Registry statuses that block a bill (the ones lib/counterparties flags on the card). */
export type BlockingRegistryStatus = 'liquidated' | 'liquidating' | 'bankrupt'
export const BLOCKING_REGISTRY_STATUSES: readonly BlockingRegistryStatus[] = ['liquidated', 'liquidating', 'bankrupt']

export type InvoiceProblem =
  /** Neither a company nor a contact in the deal. */
  | { code: 'no_client' }
  /** The buyer has no requisite at all. */
  | { code: 'no_requisites'; party: InvoiceParty; title: string }
  /** A problem with the buyer's ИНН/КПП/ОГРН/ОГРНИП (lib/domain/requisites). */
  | { code: 'requisites'; party: InvoiceParty; title: string; problem: RequisiteProblem }
  /** A contact whose requisites are an organisation's: a bill to a contact needs a person's (or ИП's). */
  | { code: 'contact_not_person'; title: string }
  /** The registry says the buyer is liquidated, being liquidated or bankrupt. */
  | { code: 'counterparty_flagged'; party: InvoiceParty; title: string; status: BlockingRegistryStatus; soleTrader: boolean }
  /** MoeDelo bills are in roubles only (moedelo.md §10.2). */
  | { code: 'currency_not_rub'; currency: string }
  | { code: 'no_products' }
  | { code: 'row_name_missing'; row: number }
  | { code: 'row_name_too_long'; row: number; name: string; length: number }
  /** Price or quantity that is not a number / too precise, or an unsupported VAT rate. */
  | { code: 'row_value'; row: number; name: string; problem: MoneyProblem }
  | { code: 'row_quantity_not_positive'; row: number; name: string; value: string }
  | { code: 'row_price_not_positive'; row: number; name: string; value: string }
  /** `TAX_RATE` is empty (with `missingVatRate: 'problem'`). */
  | { code: 'row_vat_missing'; row: number; name: string }
  /** Rows mix «НДС включён» and «сверху» (with `mixedVatModes: 'problem'`). */
  | { code: 'mixed_vat_modes' }
  /** OPPORTUNITY differs from the products' total (money text, 2 decimals). */
  | { code: 'deal_sum_differs'; dealSum: string; productsSum: string; manual: boolean }

export type InvoiceProblemCode = InvoiceProblem['code']
