import { sql } from 'drizzle-orm'
import { getRuntime } from '@/lib/runtime'

export const runtime = 'nodejs'
export const dynamic = 'force-dynamic'

/** Liveness and readiness: the database answers and the job queue is reachable. */
export async function GET() {
  try {
    const { database, jobs } = await getRuntime()
    await database.db.execute(sql`select 1`)
    const queue = await jobs.health()
    return Response.json(
      { status: queue.ok ? 'ok' : 'degraded', database: { ok: true, driver: database.driver }, queue },
      { status: queue.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
    )
  } catch {
    return Response.json({ status: 'down', database: { ok: false } }, { status: 503, headers: { 'cache-control': 'no-store' } })
  }
}
