/**
 * A fresh, migrated server PostgreSQL database — for tests that need several processes on one
 * database (PGlite is single-process). Uses DATABASE_URL when set, else the local server.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { openDatabase, runMigrations, type DatabaseHandle } from '@/db/client'

export const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

export interface ServerDatabase extends DatabaseHandle {
  url: string
  drop(): Promise<void>
}

export async function createServerDatabase(): Promise<ServerDatabase> {
  const name = `test_b24_${randomBytes(6).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const handle = await openDatabase({ url: url.toString(), maxConnections: 5 })
  await runMigrations(handle)
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close()
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
