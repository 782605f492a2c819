import { dealContext } from '@/lib/http/deal-access'
import { jsonResponse } from '@/lib/http/responses'
import { previewInvoice } from '@/lib/invoicing/view'

export const runtime = 'nodejs'

/** What «Выставить счёт» (`?kind=new`) or «Повторить счёт» (`?kind=repeat`) would send, with every problem found. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await dealContext(request, (await params).id)
  if (context instanceof Response) return context
  const kind = new URL(request.url).searchParams.get('kind') === 'repeat' ? 'repeat' : 'new'
  return jsonResponse(await previewInvoice(context.db, context.portal, context.dealId, kind, context.session.lang ?? 'ru'))
}
