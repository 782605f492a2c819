/**
 * The job layer on pg-boss, end to end on a real database (PGlite, or PostgreSQL with DATABASE_URL).
 * Time is compressed: retries after 0.2/0.4/0.8 s, probes every 0.3 s. Nothing asserts on timing;
 * outcomes are polled with a bounded wait.
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { effects, outages, parkedJobs, syncJournal } from '@/db/schema/operations'
import { AppError, GENERIC_USER_MESSAGE, type ExternalService } from '@/lib/errors'
import {
  BUG_RETRY_LIMIT,
  currentJobRunner,
  defineJob,
  enqueue,
  startJobRunner,
  type JobRunner,
  type JobRunnerOptions,
  type OutageNotifier,
} from '@/lib/jobs'
import { createTestDatabase, usingServerDatabase, type TestDatabase } from '../support/database'
import { count, insertPortal, rows, sql, waitFor } from '../support/jobs/helpers'

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= 'silent' // LOG_LEVEL=debug shows what the runner does
})

const MEMBER = 'member-jobs-1'
const DELAYS = [0.2, 0.4, 0.8]

const payloadSchema = z.object({ memberId: z.string(), invoiceId: z.number().int(), note: z.string().optional() })
type Payload = z.infer<typeof payloadSchema>

function moeDeloDown(): AppError {
  return new AppError('MoeDelo: 503 Service Unavailable', {
    userMessage: 'Сервис «Моё дело» временно недоступен. Повторим автоматически.',
    retryable: true,
    service: 'moedelo',
  })
}

class FakeNotifier implements OutageNotifier {
  started: Array<{ memberId: string; service: ExternalService; userMessage: string }> = []
  ended: Array<{ memberId: string; service: ExternalService }> = []
  async outageStarted(memberId: string, service: ExternalService, userMessage: string) {
    this.started.push({ memberId, service, userMessage })
  }
  async outageEnded(memberId: string, service: ExternalService) {
    this.ended.push({ memberId, service })
  }
}

describe(`job runner on ${usingServerDatabase ? 'PostgreSQL' : 'PGlite'}`, () => {
  let database: TestDatabase
  let runner: JobRunner | undefined

  beforeEach(async () => {
    database = await createTestDatabase()
    await insertPortal(database.db, MEMBER)
  })

  afterEach(async () => {
    await runner?.stop()
    runner = undefined
    await database.drop()
  })

  function start(options: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'definitions'>): Promise<JobRunner> {
    return startJobRunner({
      handle: database,
      retryDelaysSeconds: DELAYS,
      probeIntervalSeconds: 0.3,
      pollingIntervalSeconds: 0.5,
      superviseIntervalSeconds: 1,
      ...options,
    }).then((r) => (runner = r))
  }

  const journal = (level?: 'info' | 'warning' | 'error') =>
    database.db
      .select()
      .from(syncJournal)
      .where(level ? and(eq(syncJournal.memberId, MEMBER), eq(syncJournal.level, level)) : eq(syncJournal.memberId, MEMBER))

  async function jobStates(name: string) {
    return rows<{ state: string; attempt: number; retry_count: number; delay: number; output: unknown }>(
      database.db,
      sql`select state::text as state, (data->>'attempt')::int as attempt, retry_count,
                 extract(epoch from (start_after - created_on))::float8 as delay, output
            from pgboss.job where name = ${name} order by created_on`,
    )
  }

  it('validates payloads before enqueue and before running; a bad payload is journalled, never thrown', async () => {
    const runs: Payload[] = []
    const strict = defineJob({
      name: 'test.validate',
      payload: payloadSchema,
      handler: async (p) => {
        runs.push(p)
      },
    })
    await start({ definitions: [strict] })

    // Before enqueue: rejected, null, journal entry, no job.
    const bad = { memberId: MEMBER, invoiceId: 'not-a-number' } as unknown as Payload
    await expect(enqueue(strict, bad)).resolves.toBeNull()
    const rejected = await journal('error')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]!.message).toMatch(/некорректные данные/)
    expect(rejected[0]!.details).toMatchObject({ job: 'test.validate' })
    expect(await jobStates('test.validate')).toHaveLength(0)

    // Before running: a job queued under an older, looser schema fails permanently with a journal entry.
    const loose = defineJob({ ...strict, payload: z.looseObject({ memberId: z.string() }) as unknown as typeof payloadSchema })
    const id = await runner!.enqueue(loose, bad)
    expect(id).toBeTruthy()
    const [job] = await waitFor('the invalid job to fail', async () => {
      const jobs = await jobStates('test.validate')
      return jobs[0]?.state === 'failed' ? jobs : undefined
    })
    expect(job!.retry_count).toBe(0)
    expect(runs).toHaveLength(0)
    expect(await journal('error')).toHaveLength(2)

    // A valid payload runs.
    await enqueue(strict, { memberId: MEMBER, invoiceId: 7 })
    await waitFor('the valid job to run', () => runs.length === 1)
    expect(runs[0]).toEqual({ memberId: MEMBER, invoiceId: 7 })
  })

  it('retries an external failure with the configured delays and succeeds on retry 2', async () => {
    const attempts: number[] = []
    const job = defineJob({
      name: 'test.flaky',
      payload: payloadSchema,
      service: 'moedelo',
      handler: async (p, ctx) => {
        attempts.push(ctx.attempt)
        if (ctx.attempt < 2) throw moeDeloDown()
        await database.db.insert(effects).values({ memberId: p.memberId, key: `invoice:${p.invoiceId}` }).onConflictDoNothing()
      },
    })
    const notifier = new FakeNotifier()
    await start({ definitions: [job], notifier })

    await enqueue(job, { memberId: MEMBER, invoiceId: 1 })
    await waitFor('the effect of retry 2', async () => (await count(database.db, sql`select count(*) as n from effects`)) === 1)
    const jobs = await waitFor('all three runs to settle', async () => {
      const all = await jobStates('test.flaky')
      return all.length === 3 && all.every((j) => j.state === 'completed') ? all : undefined
    })

    expect(attempts).toEqual([0, 1, 2])
    // Each retry was scheduled exactly the configured delay after the failure that caused it.
    expect(jobs.map((j) => j.attempt)).toEqual([0, 1, 2])
    expect(jobs.map((j) => Number(j.delay.toFixed(3)))).toEqual([0, DELAYS[0], DELAYS[1]])
    expect(await database.db.select().from(parkedJobs)).toHaveLength(0)
    expect(await database.db.select().from(outages)).toHaveLength(0)
    expect(await journal('error')).toHaveLength(0)
    expect(notifier.started).toHaveLength(0)
  })

  it('a job enqueued as attempt 1 (the caller tried itself) continues the policy: retries 2 and 3, then parks', async () => {
    const attempts: number[] = []
    const job = defineJob({
      name: 'test.tried-inline',
      payload: payloadSchema,
      service: 'moedelo',
      handler: async (_p, ctx) => {
        attempts.push(ctx.attempt)
        throw moeDeloDown()
      },
    })
    await start({ definitions: [job] })
    expect(runner!.retryDelaysSeconds).toEqual(DELAYS)
    await enqueue(job, { memberId: MEMBER, invoiceId: 3 }, { attempt: 1, startAfterSeconds: DELAYS[0] })
    await waitFor('the job to be parked', async () => (await database.db.select().from(parkedJobs)).length === 1)
    expect(attempts).toEqual([1, 2, 3])
    const jobs = await jobStates('test.tried-inline')
    expect(jobs.map((j) => j.attempt)).toEqual([1, 2, 3])
    expect(jobs.map((j) => Number(j.delay.toFixed(3)))).toEqual([DELAYS[0], DELAYS[1], DELAYS[2]])
  })

  /** Two different jobs exhaust their retries against a service that stays down. */
  async function exhaustTwoJobs(probeUp: { value: boolean; calls: number }) {
    const runs = new Map<number, number[]>()
    const applied = new Map<number, number>()
    const serviceUp = { value: false }
    const job = defineJob({
      name: 'test.invoice',
      payload: payloadSchema,
      service: 'moedelo',
      dedupKey: (p) => `invoice:${p.invoiceId}`,
      handler: async (p, ctx) => {
        runs.set(p.invoiceId, [...(runs.get(p.invoiceId) ?? []), ctx.attempt])
        if (!serviceUp.value) throw moeDeloDown()
        await database.db.insert(effects).values({ memberId: p.memberId, key: `invoice:${p.invoiceId}` }).onConflictDoNothing()
        applied.set(p.invoiceId, (applied.get(p.invoiceId) ?? 0) + 1)
      },
    })
    const notifier = new FakeNotifier()
    await start({
      definitions: [job],
      notifier,
      probes: [
        {
          service: 'moedelo',
          isUp: async (memberId) => {
            expect(memberId).toBe(MEMBER)
            probeUp.calls++
            return probeUp.value
          },
        },
      ],
    })
    await enqueue(job, { memberId: MEMBER, invoiceId: 1 })
    await enqueue(job, { memberId: MEMBER, invoiceId: 2 })
    await waitFor('both jobs to be parked', async () => (await database.db.select().from(parkedJobs)).length === 2)
    // Each job ran once plus three retries, then parked.
    expect(runs.get(1)).toEqual([0, 1, 2, 3])
    expect(runs.get(2)).toEqual([0, 1, 2, 3])
    return { job, runs, applied, notifier, serviceUp }
  }

  it('parks a job once after the last retry and notifies once per outage', async () => {
    const probe = { value: false, calls: 0 }
    const { job, runs, notifier } = await exhaustTwoJobs(probe)

    const open = await database.db.select().from(outages).where(isNull(outages.resolvedAt))
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ memberId: MEMBER, service: 'moedelo' })
    expect(open[0]!.notifiedAt).not.toBeNull()
    expect(notifier.started).toEqual([
      { memberId: MEMBER, service: 'moedelo', userMessage: 'Сервис «Моё дело» временно недоступен. Повторим автоматически.' },
    ])
    const warnings = await journal('warning')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]!.message).toBe(
      'Сервис «Моё дело» не отвечает: операция отложена и выполнится автоматически, когда связь восстановится.',
    )

    // The same job failing again in the same outage is not parked twice and does not notify again.
    await enqueue(job, { memberId: MEMBER, invoiceId: 1 })
    await waitFor('the repeated job to exhaust its retries', () => runs.get(1)?.length === 8)
    await waitFor('the repeated chain to settle', async () => {
      const all = await jobStates('test.invoice')
      return all.length === 12 && all.every((j) => j.state === 'completed')
    })
    const parked = await database.db.select().from(parkedJobs)
    expect(parked.map((p) => p.dedupKey).sort()).toEqual(['invoice:1', 'invoice:2'])
    expect(parked.every((p) => p.service === 'moedelo' && p.queue === 'test.invoice')).toBe(true)
    expect(await database.db.select().from(outages)).toHaveLength(1)
    expect(notifier.started).toHaveLength(1)
    expect(await journal('warning')).toHaveLength(2)
  })

  it('replays nothing while the probe says the service is down', async () => {
    const probe = { value: false, calls: 0 }
    const { runs, notifier, serviceUp } = await exhaustTwoJobs(probe)
    serviceUp.value = true // the handler would succeed now, but the probe still says "down"

    const before = probe.calls
    await waitFor('three more probe passes', () => probe.calls >= before + 3)
    expect(runs.get(1)).toHaveLength(4)
    expect(runs.get(2)).toHaveLength(4)
    expect(await database.db.select().from(parkedJobs)).toHaveLength(2)
    expect(await database.db.select().from(outages).where(isNull(outages.resolvedAt))).toHaveLength(1)
    expect(notifier.ended).toHaveLength(0)
    expect(await count(database.db, sql`select count(*) as n from effects`)).toBe(0)
  })

  it('closes the outage when the probe sees the service again and replays every parked job exactly once', async () => {
    const probe = { value: false, calls: 0 }
    const { runs, applied, notifier, serviceUp } = await exhaustTwoJobs(probe)
    serviceUp.value = true
    probe.value = true

    await waitFor('the outage to close', async () => {
      const [o] = await database.db.select().from(outages)
      return o?.resolvedAt ? o : undefined
    })
    await waitFor('both replayed jobs to apply their effect', () => applied.get(1) === 1 && applied.get(2) === 1)
    await waitFor('every job to settle', async () => {
      const all = await jobStates('test.invoice')
      return all.length === 10 && all.every((j) => j.state === 'completed')
    })
    // A few more probe passes change nothing: no blind replays.
    const calls = probe.calls
    await runner!.probeOutages()
    await runner!.probeOutages()
    expect(probe.calls).toBe(calls) // no open outage, so no probe call

    expect(notifier.ended).toEqual([{ memberId: MEMBER, service: 'moedelo' }])
    expect(notifier.started).toHaveLength(1)
    expect(await database.db.select().from(parkedJobs)).toHaveLength(0)
    expect(runs.get(1)).toEqual([0, 1, 2, 3, 0])
    expect(runs.get(2)).toEqual([0, 1, 2, 3, 0])
    expect(applied).toEqual(new Map([[1, 1], [2, 1]]))
    const effectRows = await database.db.select().from(effects).where(eq(effects.memberId, MEMBER))
    expect(effectRows.map((e) => e.key).sort()).toEqual(['invoice:1', 'invoice:2'])
    const info = await journal('info')
    expect(info.map((e) => e.message)).toEqual(['Связь с сервисом «Моё дело» восстановлена: отложенные операции запущены.'])
  })

  it('fails a non-retryable error at once with the Russian message in the journal', async () => {
    let calls = 0
    const job = defineJob({
      name: 'test.rejected',
      payload: payloadSchema,
      service: 'moedelo',
      topic: 'invoice',
      entity: (p) => ({ type: 'invoice', id: p.invoiceId }),
      handler: async () => {
        calls++
        throw new AppError('MoeDelo 422: Kontragent.Inn is required', {
          userMessage: 'Моё дело не приняло счёт: у покупателя не указан ИНН.',
          retryable: false,
          service: 'moedelo',
        })
      },
    })
    await start({ definitions: [job] })
    await enqueue(job, { memberId: MEMBER, invoiceId: 42 })

    const [entry] = await waitFor('the journal entry', async () => {
      const entries = await journal('error')
      return entries.length ? entries : undefined
    })
    expect(entry).toMatchObject({
      level: 'error',
      topic: 'invoice',
      entityType: 'invoice',
      entityId: '42',
      message: 'Моё дело не приняло счёт: у покупателя не указан ИНН.',
    })
    const [state] = await waitFor('the job to fail', async () => {
      const all = await jobStates('test.rejected')
      return all[0]?.state === 'failed' ? all : undefined
    })
    expect(state!.retry_count).toBe(0) // failed for good, no retry left pending
    expect(calls).toBe(1)
    expect(await database.db.select().from(parkedJobs)).toHaveLength(0)
    expect(await database.db.select().from(outages)).toHaveLength(0)
  })

  it('retries a bug a couple of times through pg-boss, then journals a generic message', async () => {
    let calls = 0
    const job = defineJob({
      name: 'test.bug',
      payload: payloadSchema,
      handler: async () => {
        calls++
        throw new TypeError("Cannot read properties of undefined (reading 'Inn')")
      },
    })
    await start({ definitions: [job] })
    await enqueue(job, { memberId: MEMBER, invoiceId: 5 })
    const [state] = await waitFor(
      'the job to fail for good',
      async () => {
        const all = await jobStates('test.bug')
        return all[0]?.state === 'failed' ? all : undefined
      },
      { timeoutMs: 45_000 },
    )
    expect(state!.retry_count).toBe(BUG_RETRY_LIMIT)
    expect(calls).toBe(BUG_RETRY_LIMIT + 1)
    const errors = await journal('error')
    expect(errors.map((e) => e.message)).toEqual([GENERIC_USER_MESSAGE])
    expect(errors[0]!.message).not.toMatch(/TypeError|Inn/)
  })

  it('deduplicates by singletonKey, reports health, and registers the process-wide queue', async () => {
    const job = defineJob({ name: 'test.single', payload: payloadSchema, handler: async () => {} })
    await start({ definitions: [job], work: false })
    expect(currentJobRunner()).toBe(runner)

    const first = await enqueue(job, { memberId: MEMBER, invoiceId: 1 }, { singletonKey: 'deal-1', startAfterSeconds: 3600 })
    const second = await enqueue(job, { memberId: MEMBER, invoiceId: 2 }, { singletonKey: 'deal-1', startAfterSeconds: 3600 })
    const other = await enqueue(job, { memberId: MEMBER, invoiceId: 3 }, { singletonKey: 'deal-2', startAfterSeconds: 3600 })
    const plain1 = await enqueue(job, { memberId: MEMBER, invoiceId: 4 }, { startAfterSeconds: 3600 })
    const plain2 = await enqueue(job, { memberId: MEMBER, invoiceId: 4 }, { startAfterSeconds: 3600 })
    expect(first).toBeTruthy()
    expect(second).toBeNull()
    expect(other).toBeTruthy()
    expect(plain1).toBeTruthy()
    expect(plain2).toBeTruthy()
    expect(await jobStates('test.single')).toHaveLength(4)

    const health = await runner!.health()
    expect(health).toMatchObject({ ok: true, parked: 0, active: 0 })

    await runner!.stop()
    runner = undefined
    expect(currentJobRunner()).toBeUndefined()
    await expect(enqueue(job, { memberId: MEMBER, invoiceId: 9 })).rejects.toThrow(/not started/)
  })
})
