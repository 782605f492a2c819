/** A deal moved into its pipeline's invoice stage: an invoice is requested unless the deal already has one. */
import type { Database } from '@/db'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import { currentJobRunner, writeJournal } from '@/lib/jobs'
import { requestInvoice, runInvoiceNow, type RequestOutcome } from './jobs'
import { latestIssuedInvoice } from './store'

export type StageInvoiceOutcome = RequestOutcome | { kind: 'already-invoiced'; number: string | null } | { kind: 'no-queue' }

export async function requestStageInvoice(db: Database, memberId: string, dealId: number): Promise<StageInvoiceOutcome> {
  const issued = await latestIssuedInvoice(db, memberId, dealId)
  if (issued) {
    await writeJournal(db, {
      memberId,
      level: 'info',
      topic: 'invoice',
      entityType: 'deal',
      entityId: dealId,
      message: invoiceMessages.alreadyInvoiced(issued.number ?? ''),
    })
    return { kind: 'already-invoiced', number: issued.number }
  }
  if (!currentJobRunner()) return { kind: 'no-queue' }
  // Already inside the event job: the bill is made here, without waiting for another worker.
  const outcome = await requestInvoice(db, { memberId, dealId, trigger: 'stage', inline: true })
  if (outcome.kind === 'queued' && !outcome.duplicate) await runInvoiceNow(db, memberId, outcome.invoice.id)
  return outcome
}
