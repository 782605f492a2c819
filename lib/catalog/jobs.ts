/**
 * The catalog's jobs: a whole-catalog run (started from the settings page) and one product
 * (CATALOG.PRODUCT.ON.* / CATALOG.PRICE.ON.* events). Both talk mostly to MoeDelo.
 */
import { z } from 'zod'
import { getDatabase } from '@/db'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { defineJob, enqueue, type JobDefinition } from '@/lib/jobs'
import { getActivePortal } from '@/lib/portals/repository'
import { clientsFor, openCatalogRun, runCatalogSync, type CatalogRun } from './runs'
import { CATALOG_TOPIC, syncCatalogProduct } from './sync'

const memberId = z.string().min(1).max(100)

export const catalogSyncPayload = z.object({ memberId, runId: z.number().int().positive() })
export type CatalogSyncPayload = z.infer<typeof catalogSyncPayload>

/** The whole catalog, incrementally (one run of `sync_runs`). */
export const catalogSyncJob = defineJob<CatalogSyncPayload>({
  name: 'catalog.sync',
  payload: catalogSyncPayload,
  service: 'moedelo',
  topic: CATALOG_TOPIC,
  dedupKey: (p) => `run:${p.runId}`,
  handler: async (payload) => {
    const { db } = await getDatabase()
    await runCatalogSync(db, payload)
  },
})

export const catalogProductPayload = z.object({ memberId, productId: z.number().int().positive() })
export type CatalogProductPayload = z.infer<typeof catalogProductPayload>

/** One product changed in the CRM: its good is made or updated (services and deleted products: nothing). */
export const catalogProductJob = defineJob<CatalogProductPayload>({
  name: 'catalog.product',
  payload: catalogProductPayload,
  service: 'moedelo',
  topic: CATALOG_TOPIC,
  dedupKey: (p) => `product:${p.productId}`,
  entity: (p) => ({ type: 'product', id: p.productId }),
  handler: async (payload) => {
    const { db } = await getDatabase()
    if (!(await getActivePortal(db, payload.memberId))) return
    try {
      const clients = await clientsFor(db, payload.memberId)
      if (clients) await syncCatalogProduct(db, payload.memberId, clients, payload.productId)
    } catch (error) {
      if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') return
      throw error
    }
  },
})

/** Singleton key for queueing: at most one waiting sync per product (bursts of events collapse). */
export const catalogProductJobKey = (memberId: string, productId: number): string => `${memberId}:product:${productId}`

/** Starts a whole-catalog run for the portal (or returns the one running). Needs the job queue. */
export function startCatalogSync(db: Parameters<typeof openCatalogRun>[0], memberId: string): Promise<CatalogRun & { started: boolean }> {
  return openCatalogRun(db, memberId, (runId) => enqueue(catalogSyncJob, { memberId, runId }, { singletonKey: `catalog-sync:${runId}` }))
}

/** The catalog's jobs, for `lib/jobs/definitions.ts`. */
export const catalogJobs: JobDefinition<any>[] = [catalogSyncJob, catalogProductJob]
