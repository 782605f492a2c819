/**
 * The process-wide database: opened once, migrated once. Route handlers, jobs and scripts all
 * go through `getDatabase()`.
 */
import { config } from '@/lib/config'
import { embeddedDataDir, openDatabase, runMigrations, type DatabaseHandle } from './client'

const globalKey = Symbol.for('b24-moedelo-link.database')
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DatabaseHandle> }

export function getDatabase(): Promise<DatabaseHandle> {
  const g = globalThis as GlobalWithDb
  g[globalKey] ??= (async () => {
    const { DATABASE_URL, DATA_DIR } = config()
    const handle = await openDatabase({ url: DATABASE_URL, dataDir: embeddedDataDir(DATA_DIR) })
    await runMigrations(handle)
    return handle
  })().catch((error: unknown) => {
    delete g[globalKey]
    throw error
  })
  return g[globalKey]
}

/** For tests and scripts that open their own database. */
export function setDatabase(handle: DatabaseHandle | undefined): void {
  const g = globalThis as GlobalWithDb
  if (handle) g[globalKey] = Promise.resolve(handle)
  else delete g[globalKey]
}

export type { Database, DatabaseHandle } from './client'
export * as tables from './schema'
