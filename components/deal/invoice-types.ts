/** The deal tab's view of our API (app/api/portal/deals/[id]/invoices). */
import type { InvoicePreview } from '@/lib/invoicing/draft'
import type { DealInvoices, InvoiceView, PreviewResult } from '@/lib/invoicing/view'

export type { DealInvoices, InvoicePreview, InvoiceView, PreviewResult }

export type InvoiceKind = 'new' | 'repeat'

export const invoicesPath = (dealId: string) => `/api/portal/deals/${encodeURIComponent(dealId)}/invoices`

/** A UUID v4 for one invoice request (`crypto.randomUUID` needs a secure context; this does not). */
export function newRequestId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
