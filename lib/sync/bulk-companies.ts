/**
 * The per-company step of the bulk first sync: `syncCompany(…, { trigger: 'bulk' })` for the
 * companies of a chunk, several at a time, with their small Bitrix24 batches merged into shared
 * batch requests (`bulk-coalesce.ts`). Each outcome is reported as it comes, so progress moves and
 * a retried chunk resumes where it stopped.
 */
import type { Database } from '@/db/client'
import { bitrix24For, type Bitrix24Client } from '@/lib/bitrix24/client'
import { isRetryable } from '@/lib/errors'
import { withCoalescedBatches } from './bulk-coalesce'
import { syncCompany, type SyncCompanyOutcome } from './counterparties'

/** Companies synced at once within a chunk (their Bitrix24 batches are merged). */
export const DEFAULT_BULK_CONCURRENCY = 50

export type BulkCompanyOutcome =
  | { companyId: number; ok: true; kind: SyncCompanyOutcome['kind'] }
  | { companyId: number; ok: false; kind: 'invalid' | 'not-in-registry' | 'duplicate' | 'error'; message?: string; error?: unknown }

/** Outcomes that need the manager's attention count as failed on the progress bar. */
export function toBulkOutcome(companyId: number, outcome: SyncCompanyOutcome): BulkCompanyOutcome {
  switch (outcome.kind) {
    case 'invalid':
      return { companyId, ok: false, kind: 'invalid', message: outcome.problems.join('; ') }
    case 'not-in-registry':
      return { companyId, ok: false, kind: 'not-in-registry', message: outcome.message }
    case 'duplicate':
      return { companyId, ok: false, kind: 'duplicate', message: `ИНН ${outcome.inn} уже у компании №${outcome.existingCompanyId}` }
    default:
      return { companyId, ok: true, kind: outcome.kind }
  }
}

export interface BulkCompaniesOptions {
  /** Companies in flight at once (default 20; 1 = one after another, no merging needed). */
  concurrency?: number
  /** Merge the companies' Bitrix24 batches (default true). */
  coalesce?: boolean
  /** The portal client syncCompany will use (default `bitrix24For(db, memberId)`: the same cached instance). */
  bitrix24?: Bitrix24Client
}

/**
 * Syncs the companies; `onOutcome` is awaited for each. A retryable failure (an outage) stops
 * taking new companies, lets the ones in flight finish and is thrown (the chunk job is retried).
 */
export async function bulkSyncCompanies(
  db: Database,
  memberId: string,
  companyIds: number[],
  onOutcome: (outcome: BulkCompanyOutcome) => Promise<void>,
  options: BulkCompaniesOptions = {},
): Promise<void> {
  if (companyIds.length === 0) return
  const concurrency = Math.max(1, Math.min(100, options.concurrency ?? DEFAULT_BULK_CONCURRENCY))
  const queue = [...companyIds]
  let stop: { error: unknown } | undefined

  const one = async (companyId: number) => {
    let outcome: BulkCompanyOutcome
    try {
      outcome = toBulkOutcome(companyId, await syncCompany(db, memberId, companyId, { trigger: 'bulk' }))
    } catch (error) {
      if (isRetryable(error)) throw error
      outcome = { companyId, ok: false, kind: 'error', error }
    }
    await onOutcome(outcome)
  }
  const worker = async () => {
    while (!stop && queue.length > 0) {
      const companyId = queue.shift()!
      try {
        await one(companyId)
      } catch (error) {
        stop ??= { error }
      }
    }
  }
  const run = () => Promise.all(Array.from({ length: Math.min(concurrency, companyIds.length) }, worker))
  if (options.coalesce === false || concurrency === 1) await run()
  else await withCoalescedBatches(options.bitrix24 ?? (await bitrix24For(db, memberId)), run)
  if (stop) throw stop.error
}
