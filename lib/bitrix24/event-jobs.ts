/**
 * The background side of incoming Bitrix24 events: the route verifies and enqueues `b24.event`;
 * this job re-reads what changed. Add `b24EventJob` to `lib/jobs/definitions.ts`.
 * The only module of lib/bitrix24 that depends on lib/jobs.
 */
import { z } from 'zod'
import { getDatabase } from '@/db'
import type { Database } from '@/db/client'
import { catalogProductJob, catalogProductJobKey, type CatalogProductPayload } from '@/lib/catalog/jobs'
import { productOfPrice } from '@/lib/catalog/crm-catalog'
import { currentJobRunner, defineJob, enqueue, writeJournal } from '@/lib/jobs'
import { counterpartyCompanyJob, counterpartyJobKey, type CounterpartyCompanyPayload } from '@/lib/sync/counterparties'
import { requestStageInvoice } from '@/lib/invoicing/stage-trigger'
import { getActivePortal } from '@/lib/portals/repository'
import { bitrix24For } from './client'
import { detectStageChange, type StageChange } from './deal-stage'
import { Bitrix24Error } from './errors'
import type { Bitrix24Event } from './events'

export const b24EventPayload = z.object({
  memberId: z.string().min(1).max(100),
  event: z.string().min(1).max(100),
  entityId: z.number().int().nonnegative().optional(),
  ts: z.number().int().nonnegative(),
})

export type B24EventPayload = z.infer<typeof b24EventPayload>

const DEAL_EVENTS = new Set(['ONCRMDEALADD', 'ONCRMDEALUPDATE'])
const COMPANY_EVENTS = new Set(['ONCRMCOMPANYADD', 'ONCRMCOMPANYUPDATE', 'ONCRMREQUISITEADD', 'ONCRMREQUISITEUPDATE'])
const PRODUCT_EVENTS = new Set(['CATALOG.PRODUCT.ON.ADD', 'CATALOG.PRODUCT.ON.UPDATE'])
const PRICE_EVENTS = new Set(['CATALOG.PRICE.ON.ADD', 'CATALOG.PRICE.ON.UPDATE'])

export type B24EventOutcome =
  | { kind: 'skipped-inactive' }
  /** `invoice`: the deal entered its pipeline's invoice stage and an invoice was requested (or why not). */
  | { kind: 'stage'; change: StageChange; invoice?: Awaited<ReturnType<typeof requestStageInvoice>> }
  | { kind: 'deal-gone' }
  | { kind: 'accepted' }
  /** A company (or its requisite) changed: its counterparty sync is queued. */
  | { kind: 'company'; companyId: number; queued: boolean }
  /** A catalog product (or its price) changed: its MoeDelo good sync is queued. */
  | { kind: 'product'; productId: number; queued: boolean }
  | { kind: 'ignored' }

export interface B24EventDeps {
  /** Queues the company's counterparty sync; default: the process job queue (no-op when none is running). */
  enqueueCompany?: (payload: CounterpartyCompanyPayload) => Promise<boolean>
  /** Queues the product's good sync; default: the process job queue (no-op when none is running). */
  enqueueProduct?: (payload: CatalogProductPayload) => Promise<boolean>
}

async function enqueueCompanySync(payload: CounterpartyCompanyPayload): Promise<boolean> {
  if (!currentJobRunner()) return false
  await enqueue(counterpartyCompanyJob, payload, { singletonKey: counterpartyJobKey(payload.memberId, payload.companyId) })
  return true
}

async function enqueueProductSync(payload: CatalogProductPayload): Promise<boolean> {
  if (!currentJobRunner()) return false
  await enqueue(catalogProductJob, payload, { singletonKey: catalogProductJobKey(payload.memberId, payload.productId) })
  return true
}

const REQUISITE_EVENTS = new Set(['ONCRMREQUISITEADD', 'ONCRMREQUISITEUPDATE'])

/** The company a requisite belongs to (requisites of contacts, ENTITY_TYPE_ID 3, are not ours). */
async function companyOfRequisite(db: Database, memberId: string, requisiteId: number): Promise<number | undefined> {
  const client = await bitrix24For(db, memberId)
  try {
    const requisite = await client.call<{ ENTITY_TYPE_ID?: string | number; ENTITY_ID?: string | number } | null>('crm.requisite.get', { id: requisiteId })
    if (!requisite || Number(requisite.ENTITY_TYPE_ID) !== 4) return undefined
    const companyId = Number(requisite.ENTITY_ID)
    return Number.isInteger(companyId) && companyId > 0 ? companyId : undefined
  } catch (error) {
    if (error instanceof Bitrix24Error && error.kind === 'not-found') return undefined
    throw error
  }
}

