/**
 * Sends the recorded payment effects to Bitrix24, exactly once each: timeline entries for receipts and
 * cancellations, the move to the «Оплачено» stage (or a note why the deal stays), the deal's «Оплачено»
 * amount. Reads and writes go in batches (≤ 50 commands per request).
 *
 * Exactly once: an effect is claimed (`pending` → `sending`) before it is sent, with a compare-and-set,
 * so two workers never send the same one. A send whose outcome is unknown (crash, timeout) stays
 * `sending`; after `takeoverAfterMs` it is checked against the deal first — the timeline for the very
 * same text, the deal's stage for a move — and only sent again if it is not there.
 */
import type { Database } from '@/db/client'
import { portals } from '@/db/schema'
import { eq } from 'drizzle-orm'
import { UF } from '@/lib/bitrix24/app-manifest'
import type { BatchCommand, Bitrix24Client } from '@/lib/bitrix24/client'
import { classifyRestError, type BatchCommandError } from '@/lib/bitrix24/errors'
import { formatMoney, sumMoney } from '@/lib/domain/money'
import { paymentMessages } from '@/lib/domain/messages'
import { writeJournal } from '@/lib/jobs'
import { paidAmount } from './mirror'
import { decidePaidStage, type PipelineStage } from './stage'
import {
  claimEffects,
  dueEffects,
  failEffect,
  finishEffects,
  fixEffectComment,
  invoiceNumbers,
  invoicesOfDeals,
  markReceiptsAnnounced,
  releaseEffects,
  type PaymentEffect,
} from './store'

export const PAYMENTS_TOPIC = 'payments'
/** Effects handled per round; a round costs a few batch requests. */
const ROUND_SIZE = 500
const MAX_ROUNDS = 20
/** Refused sends before an effect is given up (and journalled). */
export const MAX_EFFECT_ATTEMPTS = 10
/** Newest timeline entries looked at when checking an unconfirmed send (one list page). */
const TIMELINE_CHECK_PAGE = 50

export interface DeliveryOptions {
  /** An unconfirmed send older than this is checked and, if missing, sent again. */
  takeoverAfterMs: number
  now?: () => Date
}

export interface DeliverySummary {
  /** Timeline entries written. */
  comments: number
  /** Deals moved to their «Оплачено» stage. */
  moved: number
  /** Fully paid deals left where they were (closed, further along, no stage chosen, already there). */
  kept: number
  /** «Оплачено» amounts written. */
  fields: number
  /** Unconfirmed sends found done in Bitrix24 (not sent again). */
  confirmed: number
  /** Effects of deals that no longer exist. */
  dealMissing: number
  /** Sends refused by Bitrix24 this time (retried later, given up after a limit). */
  refused: number
  /** HTTP requests to Bitrix24 (a batch counts once). */
  requests: number
}

const emptySummary = (): DeliverySummary => ({ comments: 0, moved: 0, kept: 0, fields: 0, confirmed: 0, dealMissing: 0, refused: 0, requests: 0 })

interface DealRow {
  ID: string | number
  STAGE_ID?: string
  STAGE_SEMANTIC_ID?: string | null
  CATEGORY_ID?: string | number | null
}

interface StatusRow {
  STATUS_ID: string
  NAME: string
  SORT: string | number
  SEMANTICS?: string | null
}

