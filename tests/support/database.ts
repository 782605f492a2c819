/**
 * Fresh, migrated databases for tests: a new PostgreSQL database per call when DATABASE_URL is
 * set (CI), an in-memory PGlite otherwise. Each test file gets its own, so files run in parallel.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { openDatabase, runMigrations, type DatabaseHandle } from '@/db/client'

export interface TestDatabase extends DatabaseHandle {
  /** The URL of the created database (server PostgreSQL only). */
  url?: string
  drop(): Promise<void>
}

export const usingServerDatabase = Boolean(process.env.DATABASE_URL)

export async function createEmptyDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) return { drop: async () => {} }
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const empty = await createEmptyDatabase()
  const handle = await openDatabase({ url: empty.url, maxConnections: 5 })
  if (options.migrate !== false) await runMigrations(handle)
  return {
    ...handle,
    url: empty.url,
    drop: async () => {
      await handle.close()
      await empty.drop()
    },
  }
}
