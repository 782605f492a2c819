import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { portals } from '@/db/schema'
import { bitrix24For } from '@/lib/bitrix24/client'
import { userMessageOf } from '@/lib/errors'
import { authenticateApi } from '@/lib/http/session-auth'
import { jsonError, jsonResponse } from '@/lib/http/responses'
import { loadPipelines, PipelineSelectionError, pipelineSelectionSchema, savePipelineSelection } from '@/lib/portals/pipelines'
import type { Database } from '@/db'

export const runtime = 'nodejs'

async function currentPipelines(db: Database, memberId: string) {
  const [portal] = await db.select({ settings: portals.settings }).from(portals).where(eq(portals.memberId, memberId))
  return loadPipelines(await bitrix24For(db, memberId), portal?.settings.pipelines)
}

export async function GET(request: Request) {
  const context = await authenticateApi(request)
  if (context instanceof Response) return context
  try {
    return jsonResponse({ pipelines: await currentPipelines(context.db, context.session.memberId) })
  } catch (error) {
    return jsonError(502, userMessageOf(error))
  }
}

const bodySchema = z.object({ pipelines: pipelineSelectionSchema })

export async function PUT(request: Request) {
  const context = await authenticateApi(request, { admin: true })
  if (context instanceof Response) return context
  const body = bodySchema.safeParse(await request.json().catch(() => undefined))
  if (!body.success) return jsonError(400, 'Не удалось прочитать выбранные стадии — обновите страницу и попробуйте снова.')
  try {
    const pipelines = await currentPipelines(context.db, context.session.memberId)
    await savePipelineSelection(context.db, context.session.memberId, pipelines, body.data.pipelines)
    return jsonResponse({ ok: true })
  } catch (error) {
    if (error instanceof PipelineSelectionError) return jsonError(400, error.message)
    return jsonError(502, userMessageOf(error))
  }
}
