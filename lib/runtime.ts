/**
 * The process runtime: the database and the job queue, started once per process.
 * In the web process workers run in-process on the embedded database (PGlite is single-process);
 * on a server database they run in separate `npm run worker` processes unless told otherwise.
 */
import { getDatabase, type DatabaseHandle } from '@/db'
import { config } from './config'
import { allJobDefinitions } from './jobs/definitions'
import { startJobRunner, type JobRunner } from './jobs'
import { buildServiceHooks } from './jobs/services'
import { log } from './security/log'
import { scheduleConnectedPortals } from './sync/moedelo-connected'

export interface Runtime {
  database: DatabaseHandle
  jobs: JobRunner
}

const globalKey = Symbol.for('b24-moedelo-link.runtime')
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Promise<Runtime> }

export function workersRunInThisProcess(): boolean {
  const { RUN_WORKERS_IN_APP, DATABASE_URL } = config()
  if (RUN_WORKERS_IN_APP === 'auto') return !DATABASE_URL
  return RUN_WORKERS_IN_APP === 'yes'
}

export function getRuntime(): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime
  g[globalKey] ??= (async () => {
    const database = await getDatabase()
    const { RETRY_DELAYS_SECONDS, RECOVERY_PROBE_SECONDS } = config()
    const jobs = await startJobRunner({
      handle: database,
      definitions: allJobDefinitions,
      ...buildServiceHooks(database.db),
      retryDelaysSeconds: RETRY_DELAYS_SECONDS,
      probeIntervalSeconds: RECOVERY_PROBE_SECONDS,
      work: workersRunInThisProcess(),
    })
    if (workersRunInThisProcess()) await scheduleConnectedPortals(database.db)
    log.info({ driver: database.driver, workers: workersRunInThisProcess() }, 'runtime started')
    return { database, jobs }
  })().catch((error: unknown) => {
    delete g[globalKey]
    throw error
  })
  return g[globalKey]
}
