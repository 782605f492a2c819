/**
 * `npm run worker` (tsx lib/jobs/worker-main.ts): a job worker process for a server PostgreSQL.
 * Any number of these may run against one database; each takes jobs as they come.
 * The embedded database (PGlite) is single-process: there the Next.js process runs the jobs itself.
 */
import { openDatabase, runMigrations } from '@/db/client'
import { setDatabase } from '@/db/index'
import { config } from '@/lib/config'
import { log } from '@/lib/security/log'
import { allJobDefinitions } from './definitions'
import { startJobRunner } from './runner'
import { buildServiceHooks } from './services'
import { scheduleConnectedPortals } from '@/lib/sync/moedelo-connected'

async function main(): Promise<void> {
  const cfg = config()
  if (!cfg.DATABASE_URL) {
    console.error(
      'The worker needs a server PostgreSQL: set DATABASE_URL=postgres://… . ' +
        'The embedded database (PGlite) works in one process only; there the app runs jobs itself (RUN_WORKERS_IN_APP).',
    )
    process.exit(2)
  }
  const handle = await openDatabase({ url: cfg.DATABASE_URL })
  await runMigrations(handle)
  setDatabase(handle)
  const hooks = buildServiceHooks(handle.db)
  const runner = await startJobRunner({
    handle,
    definitions: allJobDefinitions,
    probes: hooks.probes,
    notifier: hooks.notifier,
    work: true,
  })
  await scheduleConnectedPortals(handle.db)
  log.info({ jobs: allJobDefinitions.map((d) => d.name) }, 'worker started')

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    stopping = true
    log.info({ signal }, 'worker stopping: finishing running jobs')
    void (async () => {
      try {
        await runner.stop()
        await handle.close()
        log.info('worker stopped')
        process.exit(0)
      } catch (err) {
        log.error({ err }, 'worker did not stop cleanly')
        process.exit(1)
      }
    })()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'worker failed to start')
  process.exit(1)
})
