/** Helpers for job tests: bounded waits, raw rows, a portal row, a server PostgreSQL database. */
import { randomBytes } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import postgres from 'postgres'
import type { Database } from '@/db/client'
import { portals } from '@/db/schema/portals'

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${typeof what === 'function' ? what() : what}${lastError ? ` (last error: ${String(lastError)})` : ''}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Rows of a raw query on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

export async function insertPortal(db: Database, memberId: string): Promise<void> {
  await db
    .insert(portals)
    .values({
      memberId,
      domain: `${memberId}.bitrix24.test`,
      clientEndpoint: `https://${memberId}.bitrix24.test/rest/`,
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
      applicationTokenHash: 'test',
      state: 'active',
    })
    .onConflictDoNothing()
}

export async function count(db: Database, query: SQL): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, query)
  return Number(row?.n ?? 0)
}

export const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/** A fresh database on the server PostgreSQL, whether or not DATABASE_URL is set. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `test_jobs_${randomBytes(6).toString('hex')}`
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

export { sql }