/** The job body, with the database passed in (tests call it directly). */
export async function handleB24Event(db: Database, payload: B24EventPayload, deps: B24EventDeps = {}): Promise<B24EventOutcome> {
  // An uninstalled (or never finished) portal: its queued jobs do nothing.
  const portal = await getActivePortal(db, payload.memberId)
  if (!portal) return { kind: 'skipped-inactive' }
  const event = payload.event.toUpperCase()

  if (DEAL_EVENTS.has(event) && payload.entityId) {
    let change: StageChange
    try {
      const client = await bitrix24For(db, payload.memberId)
      change = await detectStageChange(db, client, payload.memberId, payload.entityId)
    } catch (error) {
      if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') return { kind: 'skipped-inactive' }
      if (error instanceof Bitrix24Error && error.kind === 'not-found') return { kind: 'deal-gone' }
      throw error
    }
    if (change.changed && change.from !== undefined) {
      await writeJournal(db, {
        memberId: payload.memberId,
        level: 'info',
        topic: 'deal-stage',
        entityType: 'deal',
        entityId: payload.entityId,
        message: `Сделка №${payload.entityId} перешла на другую стадию.`,
        details: { from: change.from, to: change.to, categoryId: change.categoryId, fromCategoryId: change.fromCategoryId },
      })
    }
    const invoiceStage = portal.settings.pipelines?.[String(change.categoryId)]?.invoiceStageId
    // A deal created right in the invoice stage counts; a deal first seen on an update may have been
    // there for long, so only a seen move into the stage triggers.
    const entered = change.changed && (change.from !== undefined || event === 'ONCRMDEALADD')
    if (entered && invoiceStage && change.to === invoiceStage) {
      return { kind: 'stage', change, invoice: await requestStageInvoice(db, payload.memberId, payload.entityId) }
    }
    return { kind: 'stage', change }
  }

  // Company and requisite events: the company's counterparty sync is queued (one waiting job per company,
  // so bursts of events — including the echo of our own writes — collapse into one run).
  if (COMPANY_EVENTS.has(event)) {
    const runner = deps.enqueueCompany ?? (currentJobRunner() ? enqueueCompanySync : undefined)
    if (!runner || !payload.entityId) return { kind: 'accepted' }
    let companyId: number | undefined = payload.entityId
    if (REQUISITE_EVENTS.has(event)) {
      try {
        companyId = await companyOfRequisite(db, payload.memberId, payload.entityId)
      } catch (error) {
        if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') return { kind: 'skipped-inactive' }
        throw error
      }
      if (!companyId) return { kind: 'ignored' }
    }
    const queued = await runner({ memberId: payload.memberId, companyId })
    return { kind: 'company', companyId, queued }
  }

  // Catalog product and price events: the product's good sync is queued (one waiting job per product).
  if (PRODUCT_EVENTS.has(event) || PRICE_EVENTS.has(event)) {
    const runner = deps.enqueueProduct ?? (currentJobRunner() ? enqueueProductSync : undefined)
    if (!runner || !payload.entityId) return { kind: 'accepted' }
    let productId: number | undefined = payload.entityId
    if (PRICE_EVENTS.has(event)) {
      try {
        productId = await productOfPrice(await bitrix24For(db, payload.memberId), payload.entityId)
      } catch (error) {
        if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') return { kind: 'skipped-inactive' }
        throw error
      }
      if (!productId) return { kind: 'ignored' }
    }
    const queued = await runner({ memberId: payload.memberId, productId })
    return { kind: 'product', productId, queued }
  }
  return { kind: 'ignored' }
}

function entityTypeOf(event: string): string {
  if (DEAL_EVENTS.has(event)) return 'deal'
  if (PRODUCT_EVENTS.has(event)) return 'product'
  if (PRICE_EVENTS.has(event)) return 'price'
  return 'company'
}

export const b24EventJob = defineJob<B24EventPayload>({
  name: 'b24.event',
  payload: b24EventPayload,
  service: 'bitrix24',
  topic: 'event',
  dedupKey: (p) => `${p.event}:${p.entityId ?? ''}:${p.ts}`,
  entity: (p) =>
    p.entityId === undefined
      ? undefined
      : { type: entityTypeOf(p.event.toUpperCase()), id: p.entityId },
  handler: async (payload) => {
    const { db } = await getDatabase()
    await handleB24Event(db, payload)
  },
})

/** The job payload and singleton key for a verified event (the route enqueues with these). */
export function b24EventJobInput(event: Omit<Bitrix24Event, 'applicationToken'>): {
  payload: B24EventPayload
  singletonKey: string
} {
  const payload: B24EventPayload = {
    memberId: event.memberId,
    event: event.event,
    ...(event.entityId !== undefined ? { entityId: event.entityId } : {}),
    ts: event.ts,
  }
  return { payload, singletonKey: `${payload.memberId}:${payload.event}:${payload.entityId ?? ''}:${payload.ts}` }
}
