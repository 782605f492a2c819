import { dealContext } from '@/lib/http/deal-access'
import { jsonError } from '@/lib/http/responses'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { isMoeDeloError } from '@/lib/moedelo'
import { getInvoice } from '@/lib/invoicing/store'
import { pdfFileName } from '@/lib/invoicing/write-back'

export const runtime = 'nodejs'

/** The bill's PDF from MoeDelo, for the deal tab's link (the session comes as `?s=`: a link sends no header). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string; invoiceId: string }> }) {
  const { id, invoiceId } = await params
  const context = await dealContext(request, id, { allowQueryToken: true })
  if (context instanceof Response) return context
  const invoice = await getInvoice(context.db, context.session.memberId, invoiceId)
  if (!invoice || invoice.dealId !== context.dealId || !invoice.billId || !invoice.number) return jsonError(404, 'Счёт не найден.')
  const moedelo = await moedeloClientFor(context.db, context.session.memberId)
  if (!moedelo) return jsonError(409, 'Приложение не подключено к «Моё дело».')
  let pdf: Awaited<ReturnType<typeof moedelo.billPdf>>
  try {
    pdf = await moedelo.billPdf(invoice.billId)
  } catch (error) {
    if (isMoeDeloError(error)) return jsonError(502, error.userMessage)
    throw error
  }
  if (!('pdf' in pdf)) return jsonError(404, 'PDF этого счёта «Моё дело» не отдаёт — откройте счёт по ссылке.')
  return new Response(new Uint8Array(pdf.pdf), {
    headers: {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(pdfFileName(invoice.number))}`,
      'cache-control': 'private, no-store',
    },
  })
}
