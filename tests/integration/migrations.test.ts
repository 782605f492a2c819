import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { runMigrations } from '@/db/client'
import { createTestDatabase, usingServerDatabase, type TestDatabase } from '../support/database'

describe(`migrations on ${usingServerDatabase ? 'PostgreSQL' : 'PGlite'}`, () => {
  let database: TestDatabase | undefined
  afterEach(async () => {
    await database?.drop()
  })

  async function tableNames(db: TestDatabase): Promise<string[]> {
    const rows = await db.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )
    return (Array.isArray(rows) ? rows : (rows as unknown as { rows: { table_name: string }[] }).rows).map((r) => r.table_name)
  }

  it('apply from empty and are a no-op the second time', async () => {
    database = await createTestDatabase({ migrate: false })
    expect(await tableNames(database)).toEqual([])

    await runMigrations(database)
    const first = await tableNames(database)
    expect(first).toEqual(
      expect.arrayContaining(['portals', 'portal_tokens', 'rate_buckets', 'sync_journal', 'outages', 'parked_jobs', 'deal_stages', 'moedelo_connections']),
    )
    const applied = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)

    await runMigrations(database)
    expect(await tableNames(database)).toEqual(first)
    const again = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
    expect(JSON.stringify(again)).toEqual(JSON.stringify(applied))
  })
})
