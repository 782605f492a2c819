/**
 * A separate worker process for the cross-process refresh test. Opens the shared PostgreSQL
 * database, builds the portal client, prints `ready`, waits for `go` on stdin, then fires
 * CALLS concurrent REST calls and prints one JSON line with the outcome.
 *
 *   DATABASE_URL=… MEMBER_ID=… CALLS=10 npx tsx tests/bitrix24/support/refresh-worker.ts
 */
import { createInterface } from 'node:readline'
import { openDatabase } from '@/db/client'
import { bitrix24For } from '@/lib/bitrix24/client'

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL
  const memberId = process.env.MEMBER_ID
  const calls = Number(process.env.CALLS ?? 10)
  if (!url || !memberId) throw new Error('DATABASE_URL and MEMBER_ID are required')
  const handle = await openDatabase({ url, maxConnections: 4 })
  const client = await bitrix24For(handle.db, memberId)
  const lines = createInterface({ input: process.stdin })
  process.stdout.write('ready\n')
  await new Promise<void>((resolve) => lines.once('line', () => resolve()))
  const settled = await Promise.allSettled(
    Array.from({ length: calls }, (_, i) => client.call<{ ID?: unknown }>(i % 2 ? 'user.current' : 'profile')),
  )
  const errors = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => String((s.reason as Error)?.message ?? s.reason))
  process.stdout.write(
    `${JSON.stringify({ ok: settled.length - errors.length, errors, generation: client.tokenGeneration, stats: client.stats })}\n`,
  )
  lines.close()
  await handle.close()
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ ok: 0, errors: [String((error as Error)?.message ?? error)], fatal: true })}\n`)
    process.exit(1)
  },
)
