/**
 * Deal pipelines and stages as the portal defines them, with the app's per-pipeline choices:
 * the stage that triggers an invoice and the stage a fully paid deal moves to.
 */
import { eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '@/db'
import { portals, type PipelineSettings } from '@/db/schema'
import type { Bitrix24Client } from '@/lib/bitrix24/client'

export interface Stage {
  id: string
  name: string
  semantics: 'process' | 'success' | 'failure'
}

export interface Pipeline {
  id: string
  name: string
  stages: Stage[]
  invoiceStageId: string | null
  paidStageId: string | null
}

const categorySchema = z.object({ id: z.coerce.number(), name: z.string(), sort: z.coerce.number().optional() })
const statusSchema = z.object({
  STATUS_ID: z.string(),
  NAME: z.string(),
  SORT: z.coerce.number(),
  SEMANTICS: z.string().nullable().optional(),
})

function semanticsOf(value: string | null | undefined): Stage['semantics'] {
  if (value === 'S') return 'success'
  if (value === 'F') return 'failure'
  return 'process'
}

const stageEntity = (categoryId: number) => (categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`)

/** Reads pipelines and their stages in one batch request after the category list. */
export async function loadPipelines(client: Bitrix24Client, saved: Record<string, PipelineSettings> = {}): Promise<Pipeline[]> {
  const categoriesResult = await client.call<{ categories: unknown[] }>('crm.category.list', { entityTypeId: 2 })
  const categories = z.array(categorySchema).parse(categoriesResult.categories)
  if (!categories.some((c) => c.id === 0)) categories.unshift({ id: 0, name: 'Общая', sort: 0 })
  const stagesByCategory = await client.batchOrThrow(
    Object.fromEntries(
      categories.map((c) => [`c${c.id}`, ['crm.status.list', { filter: { ENTITY_ID: stageEntity(c.id) }, order: { SORT: 'ASC' } }] as const]),
    ),
  )
  return categories.map((category) => {
    const stages = z
      .array(statusSchema)
      .parse(stagesByCategory[`c${category.id}`] ?? [])
      .sort((a, b) => a.SORT - b.SORT)
      .map((s) => ({ id: s.STATUS_ID, name: s.NAME, semantics: semanticsOf(s.SEMANTICS) }))
    const choice = saved[String(category.id)] ?? {}
    return {
      id: String(category.id),
      name: category.name,
      stages,
      invoiceStageId: choice.invoiceStageId ?? null,
      paidStageId: choice.paidStageId ?? null,
    }
  })
}

export const pipelineSelectionSchema = z.record(
  z.string().regex(/^\d+$/),
  z.object({ invoiceStageId: z.string().max(50).nullable(), paidStageId: z.string().max(50).nullable() }),
)
export type PipelineSelection = z.infer<typeof pipelineSelectionSchema>

export class PipelineSelectionError extends Error {}

/** Stores the choices after checking every stage exists in its pipeline. */
export async function savePipelineSelection(
  db: Database,
  memberId: string,
  pipelines: Pipeline[],
  selection: PipelineSelection,
): Promise<void> {
  const next: Record<string, PipelineSettings> = {}
  for (const [pipelineId, choice] of Object.entries(selection)) {
    const pipeline = pipelines.find((p) => p.id === pipelineId)
    if (!pipeline) throw new PipelineSelectionError(`Воронка ${pipelineId} не найдена в портале — обновите страницу.`)
    for (const stageId of [choice.invoiceStageId, choice.paidStageId]) {
      if (stageId && !pipeline.stages.some((s) => s.id === stageId))
        throw new PipelineSelectionError(`В воронке «${pipeline.name}» нет стадии ${stageId} — обновите страницу.`)
    }
    if (choice.invoiceStageId && choice.invoiceStageId === choice.paidStageId)
      throw new PipelineSelectionError(`В воронке «${pipeline.name}» стадии «Выставить счёт» и «Оплачено» должны различаться.`)
    next[pipelineId] = {
      ...(choice.invoiceStageId ? { invoiceStageId: choice.invoiceStageId } : {}),
      ...(choice.paidStageId ? { paidStageId: choice.paidStageId } : {}),
    }
  }
  const [portal] = await db.select({ settings: portals.settings }).from(portals).where(eq(portals.memberId, memberId))
  await db
    .update(portals)
    .set({ settings: { ...(portal?.settings ?? {}), pipelines: next }, updatedAt: new Date() })
    .where(eq(portals.memberId, memberId))
}
