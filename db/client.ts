/**
 * The database handle. With DATABASE_URL unset the app runs on embedded PGlite (a file-backed
 * PostgreSQL in this process; one process only); otherwise on a server PostgreSQL through
 * postgres.js. Both get the same drizzle schema and the same migrations.
 */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema'

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>

export interface DatabaseHandle {
  db: Database
  driver: 'pglite' | 'postgres'
  /** Set for the embedded database: pg-boss runs on it through its PGlite adapter. */
  pglite?: PGlite
  /** Set for a server database: pg-boss opens its own pool with it. */
  connectionString?: string
  /** Set for a server database: the postgres.js pool behind `db` (for statements drizzle does not express). */
  pool?: postgres.Sql
  close(): Promise<void>
}

export const MIGRATIONS_FOLDER = resolve(process.cwd(), 'db/migrations')
/** Serialises migrations when several workers start at once against one server database. */
const MIGRATION_LOCK_ID = 727_001

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, PGlite under `dataDir` (or in memory for `memory://`). */
  url?: string
  dataDir?: string
  /** Connections in the postgres.js pool. */
  maxConnections?: number
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
      idle_timeout: 30,
    })
    const db = drizzlePostgres(client, { schema }) as unknown as Database
    return {
      db,
      driver: 'postgres',
      connectionString: options.url,
      pool: client,
      close: () => client.end({ timeout: 5 }),
    }
  }
  const dataDir = options.dataDir ?? 'memory://'
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  const pglite = new PGlite(dataDir)
  await pglite.waitReady
  const db = drizzlePglite(pglite, { schema }) as unknown as Database
  return { db, driver: 'pglite', pglite, close: () => pglite.close() }
}

/** Applies pending migrations; a no-op when the database is current. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.pglite) {
    await migratePglite(drizzlePglite(handle.pglite), { migrationsFolder: MIGRATIONS_FOLDER })
    return
  }
  const client = postgres(handle.connectionString!, { max: 1, onnotice: () => {} })
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER })
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`
  } finally {
    await client.end({ timeout: 5 })
  }
}

export function embeddedDataDir(dataDir: string): string {
  return join(dataDir, 'pglite')
}
