/**
 * Checks a deal before anything is sent to MoeDelo. Every problem is returned at once, in the
 * order the manager meets them on the deal card (client, currency, products, sum); each has a
 * plain-language text in lib/domain/messages.ts (`invoiceProblemMessage`).
 */
import { formatMoney, tryParseMoney } from '../domain/kopecks'
import { readBuyer } from './buyer'
import type { DealSnapshot, InvoiceOptions } from './model'
import type { InvoiceProblem } from './problems'
import { productsTotal, readRows } from './rows'
import { billVatMode } from './vat-mode'

export type CheckOptions = Pick<InvoiceOptions, 'missingVatRate' | 'mixedVatModes' | 'freeRowType'>

export type InvoiceCheck = { ok: true } | { ok: false; problems: [InvoiceProblem, ...InvoiceProblem[]] }

/** MoeDelo bills are in roubles (moedelo.md §10.2); Bitrix24's rouble is `RUB`. Other currencies are refused. */
export const BILL_CURRENCY = 'RUB'

export function checkDealForInvoice(snapshot: DealSnapshot, opts: CheckOptions = {}): InvoiceCheck {
  const problems: InvoiceProblem[] = []

  const buyer = readBuyer(snapshot)
  if (!buyer.ok) problems.push(...buyer.problems)

  const currency = (snapshot.currency ?? '').trim().toUpperCase()
  if (currency !== BILL_CURRENCY) problems.push({ code: 'currency_not_rub', currency: (snapshot.currency ?? '').trim() })

  if (snapshot.productRows.length === 0) {
    problems.push({ code: 'no_products' })
  } else {
    const { rows, problems: rowProblems } = readRows(snapshot, opts)
    problems.push(...rowProblems)
    if (rowProblems.length === 0) {
      const mode = billVatMode(rows, opts)
      if (!mode.ok) problems.push(mode.problem)
      const total = productsTotal(rows)
      const deal = tryParseMoney(snapshot.opportunity, { rounding: 'half_up' })
      if (!deal.ok || deal.value !== total) {
        problems.push({
          code: 'deal_sum_differs',
          dealSum: deal.ok ? formatMoney(deal.value) : String(snapshot.opportunity ?? ''),
          productsSum: formatMoney(total),
          manual: snapshot.isManualOpportunity,
        })
      }
    }
  }

  const [first, ...rest] = problems
  return first === undefined ? { ok: true } : { ok: false, problems: [first, ...rest] }
}
