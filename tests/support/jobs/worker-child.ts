/**
 * A real worker process for tests: `node --import tsx tests/support/jobs/worker-child.ts`.
 * Env: JOBS_TEST_DATABASE_URL (server PostgreSQL, already migrated), JOBS_TEST_BLOCK=1 to block in the job.
 * Prints "ready" when it takes jobs; stops gracefully on SIGTERM.
 */
import { openDatabase } from '@/db/client'
import { setDatabase } from '@/db/index'
import { startJobRunner } from '@/lib/jobs'
import { killableJob, killableRunnerOptions } from './killable-job'

const url = process.env.JOBS_TEST_DATABASE_URL
if (!url) {
  console.error('JOBS_TEST_DATABASE_URL is required')
  process.exit(2)
}
const handle = await openDatabase({ url, maxConnections: 3 })
setDatabase(handle)
const runner = await startJobRunner({ handle, definitions: [killableJob], work: true, ...killableRunnerOptions })
process.stdout.write(`ready ${process.pid}\n`)

process.on('SIGTERM', () => {
  void runner
    .stop()
    .then(() => handle.close())
    .then(() => process.exit(0), () => process.exit(1))
})
