/**
 * Invoice requests: from the deal tab's button (with the page's request id, so a double click is one
 * request), from a stage trigger, or a repeat. Each request is stored, then made by the `invoice.issue`
 * job (retried 5/15/45 s, parked while MoeDelo is down, replayed when it answers).
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { getDatabase, type Database } from '@/db'
import type { InvoiceTrigger } from '@/db/schema'
import { currentJobRunner, defineJob, enqueue } from '@/lib/jobs'
import { isRetryable } from '@/lib/errors'
import { childLogger } from '@/lib/security/log'
import { issueInvoice } from './issue'
import { insertInvoiceRequest, latestIssuedInvoice, type InvoiceRow } from './store'

export const invoiceJobPayload = z.object({
  memberId: z.string().min(1).max(100),
  invoiceId: z.string().uuid(),
  dealId: z.number().int().positive(),
})
export type InvoiceJobPayload = z.infer<typeof invoiceJobPayload>

export const invoiceIssueJob = defineJob<InvoiceJobPayload>({
  name: 'invoice.issue',
  payload: invoiceJobPayload,
  service: 'moedelo',
  topic: 'invoice',
  dedupKey: (p) => p.invoiceId,
  entity: (p) => ({ type: 'deal', id: p.dealId }),
  handler: async (payload) => {
    const { db } = await getDatabase()
    await issueInvoice(db, payload.memberId, payload.invoiceId)
  },
})

export interface InvoiceRequest {
  memberId: string
  dealId: number
  trigger: InvoiceTrigger
  /** The page's id for this request (a double click sends it twice); a new one when absent. */
  requestId?: string
  requestedBy?: number | null
  /**
   * The caller makes the bill right away (`runInvoiceNow`) instead of waiting for a worker to pick the
   * job up: the job is then queued one retry delay later as the first retry — a no-op when done.
   */
  inline?: boolean
}

export type RequestOutcome =
  | { kind: 'queued'; invoice: InvoiceRow; duplicate: boolean }
  /** Another request for this deal is still running: that one is returned. */
  | { kind: 'in-flight'; invoice: InvoiceRow }
  /** A repeat was asked for a deal without an issued invoice. */
  | { kind: 'nothing-to-repeat' }

export async function requestInvoice(db: Database, request: InvoiceRequest): Promise<RequestOutcome> {
  let repeatOf: string | null = null
  if (request.trigger === 'repeat') {
    const source = await latestIssuedInvoice(db, request.memberId, request.dealId)
    if (!source) return { kind: 'nothing-to-repeat' }
    repeatOf = source.id
  }
  const outcome = await insertInvoiceRequest(db, {
    id: request.requestId ?? randomUUID(),
    memberId: request.memberId,
    dealId: request.dealId,
    trigger: request.trigger,
    repeatOf,
    requestedBy: request.requestedBy ?? null,
  })
  if (outcome.kind === 'in-flight') return outcome
  if (outcome.created) {
    const { invoice } = outcome
    const payload = { memberId: invoice.memberId, invoiceId: invoice.id, dealId: invoice.dealId }
    const firstRetry = currentJobRunner()?.retryDelaysSeconds[0] ?? 5
    await enqueue(invoiceIssueJob, payload, { singletonKey: `invoice:${invoice.id}`, ...(request.inline ? { startAfterSeconds: firstRetry, attempt: 1 } : {}) })
  }
  return { kind: 'queued', invoice: outcome.invoice, duplicate: !outcome.created }
}

/**
 * Makes a just-requested invoice now, in this process. Failures are left to the queued job (see
 * `InvoiceRequest.inline`); they are only logged here.
 */
export async function runInvoiceNow(db: Database, memberId: string, invoiceId: string): Promise<void> {
  try {
    await issueInvoice(db, memberId, invoiceId)
  } catch (error) {
    const log = childLogger({ component: 'invoices', memberId, invoiceId })
    if (isRetryable(error)) log.warn({ err: error }, 'invoice not made yet; the queued retry continues')
    else log.error({ err: error }, 'invoice failed in the request; the queued job will try again')
  }
}
