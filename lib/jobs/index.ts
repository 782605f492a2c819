/**
 * Durable background jobs (pg-boss underneath; nothing outside lib/jobs imports pg-boss).
 *
 *   export const syncDeal = defineJob({ name: 'deal.sync', payload: z.object({ memberId: z.string(), dealId: z.number() }),
 *     service: 'moedelo', dedupKey: (p) => String(p.dealId), handler: async (p, ctx) => { … } })
 *   await enqueue(syncDeal, { memberId, dealId })
 */
export {
  defineJob,
  type EnqueueOptions,
  type JobClock,
  type JobContext,
  type JobDefinition,
  type OutageNotifier,
  type ServiceProbe,
} from './define'
export {
  BUG_RETRY_LIMIT,
  currentJobRunner,
  enqueue,
  SERVICE_LABELS,
  startJobRunner,
  type JobHealth,
  type JobRunner,
  type JobRunnerOptions,
} from './runner'
export { writeJournal, type JournalEntry, type JournalLevel } from './journal'
