import { z } from 'zod'
import { dealContext } from '@/lib/http/deal-access'
import { jsonError, jsonResponse } from '@/lib/http/responses'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import { after } from 'next/server'
import { requestInvoice, runInvoiceNow } from '@/lib/invoicing/jobs'
import { dealInvoices } from '@/lib/invoicing/view'

export const runtime = 'nodejs'

type Params = { params: Promise<{ id: string }> }

/** The deal's invoices with their receipts. */
export async function GET(request: Request, { params }: Params) {
  const context = await dealContext(request, (await params).id)
  if (context instanceof Response) return context
  return jsonResponse(await dealInvoices(context.db, context.portal, context.dealId, context.session.lang ?? 'ru'))
}

const requestBody = z.object({
  /** Made once per dialog by the page: a double click sends the same id. */
  requestId: z.string().uuid(),
  kind: z.enum(['new', 'repeat']),
})

/** «Выставить счёт» / «Повторить счёт»: 202 with the request; the work runs in the background. */
export async function POST(request: Request, { params }: Params) {
  const context = await dealContext(request, (await params).id)
  if (context instanceof Response) return context
  const body = requestBody.safeParse(await request.json().catch(() => null))
  if (!body.success) return jsonError(400, 'Некорректный запрос: обновите вкладку и попробуйте ещё раз.')
  const outcome = await requestInvoice(context.db, {
    memberId: context.session.memberId,
    dealId: context.dealId,
    trigger: body.data.kind === 'repeat' ? 'repeat' : 'button',
    requestId: body.data.requestId,
    requestedBy: context.session.userId,
    inline: true,
  })
  if (outcome.kind === 'nothing-to-repeat') return jsonError(409, invoiceMessages.nothingToRepeat)
  if (outcome.kind === 'in-flight') return jsonResponse({ error: invoiceMessages.inFlight, invoiceId: outcome.invoice.id }, 409)
  const { db, session } = context
  // Made right after the answer is sent; the queued job is the safety net.
  if (!outcome.duplicate) after(() => runInvoiceNow(db, session.memberId, outcome.invoice.id))
  return jsonResponse({ invoiceId: outcome.invoice.id, duplicate: outcome.duplicate }, 202)
}
