/**
 * What will be sent to MoeDelo, in two forms: the preview the manager sees before pressing the button
 * (plain JSON), and the MoeDelo bill draft (exact money). A new invoice comes from the deal
 * (lib/invoices); a repeat invoice is a copy of an earlier bill with today's date and a new number.
 */
import { formatMoney, parseMoney, parseQuantity, formatQuantity, sumMoney, type Kopecks } from '@/lib/domain/kopecks'
import { addDays, type BillDraft as DealBillDraft, type NdsPositionType } from '@/lib/invoices'
import type { Bill, BillDraft, BillItemDraft, BillVatRate } from '@/lib/moedelo'
import type { VatMode } from '@/lib/domain/vat'

export interface PreviewItem {
  name: string
  /** Decimal text. */
  quantity: string
  unit: string
  kind: 'goods' | 'service'
  /** Unit price, decimal text (with VAT when `vatMode` is `included` or `none`). */
  price: string
  /** `'none'` or the rate in percent. */
  vatRate: 'none' | number
  /** Line total with VAT, decimal text. */
  sum: string
}

/** The invoice as the manager previews it (JSON-safe). */
export interface InvoicePreview {
  kind: 'new' | 'repeat'
  buyer: string
  docDate: string
  deadline: string | null
  vatMode: VatMode
  items: PreviewItem[]
  totals: { vat: string; sum: string }
  /** For a repeat invoice: the number of the bill copied. */
  sourceNumber?: string
}

const VAT_MODE: Record<NdsPositionType, VatMode> = { 1: 'none', 2: 'on_top', 3: 'included' }

/** Today's date in a time zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  } catch {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  }
}

/** Whole days from one `YYYY-MM-DD` to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

// ---------- a new invoice from the deal ----------

export function previewOfDealDraft(draft: DealBillDraft): InvoicePreview {
  return {
    kind: 'new',
    buyer: draft.kontragent.title,
    docDate: draft.docDate,
    deadline: draft.deadline,
    vatMode: VAT_MODE[draft.ndsPositionType],
    items: draft.items.map((i) => ({
      name: i.name,
      quantity: i.count,
      unit: i.unit,
      kind: i.type === 1 ? 'goods' : 'service',
      price: i.price,
      vatRate: i.ndsType === -1 ? 'none' : i.ndsType,
      sum: i.sum,
    })),
    totals: { vat: draft.totals.ndsSum, sum: draft.totals.sum },
  }
}

/** The MoeDelo bill for a deal's draft; goods rows carry their stock good when one is mapped. */
export function billFromDealDraft(draft: DealBillDraft, kontragentId: number, stockGoods: ReadonlyMap<number, number>): BillDraft {
  return {
    kontragentId,
    docDate: draft.docDate,
    deadline: draft.deadline,
    kind: 'bill',
    vatMode: VAT_MODE[draft.ndsPositionType],
    items: draft.items.map((i): BillItemDraft => {
      const stockProductId = i.type === 1 && i.productId > 0 ? stockGoods.get(i.productId) : undefined
      return {
        ...(stockProductId ? { stockProductId } : {}),
        name: i.name,
        quantity: parseQuantity(i.count),
        unit: i.unit,
        kind: i.type === 1 ? 'goods' : 'service',
        price: parseMoney(i.price),
        vatRate: i.ndsType === -1 ? 'none' : i.ndsType,
      }
    }),
  }
}

// ---------- a repeat invoice: a copy of an earlier bill ----------

const previewRate = (rate: BillVatRate | null): 'none' | number => (rate === null || rate === 'none' ? 'none' : rate)

/** The copy of `source` dated `today`, due after the same term; MoeDelo gives it a new number. */
export function repeatOfBill(source: Bill, today: string): { bill: BillDraft; preview: InvoicePreview } {
  const term = source.deadline ? Math.max(0, daysBetween(source.docDate, source.deadline)) : null
  const deadline = term === null ? null : addDays(today, term)
  const vatMode: VatMode = source.vatMode ?? 'none'
  const bill: BillDraft = {
    kontragentId: source.kontragentId,
    docDate: today,
    ...(deadline ? { deadline } : {}),
    kind: source.kind ?? 'bill',
    vatMode,
    ...(source.projectId ? { projectId: source.projectId } : {}),
    ...(source.stockId ? { stockId: source.stockId } : {}),
    ...(source.settlementAccountId ? { settlementAccountId: source.settlementAccountId } : {}),
    ...(source.additionalInfo ? { additionalInfo: source.additionalInfo } : {}),
    ...(source.contractSubject ? { contractSubject: source.contractSubject } : {}),
    useStampAndSign: source.useStampAndSign,
    items: source.items.map((i) => ({
      ...(i.stockProductId ? { stockProductId: i.stockProductId } : {}),
      name: i.name,
      quantity: i.quantity,
      unit: i.unit,
      kind: i.kind ?? (i.stockProductId ? 'goods' : 'service'),
      price: i.price,
      vatRate: i.vatRate ?? 'none',
      ...(i.discountPercent ? { discountPercent: i.discountPercent } : {}),
    })),
  }
  const preview: InvoicePreview = {
    kind: 'repeat',
    buyer: '',
    docDate: today,
    deadline,
    vatMode,
    items: source.items.map((i) => ({
      name: i.name,
      quantity: formatQuantity(i.quantity),
      unit: i.unit,
      kind: i.kind ?? 'service',
      price: formatMoney(i.price),
      vatRate: previewRate(i.vatRate),
      sum: formatMoney(i.gross),
    })),
    totals: { vat: formatMoney(source.vatTotal), sum: formatMoney(sumMoney(source.items.map((i) => i.gross)) as Kopecks) },
    sourceNumber: source.number,
  }
  return { bill, preview }
}
