import { z } from 'zod'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { userMessageOf } from '@/lib/errors'
import { writeJournal } from '@/lib/jobs'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'
import { isMoeDeloError } from '@/lib/moedelo'
import { onMoeDeloConnected } from '@/lib/sync/moedelo-connected'

export const runtime = 'nodejs'

const bodySchema = z.object({ apiKey: z.string().trim().min(8).max(200) })

export async function POST(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  const body = bodySchema.safeParse(await request.json().catch(() => undefined))
  if (!body.success) return jsonError(400, 'Вставьте ключ API «Моё дело» целиком — он похож на xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.')
  try {
    await connectWithApiKey(context.db, context.session.memberId, body.data.apiKey)
  } catch (error) {
    return jsonError(isMoeDeloError(error) && !error.retryable ? 400 : 502, userMessageOf(error))
  }
  await writeJournal(context.db, { memberId: context.session.memberId, level: 'info', topic: 'moedelo', message: '«Моё дело» подключено по ключу API: ключ проверен.' })
  await onMoeDeloConnected(context.db, context.session.memberId)
  return jsonResponse({ ok: true })
}
