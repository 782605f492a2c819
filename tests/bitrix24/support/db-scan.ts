/** Reads every text-like column of every table, to prove no secret is stored in plaintext. */
import { sql } from 'drizzle-orm'
import type { Database } from '@/db/client'

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[]
  return ((result as { rows?: unknown[] }).rows ?? []) as Record<string, unknown>[]
}

export async function allTextValues(db: Database): Promise<string[]> {
  const columns = rowsOf(
    await db.execute(sql`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json')`),
  )
  const values: string[] = []
  for (const c of columns) {
    const table = String(c.table_name)
    const column = String(c.column_name)
    const rows = rowsOf(await db.execute(sql.raw(`select "${column}"::text as v from "${table}"`)))
    for (const r of rows) if (r.v !== null && r.v !== undefined) values.push(String(r.v))
  }
  return values
}

export async function countRows(db: Database, table: string, memberId: string): Promise<number> {
  const rows = rowsOf(await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where member_id = ${memberId}`))
  return Number(rows[0]?.n ?? 0)
}
