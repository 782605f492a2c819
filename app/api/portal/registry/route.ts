import { z } from 'zod'
import { registryConnectionStatus, saveRegistryConnection } from '@/lib/connections/registry'
import { isRetryable, userMessageOf } from '@/lib/errors'
import { writeJournal } from '@/lib/jobs'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'

export const runtime = 'nodejs'

export async function GET(request: Request) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  return jsonResponse(await registryConnectionStatus(context.db, context.session.memberId))
}

const bodySchema = z.object({
  provider: z.enum(['dadata', 'kontur_focus']),
  apiKey: z.string().trim().min(8).max(200),
  secretKey: z.string().trim().min(8).max(200).optional(),
})

export async function POST(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  const body = bodySchema.safeParse(await request.json().catch(() => undefined))
  if (!body.success) return jsonError(400, 'Выберите источник данных и вставьте ключ API целиком.')
  try {
    await saveRegistryConnection(context.db, context.session.memberId, body.data)
  } catch (error) {
    return jsonError(isRetryable(error) ? 502 : 400, userMessageOf(error))
  }
  const name = body.data.provider === 'dadata' ? 'DaData' : 'Контур.Фокус'
  await writeJournal(context.db, { memberId: context.session.memberId, level: 'info', topic: 'registry', message: `Проверка контрагентов подключена: ${name}, ключ проверен.` })
  return jsonResponse({ ok: true })
}
