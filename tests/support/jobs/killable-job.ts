/**
 * A job for the "worker killed mid-job" test. It records that it started, applies its effect
 * idempotently (insert … on conflict do nothing), then — in the first worker — blocks until killed.
 */
import { z } from 'zod'
import { getDatabase } from '@/db'
import { effects } from '@/db/schema/operations'
import { defineJob, type JobRunnerOptions } from '@/lib/jobs'
import { writeJournal } from '@/lib/jobs/journal'

export const KILLABLE_TOPIC = 'test.killable'

export const killableJob = defineJob({
  name: 'test.killable',
  payload: z.object({ memberId: z.string(), key: z.string() }),
  dedupKey: (p) => p.key,
  handler: async (p, ctx) => {
    const { db } = await getDatabase()
    await writeJournal(db, {
      memberId: p.memberId,
      level: 'info',
      topic: KILLABLE_TOPIC,
      message: 'started',
      details: { pid: process.pid, jobId: ctx.jobId },
    })
    await db.insert(effects).values({ memberId: p.memberId, key: p.key, result: { pid: process.pid } }).onConflictDoNothing()
    if (process.env.JOBS_TEST_BLOCK === '1') {
      ctx.log.info('blocking until killed')
      await new Promise<never>(() => {})
    }
    await writeJournal(db, {
      memberId: p.memberId,
      level: 'info',
      topic: KILLABLE_TOPIC,
      message: 'finished',
      details: { pid: process.pid, jobId: ctx.jobId },
    })
  },
})

/** Runner settings shared by the test and its child workers: claims expire after 3 s. */
export const killableRunnerOptions: Partial<JobRunnerOptions> = {
  retryDelaysSeconds: [0.2, 0.4, 0.8],
  expireInSeconds: 3,
  heartbeatSeconds: null,
  superviseIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  concurrency: 1,
}
