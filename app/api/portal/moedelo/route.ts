import { disconnect } from '@/lib/connections/moedelo'
import { writeJournal } from '@/lib/jobs'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function DELETE(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  await disconnect(context.db, context.session.memberId)
  await writeJournal(context.db, { memberId: context.session.memberId, level: 'info', topic: 'moedelo', message: '«Моё дело» отключено администратором.' })
  return jsonResponse({ ok: true })
}