const stageEntity = (categoryId: number) => (categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`)
const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim()
const isNotFound = (e: BatchCommandError) => classifyRestError(e.code, undefined, e.description) === 'not-found'
const batchRequests = (commands: number) => Math.ceil(commands / 50)

/** One write to Bitrix24 and the effects it settles. */
interface Write {
  command: BatchCommand
  effects: { effect: PaymentEffect; outcome: string }[]
}

export async function deliverPaymentEffects(
  db: Database,
  memberId: string,
  bitrix24: () => Promise<Bitrix24Client>,
  options: DeliveryOptions,
): Promise<DeliverySummary> {
  const summary = emptySummary()
  const now = options.now ?? (() => new Date())
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const takeoverBefore = new Date(now().getTime() - options.takeoverAfterMs)
    const due = await dueEffects(db, memberId, takeoverBefore, ROUND_SIZE)
    if (due.length === 0) break
    const owned = await claimEffects(db, due.map((e) => e.id), takeoverBefore)
    const effects = due.filter((e) => owned.has(e.id))
    if (effects.length > 0) await deliverRound(db, memberId, await bitrix24(), effects, summary)
    if (due.length < ROUND_SIZE) break
  }
  return summary
}

async function deliverRound(db: Database, memberId: string, client: Bitrix24Client, effects: PaymentEffect[], summary: DeliverySummary): Promise<void> {
  /** Sent before, outcome unknown: look before sending again. */
  const unconfirmed = new Set(effects.filter((e) => e.state === 'sending').map((e) => e.id))
  const dealIds = [...new Set(effects.filter((e) => e.kind === 'paid').map((e) => e.dealId))]
  const timelineDeals = [...new Set(effects.filter((e) => unconfirmed.has(e.id) && e.kind !== 'paid_field').map((e) => e.dealId))]

  // ---- reads: deals for stage decisions, recent timeline entries for unconfirmed sends ----
  const reads: Record<string, BatchCommand> = {}
  for (const id of dealIds) reads[`d${id}`] = ['crm.deal.get', { id }]
  for (const id of timelineDeals) {
    reads[`t${id}`] = [
      'crm.timeline.comment.list',
      { filter: { ENTITY_TYPE: 'deal', ENTITY_ID: id }, select: ['ID', 'COMMENT'], order: { ID: 'DESC' }, start: 0 },
    ]
  }
  let readResults: Record<string, unknown> = {}
  let readErrors: Record<string, BatchCommandError> = {}
  let stages: Map<number, PipelineStage[]>
  try {
    if (Object.keys(reads).length > 0) {
      const read = await client.batch(reads)
      summary.requests += batchRequests(Object.keys(reads).length)
      readResults = read.results
      readErrors = read.errors
    }
    stages = await pipelineStages(
      client,
      dealIds.flatMap((id) => (readResults[`d${id}`] ? [readResults[`d${id}`] as DealRow] : [])),
      summary,
    )
  } catch (error) {
    // Nothing was written yet: these effects are simply due again.
    await releaseEffects(db, effects)
    throw error
  }
  const missingDeals = new Set(dealIds.filter((id) => readErrors[`d${id}`] && isNotFound(readErrors[`d${id}`]!)))
  const deals = new Map<number, DealRow>()
  for (const id of dealIds) if (readResults[`d${id}`]) deals.set(id, readResults[`d${id}`] as DealRow)
  const timelines = new Map<number, string[]>()
  for (const id of timelineDeals) {
    const rows = readResults[`t${id}`]
    if (Array.isArray(rows)) timelines.set(id, (rows as { COMMENT?: string }[]).map((r) => String(r.COMMENT ?? '')).slice(0, TIMELINE_CHECK_PAGE))
  }
  const settings = await paidStageSettings(db, memberId)
  const numbers = await invoiceNumbers(db, effects.flatMap((e) => (e.invoiceId ? [e.invoiceId] : [])))
  const dealPaid = await paidTotals(db, memberId, effects.filter((e) => e.kind === 'paid_field').map((e) => e.dealId))

  // ---- decisions ----
  const comments: Write[] = []
  const updates = new Map<number, { fields: Record<string, unknown>; effects: Write['effects'] }>()
  const settled = new Map<string, number[]>()
  const settle = (effect: PaymentEffect, outcome: string) => settled.set(outcome, [...(settled.get(outcome) ?? []), effect.id])
  const reportedMissing = new Set<number>()
  const inTimeline = (effect: PaymentEffect, text: string | null) =>
    text !== null && unconfirmed.has(effect.id) && (timelines.get(effect.dealId) ?? []).some((c) => sameText(c, text))
  const comment = (effect: PaymentEffect, text: string, outcome: string) =>
    comments.push({
      command: ['crm.timeline.comment.add', { fields: { ENTITY_ID: effect.dealId, ENTITY_TYPE: 'deal', COMMENT: text } }],
      effects: [{ effect, outcome }],
    })
  const update = (effect: PaymentEffect, fields: Record<string, unknown>, outcome: string) => {
    const entry = updates.get(effect.dealId) ?? { fields: {}, effects: [] }
    Object.assign(entry.fields, fields)
    entry.effects.push({ effect, outcome })
    updates.set(effect.dealId, entry)
  }

  for (const effect of effects) {
    if (missingDeals.has(effect.dealId)) {
      settle(effect, 'deal_missing')
      continue
    }
    if (unconfirmed.has(effect.id) && effect.kind !== 'paid_field' && !timelines.has(effect.dealId)) {
      // Could not look at the timeline: sending blind might write a second entry, so wait.
      await releaseEffects(db, [effect])
      continue
    }
    if (effect.kind === 'receipt' || effect.kind === 'cancelled') {
      if (inTimeline(effect, effect.comment)) settle(effect, 'written')
      else comment(effect, effect.comment ?? '', 'written')
      continue
    }
    if (effect.kind === 'paid_field') {
      update(effect, { [UF.dealPaid]: formatMoney(dealPaid.get(effect.dealId) ?? sumMoney([])) }, 'written')
      continue
    }
    // kind 'paid'
    if (inTimeline(effect, effect.comment)) {
      settle(effect, 'kept')
      continue
    }
    const deal = deals.get(effect.dealId)
    if (!deal) {
      // The read failed for another reason than "not found": try again next time.
      await releaseEffects(db, [effect])
      continue
    }
    const categoryId = Number(deal.CATEGORY_ID ?? 0) || 0
    const decision = decidePaidStage(
      { stageId: String(deal.STAGE_ID ?? ''), semanticId: deal.STAGE_SEMANTIC_ID ?? null },
      stages.get(categoryId) ?? [],
      settings[String(categoryId)],
    )
    const invoiceNumber = effect.invoiceId ? (numbers.get(effect.invoiceId) ?? null) : null
    switch (decision.kind) {
      case 'move':
        update(effect, { STAGE_ID: decision.to }, 'moved')
        break
      case 'already_there':
        settle(effect, unconfirmed.has(effect.id) ? 'moved' : 'already_there')
        break
      case 'no_paid_stage':
        settle(effect, 'no_paid_stage')
        break
      case 'paid_stage_missing':
        settle(effect, 'no_paid_stage')
        await writeJournal(db, {
          memberId,
          level: 'warning',
          topic: PAYMENTS_TOPIC,
          entityType: 'deal',
          entityId: effect.dealId,
          message: paymentMessages.journalPaidStageMissing(effect.dealId, decision.stageId),
        })
        break
      case 'deal_closed':
      case 'later_stage': {
        const text = (decision.kind === 'deal_closed' ? paymentMessages.stageKeptClosed : paymentMessages.stageKeptLater)(
          invoiceNumber,
          decision.stageName,
          decision.paidStageName,
        )
        // Fixed before sending, so an unconfirmed send of this note can be found in the timeline.
        await fixEffectComment(db, effect.id, text)
        comment(effect, text, 'kept')
        break
      }
    }
  }

  for (const [outcome, ids] of settled) {
    await finishEffects(db, ids, outcome)
    if (outcome === 'written') await markReceiptsAnnounced(db, memberId, effects.filter((e) => ids.includes(e.id)))
    count(summary, outcome, ids.length, true)
  }
  for (const dealId of missingDeals) {
    if (reportedMissing.has(dealId)) continue
    reportedMissing.add(dealId)
    await journalMissingDeal(db, memberId, dealId)
  }

  // ---- writes: timeline entries first (in recorded order), then one deal update per deal ----
  const writes: Write[] = [
    ...comments,
    ...[...updates.entries()].map(([dealId, u]) => ({
      command: ['crm.deal.update', { id: dealId, fields: u.fields, params: { REGISTER_SONET_EVENT: 'N' } }] as BatchCommand,
      effects: u.effects,
    })),
  ]
  if (writes.length === 0) return
  const commands = Object.fromEntries(writes.map((w, i) => [`w${i}`, w.command]))
  // A failure here leaves the effects `sending`: the outcome is unknown, the next takeover checks them.
  const result = await client.batch(commands)
  summary.requests += batchRequests(writes.length)
  const done = new Map<string, PaymentEffect[]>()
  for (const [i, write] of writes.entries()) {
    const error = result.errors[`w${i}`]
    if (!error) {
      for (const { effect, outcome } of write.effects) {
        done.set(outcome, [...(done.get(outcome) ?? []), effect])
        count(summary, effect.kind === 'paid_field' ? 'field' : outcome, 1, false)
      }
      continue
    }
    if (isNotFound(error)) {
      done.set('deal_missing', [...(done.get('deal_missing') ?? []), ...write.effects.map((e) => e.effect)])
      summary.dealMissing += write.effects.length
      const dealId = write.effects[0]!.effect.dealId
      if (!reportedMissing.has(dealId)) {
        reportedMissing.add(dealId)
        await journalMissingDeal(db, memberId, dealId)
      }
      continue
    }
    for (const { effect } of write.effects) {
      summary.refused += 1
      if (await failEffect(db, effect.id, MAX_EFFECT_ATTEMPTS)) {
        await writeJournal(db, {
          memberId,
          level: 'error',
          topic: PAYMENTS_TOPIC,
          entityType: 'deal',
          entityId: effect.dealId,
          message: paymentMessages.journalGaveUp(effect.dealId, error.description || error.code),
          details: { effect: effect.key, code: error.code },
        })
      }
    }
  }
  for (const [outcome, list] of done) {
    await finishEffects(db, list.map((e) => e.id), outcome)
    if (outcome === 'written') await markReceiptsAnnounced(db, memberId, list)
  }
}

function count(summary: DeliverySummary, outcome: string, n: number, withoutSending: boolean): void {
  if (outcome === 'deal_missing') summary.dealMissing += n
  else if (withoutSending && (outcome === 'written' || outcome === 'moved')) summary.confirmed += n
  else if (outcome === 'written') summary.comments += n
  else if (outcome === 'moved') summary.moved += n
  else if (outcome === 'field') summary.fields += n
  else summary.kept += n
}

async function journalMissingDeal(db: Database, memberId: string, dealId: number): Promise<void> {
  await writeJournal(db, {
    memberId,
    level: 'warning',
    topic: PAYMENTS_TOPIC,
    entityType: 'deal',
    entityId: dealId,
    message: paymentMessages.journalDealMissing(dealId),
  })
}

/** The stages of the deals' pipelines, one `crm.status.list` per pipeline in one batch. */
async function pipelineStages(client: Bitrix24Client, deals: DealRow[], summary: DeliverySummary): Promise<Map<number, PipelineStage[]>> {
  const categories = [...new Set(deals.map((d) => Number(d.CATEGORY_ID ?? 0) || 0))]
  const out = new Map<number, PipelineStage[]>()
  if (categories.length === 0) return out
  const result = await client.batchOrThrow(
    Object.fromEntries(categories.map((c) => [`s${c}`, ['crm.status.list', { filter: { ENTITY_ID: stageEntity(c) }, order: { SORT: 'ASC' } }] as const])),
  )
  summary.requests += batchRequests(categories.length)
  for (const c of categories) {
    const rows = (Array.isArray(result[`s${c}`]) ? result[`s${c}`] : []) as StatusRow[]
    out.set(
      c,
      rows.map((r) => ({
        id: r.STATUS_ID,
        name: r.NAME,
        sort: Number(r.SORT),
        semantics: r.SEMANTICS === 'S' ? 'success' : r.SEMANTICS === 'F' ? 'failure' : 'process',
      })),
    )
  }
  return out
}

/** Pipeline id → the «Оплачено» stage chosen on the settings page. */
async function paidStageSettings(db: Database, memberId: string): Promise<Record<string, string | undefined>> {
  const [row] = await db.select({ settings: portals.settings }).from(portals).where(eq(portals.memberId, memberId))
  return Object.fromEntries(Object.entries(row?.settings?.pipelines ?? {}).map(([id, p]) => [id, p.paidStageId]))
}

/** Deal → what «Оплачено» shows: the paid amounts of its invoices that are not cancelled. */
async function paidTotals(db: Database, memberId: string, dealIds: number[]) {
  const totals = new Map<number, ReturnType<typeof sumMoney>>()
  if (dealIds.length === 0) return totals
  for (const invoice of await invoicesOfDeals(db, memberId, dealIds)) {
    totals.set(invoice.dealId, sumMoney([totals.get(invoice.dealId) ?? sumMoney([]), paidAmount(invoice)]))
  }
  return totals
}
