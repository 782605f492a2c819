/**
 * Real worker processes on a server PostgreSQL (always: the embedded database is single-process).
 * A worker is SIGKILLed in the middle of a job; a second worker picks the job up after its claim
 * expires, and the job's effect exists exactly once. Also: `npm run worker` refuses the embedded
 * database and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { resolve } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, runMigrations, type DatabaseHandle } from '@/db/client'
import { effects, syncJournal } from '@/db/schema/operations'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import { createServerDatabase, insertPortal, rows, sql, waitFor } from '../support/jobs/helpers'
import { KILLABLE_TOPIC, killableJob, killableRunnerOptions } from '../support/jobs/killable-job'

const ROOT = resolve(__dirname, '../..')
const MEMBER = 'member-kill-1'

interface Child {
  proc: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function spawnTs(script: string, env: Record<string, string | undefined>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = once(proc, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }))
  return { proc, output: () => out, exited }
}

describe('worker processes on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
    cleanups.length = 0
  })

  it('re-runs a job whose worker was SIGKILLed mid-job; its effect happens once', async () => {
    const server = await createServerDatabase()
    cleanups.push(server.drop)
    const handle: DatabaseHandle = await openDatabase({ url: server.url, maxConnections: 3 })
    cleanups.push(() => handle.close())
    await runMigrations(handle)
    await insertPortal(handle.db, MEMBER)

    // This process only sends (like a Next.js process whose workers run separately).
    const sender: JobRunner = await startJobRunner({
      handle,
      definitions: [killableJob],
      work: false,
      registerGlobal: false,
      ...killableRunnerOptions,
    })
    cleanups.push(() => sender.stop())
    const jobId = await sender.enqueue(killableJob, { memberId: MEMBER, key: 'invoice:77' })
    expect(jobId).toBeTruthy()

    const journalOf = (message: string) =>
      handle.db
        .select()
        .from(syncJournal)
        .where(and(eq(syncJournal.topic, KILLABLE_TOPIC), eq(syncJournal.message, message)))

    const script = 'tests/support/jobs/worker-child.ts'
    const first = spawnTs(script, { JOBS_TEST_DATABASE_URL: server.url, JOBS_TEST_BLOCK: '1' })
    cleanups.push(async () => {
      if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL')
    })
    await waitFor(() => `the first worker to start the job (output: ${first.output()})`, async () => (await journalOf('started')).length === 1, {
      timeoutMs: 60_000,
    })
    first.proc.kill('SIGKILL')
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' })
    expect(await journalOf('finished')).toHaveLength(0)
    // The job is still claimed by the dead worker.
    const [claimed] = await rows<{ state: string }>(handle.db, sql`select state::text as state from pgboss.job where id = ${jobId}`)
    expect(claimed?.state).toBe('active')

    const second = spawnTs(script, { JOBS_TEST_DATABASE_URL: server.url, JOBS_TEST_BLOCK: '0' })
    cleanups.push(async () => {
      if (second.proc.exitCode === null && second.proc.signalCode === null) second.proc.kill('SIGKILL')
    })
    await waitFor(
      () => `the second worker to run the job again and finish it (output: ${second.output()})`,
      async () => (await journalOf('finished')).length === 1,
      { timeoutMs: 60_000 },
    )
    const started = await journalOf('started')
    expect(started).toHaveLength(2)
    const pids = started.map((e) => (e.details as { pid: number }).pid)
    expect(pids[0]).toBe(first.proc.pid)
    expect(pids[1]).toBe(second.proc.pid)

    const effectRows = await handle.db.select().from(effects).where(eq(effects.memberId, MEMBER))
    expect(effectRows).toHaveLength(1)
    expect(effectRows[0]).toMatchObject({ key: 'invoice:77', result: { pid: first.proc.pid } })

    const [job] = await waitFor('the job to be completed', async () => {
      const r = await rows<{ state: string; retry_count: number }>(
        handle.db,
        sql`select state::text as state, retry_count from pgboss.job where id = ${jobId}`,
      )
      return r[0]?.state === 'completed' ? r : undefined
    })
    expect(job!.retry_count).toBe(1)

    // SIGTERM: the worker stops gracefully.
    second.proc.kill('SIGTERM')
    expect(await second.exited).toMatchObject({ code: 0 })
  })

  it('npm run worker refuses the embedded database with a clear message', async () => {
    const worker = spawnTs('lib/jobs/worker-main.ts', { DATABASE_URL: '' })
    const { code } = await worker.exited
    expect(code).toBe(2)
    expect(worker.output()).toMatch(/needs a server PostgreSQL: set DATABASE_URL/)
    expect(worker.output()).toMatch(/embedded database \(PGlite\) works in one process only/)
  })

  it('npm run worker migrates, starts and stops on SIGTERM', async () => {
    const server = await createServerDatabase()
    cleanups.push(server.drop)
    const worker = spawnTs('lib/jobs/worker-main.ts', { DATABASE_URL: server.url, APP_SECRET: 'x'.repeat(32) })
    cleanups.push(async () => {
      if (worker.proc.exitCode === null && worker.proc.signalCode === null) worker.proc.kill('SIGKILL')
    })
    await waitFor(() => `the worker to start (output: ${worker.output()})`, () => worker.output().includes('worker started') || worker.proc.exitCode !== null, {
      timeoutMs: 60_000,
    })
    expect(worker.output()).toContain('worker started')
    worker.proc.kill('SIGTERM')
    expect(await worker.exited).toMatchObject({ code: 0 })
    expect(worker.output()).toContain('worker stopped')
  })
})
