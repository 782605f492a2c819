/**
 * Every job the workers run. A job that is enqueued but missing here is queued and never processed.
 */
import { b24EventJob } from '@/lib/bitrix24/event-jobs'
import { invoiceIssueJob } from '@/lib/invoicing/jobs'
import { catalogJobs } from '@/lib/catalog/jobs'
import { paymentJobs } from '@/lib/payments/jobs'
import { bulkFirstSyncJobs } from '@/lib/sync/bulk-first-sync'
import { counterpartyCompanyJob, counterpartyRefreshJob } from '@/lib/sync/counterparties'
import { reverseCounterpartySyncJob } from '@/lib/sync/reverse-counterparties'
import type { JobDefinition } from './define'

export const allJobDefinitions: JobDefinition<any>[] = [
  b24EventJob,
  counterpartyCompanyJob,
  counterpartyRefreshJob,
  reverseCounterpartySyncJob,
  ...bulkFirstSyncJobs,
  invoiceIssueJob,
  ...catalogJobs,
  ...paymentJobs,
]
