/**
 * Where a fully paid deal goes: the «Оплачено» stage chosen for its pipeline, unless the deal is closed
 * (won or lost) or already further along — then it stays and the timeline says why. Pure.
 */

export interface PipelineStage {
  id: string
  name: string
  sort: number
  semantics: 'process' | 'success' | 'failure'
}

export interface DealStage {
  stageId: string
  /** `STAGE_SEMANTIC_ID`: P in progress, S won, F lost (bitrix24.md §4.1). */
  semanticId: string | null
}

export type StageDecision =
  | { kind: 'move'; to: string }
  | { kind: 'already_there' }
  | { kind: 'no_paid_stage' }
  /** The configured stage is not in the deal's pipeline any more. */
  | { kind: 'paid_stage_missing'; stageId: string }
  | { kind: 'deal_closed'; stageName: string; paidStageName: string }
  | { kind: 'later_stage'; stageName: string; paidStageName: string }

/** `stages`: the deal's pipeline, any order. */
export function decidePaidStage(deal: DealStage, stages: readonly PipelineStage[], paidStageId: string | undefined): StageDecision {
  if (!paidStageId) return { kind: 'no_paid_stage' }
  if (deal.stageId === paidStageId) return { kind: 'already_there' }
  const paid = stages.find((s) => s.id === paidStageId)
  if (!paid) return { kind: 'paid_stage_missing', stageId: paidStageId }
  const current = stages.find((s) => s.id === deal.stageId)
  const stageName = current?.name ?? deal.stageId
  const closed = deal.semanticId === 'S' || deal.semanticId === 'F' || (current !== undefined && current.semantics !== 'process')
  if (closed) return { kind: 'deal_closed', stageName, paidStageName: paid.name }
  if (current && current.sort > paid.sort) return { kind: 'later_stage', stageName, paidStageName: paid.name }
  return { kind: 'move', to: paid.id }
}
