/**
 * The job runner: durable jobs on pg-boss, hidden behind defineJob / enqueue / startJobRunner.
 *
 * How failures are handled (handlers are idempotent by contract):
 * - External failure (`retryable === true`): the job completes and a follow-up job is sent with
 *   `attempt + 1` and `startAfter = retryDelaysSeconds[attempt]`, under a deterministic id (so a
 *   crash between "send" and "complete" cannot fork the chain). After the last delay the job is
 *   parked in `parked_jobs`, an outage is opened, and the admin is told once per outage. A recovery
 *   probe checks open outages every `probeIntervalSeconds`; when the service is up again the parked
 *   jobs are replayed (fresh retry budget) and the outage is closed.
 * - Expected failure (`retryable === false`, e.g. validation): failed for good, journal entry.
 * - Anything else is a bug: pg-boss retries it `BUG_RETRY_LIMIT` times, then it is journalled.
 * - A worker that dies mid-job: the job's claim expires (`expireInSeconds`, or `heartbeatSeconds`
 *   when set) and pg-boss hands it to another worker.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { fromPglite, PgBoss, systemClock, type ConstructorOptions, type InsertOptions, type JobResult, type JobWithMetadata } from 'pg-boss'
import type postgres from 'postgres'
import type { z } from 'zod'
import type { DatabaseHandle } from '@/db/client'
import { config } from '@/lib/config'
import {
  isContractError,
  isRetryable,
  serviceOf,
  technicalMessageOf,
  userMessageOf,
  type ExternalService,
} from '@/lib/errors'
import { childLogger, type Logger } from '@/lib/security/log'
import type { EnqueueOptions, JobClock, JobDefinition, OutageNotifier, ServiceProbe } from './define'
import { payloadKey, uuidFrom } from './ids'
import { writeJournal, type JournalEntry } from './journal'
import {
  claimStartNotification,
  closeOutageIfDrained,
  countParked,
  deleteParked,
  openOutages,
  parkedFor,
  parkJob,
  releaseStartNotification,
} from './outages'

/** pg-boss retries of a job whose handler failed with a bug (not an external failure). */
export const BUG_RETRY_LIMIT = 2
export const PGBOSS_SCHEMA = 'pgboss'

/** Names for journal messages: «Сервис «…» не отвечает». */
export const SERVICE_LABELS: Record<ExternalService, string> = {
  bitrix24: 'Битрикс24',
  moedelo: 'Моё дело',
  registry: 'Проверка контрагентов',
}

/** What pg-boss stores as job data. */
interface Envelope {
  memberId: string | null
  payload: unknown
  /** 0 = first run; n = n-th retry after an external failure. */
  attempt: number
  /** Id of the first job of this retry chain (retry ids are derived from it). */
  root: string
  /** The caller's singletonKey, kept for the chain's follow-up jobs. */
  key?: string
}

export interface JobRunnerOptions {
  handle: DatabaseHandle
  definitions: JobDefinition<any>[]
  probes?: ServiceProbe[]
  notifier?: OutageNotifier
  /** Delays before retry 1, 2, 3… after an external failure (config RETRY_DELAYS_SECONDS). */
  retryDelaysSeconds?: number[]
  /** How often open outages are probed (config RECOVERY_PROBE_SECONDS). */
  probeIntervalSeconds?: number
  /** Worker poll interval, ≥ 0.5 s. Default 2. */
  pollingIntervalSeconds?: number
  /** Jobs run at once per queue in this process. Default 2. */
  concurrency?: number
  /** false = send only (a Next.js process when workers run separately). Default true. */
  work?: boolean
  clock?: JobClock
  /** How long a job may stay active before it is given to another worker. Default 900 (15 min). */
  expireInSeconds?: number
  /**
   * Heartbeat (≥ 10 s) so a dead worker's jobs are reclaimed quickly while long jobs stay alive;
   * null disables it. Default 30.
   */
  heartbeatSeconds?: number | null
  /** How often pg-boss looks for expired jobs and maintains queues. Default 60. */
  superviseIntervalSeconds?: number
  /** Connections in pg-boss's own pool (server PostgreSQL only). Default 5. */
  maxConnections?: number
  /** Becomes the process-wide queue used by `enqueue()`. Default true. */
  registerGlobal?: boolean
}

export interface JobHealth {
  ok: boolean
  queued: number
  active: number
  parked: number
  failed: number
}

export interface JobRunner {
  enqueue: typeof enqueue
  /** The retry policy in use (seconds before retry 1, 2, …). */
  readonly retryDelaysSeconds: readonly number[]
  stop(): Promise<void>
  health(): Promise<JobHealth>
  /** Runs one recovery-probe pass now (the timer runs it every probeIntervalSeconds). */
  probeOutages(): Promise<void>
}

const globalKey = Symbol.for('b24-moedelo-link.job-runner')
type GlobalWithRunner = typeof globalThis & { [globalKey]?: JobRunner }

/** The process-wide runner, if one was started. */
export function currentJobRunner(): JobRunner | undefined {
  return (globalThis as GlobalWithRunner)[globalKey]
}

/**
 * Queues a job on the process-wide runner. The payload is validated first: an invalid payload is
 * journalled and logged, and null is returned (nothing is thrown at the caller). Null is also
 * returned when a job with the same singletonKey is already queued.
 */
export async function enqueue<P extends { memberId: string }>(
  job: JobDefinition<P>,
  payload: P,
  opts?: EnqueueOptions,
): Promise<string | null> {
  const runner = currentJobRunner()
  if (!runner) throw new Error('The job queue is not started: call startJobRunner() first')
  return runner.enqueue(job, payload, opts)
}

function memberIdOf(value: unknown): string | null {
  if (value && typeof value === 'object' && typeof (value as { memberId?: unknown }).memberId === 'string') {
    return (value as { memberId: string }).memberId
  }
  return null
}

function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(корень)', message: i.message }))
}

export async function startJobRunner(opts: JobRunnerOptions): Promise<JobRunner> {
  const cfg = config()
  const handle = opts.handle
  const db = handle.db
  const work = opts.work ?? true
  const clock: JobClock = opts.clock ?? systemClock
  const retryDelays = opts.retryDelaysSeconds ?? cfg.RETRY_DELAYS_SECONDS
  const probeIntervalSeconds = opts.probeIntervalSeconds ?? cfg.RECOVERY_PROBE_SECONDS
  const expireInSeconds = Math.max(1, Math.ceil(opts.expireInSeconds ?? 900))
  const heartbeatSeconds = opts.heartbeatSeconds === undefined ? 30 : opts.heartbeatSeconds
  const probes = new Map((opts.probes ?? []).map((p) => [p.service, p]))
  const notifier = opts.notifier
  const log = childLogger({ component: 'jobs' })
  const definitions = new Map<string, JobDefinition<any>>()
  for (const def of opts.definitions) {
    if (definitions.has(def.name)) throw new Error(`Two job definitions are named "${def.name}"`)
    definitions.set(def.name, def)
  }

  if (!handle.pglite && !handle.connectionString) throw new Error('The database handle has neither pglite nor a connection string')

  const common: ConstructorOptions = {
    schema: PGBOSS_SCHEMA,
    supervise: work,
    schedule: false,
    migrate: true,
    superviseIntervalSeconds: opts.superviseIntervalSeconds ?? 60,
    monitorIntervalSeconds: opts.superviseIntervalSeconds ?? 60,
    clock,
    instanceName: work ? 'worker' : 'sender',
    openTelemetry: { enabled: false },
  }
  const boss = handle.pglite
    ? new PgBoss({ ...common, db: fromPglite(handle.pglite), backend: 'pglite' })
    : new PgBoss({
        ...common,
        connectionString: handle.connectionString,
        max: opts.maxConnections ?? 5,
        application_name: `b24-moedelo-link-${work ? 'worker' : 'sender'}`,
      })
  boss.on('error', (error) => log.error({ err: error }, 'pg-boss error'))
  await boss.start()

  const queueOptions = {
    retryLimit: BUG_RETRY_LIMIT,
    retryDelay: Math.max(1, Math.ceil(retryDelays[0] ?? 1)),
    expireInSeconds,
    ...(heartbeatSeconds ? { heartbeatSeconds } : {}),
  }
  const ensured = new Map<string, Promise<void>>()
  const ensureQueue = (name: string): Promise<void> => {
    let p = ensured.get(name)
    if (!p) {
      p = (async () => {
        // createQueue is idempotent (concurrent starts are fine); workers bring existing queues to their settings.
        if (!(await boss.getQueue(name))) await boss.createQueue(name, { policy: 'short', ...queueOptions })
        else if (work) await boss.updateQueue(name, { ...queueOptions, heartbeatSeconds: heartbeatSeconds ?? null })
      })()
      p.catch(() => ensured.delete(name))
      ensured.set(name, p)
    }
    return p
  }
  for (const name of definitions.keys()) await ensureQueue(name)

  let stopped = false

  async function journal(entry: Omit<JournalEntry, 'memberId'> & { memberId: string | null }): Promise<void> {
    if (!entry.memberId) return
    try {
      await writeJournal(db, { ...entry, memberId: entry.memberId })
    } catch (err) {
      log.error({ err, memberId: entry.memberId, topic: entry.topic }, 'could not write the sync journal')
    }
  }

  function journalRefs<P extends { memberId: string }>(def: JobDefinition<P>, payload: P | undefined) {
    let entity: { type: string; id: string | number } | undefined
    try {
      entity = payload ? def.entity?.(payload) : undefined
    } catch {
      entity = undefined
    }
    return { topic: def.topic ?? def.name, entityType: entity?.type, entityId: entity?.id }
  }

  /**
   * Jobs sent in the same tick to one queue go to PostgreSQL as one multi-row insert: a burst of
   * Bitrix24 events costs one round trip, not one per event. Each caller still learns whether its
   * job was stored (a singleton duplicate is skipped by the insert and reported as null).
   */
  const MAX_BATCH = 200
  // pg-boss sends each insert as a one-off statement that PostgreSQL parses and plans anew. On a
  // server database the batch goes instead through the app's postgres.js pool as a prepared
  // statement (pg-boss's `db` option): ~40 % less PostgreSQL CPU per event at intake batch sizes.
  const pool = handle.pool
  const insertOptions: InsertOptions | undefined = pool && {
    db: { executeSql: async (text, values = []) => ({ rows: await pool.unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: true }) }) },
  }
  const pendingInserts = new Map<string, { jobs: { id: string; data: object; singletonKey: string }[]; done: Array<(stored: Set<string> | Error) => void> }>()

  async function flush(name: string): Promise<void> {
    const batch = pendingInserts.get(name)
    if (!batch) return
    pendingInserts.delete(name)
    let outcome: Set<string> | Error
    try {
      await ensureQueue(name)
      const ids = await boss.insert(name, batch.jobs, insertOptions)
      outcome = new Set(ids ?? batch.jobs.map((j) => j.id))
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error))
    }
    for (const done of batch.done) done(outcome)
  }

  function insertSoon(name: string, job: { id: string; data: object; singletonKey: string }): Promise<string | null> {
    return new Promise((resolve, reject) => {
      let batch = pendingInserts.get(name)
      if (!batch) {
        batch = { jobs: [], done: [] }
        pendingInserts.set(name, batch)
        setImmediate(() => void flush(name))
      }
      batch.jobs.push(job)
      batch.done.push((outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome.has(job.id) ? job.id : null)))
      if (batch.jobs.length >= MAX_BATCH) void flush(name)
    })
  }

  async function send(name: string, data: Envelope, options: { id: string; singletonKey: string; startAfter?: number }) {
    if (!options.startAfter || options.startAfter <= 0) {
      return insertSoon(name, { id: options.id, data: data as unknown as object, singletonKey: options.singletonKey })
    }
    await ensureQueue(name)
    return boss.send(name, data as unknown as object, {
      id: options.id,
      singletonKey: options.singletonKey,
      startAfter: options.startAfter,
    })
  }

  async function runnerEnqueue<P extends { memberId: string }>(
    def: JobDefinition<P>,
    payload: P,
    enqueueOpts?: EnqueueOptions,
  ): Promise<string | null> {
    if (stopped) throw new Error('The job runner is stopped')
    const parsed = def.payload.safeParse(payload)
    if (!parsed.success) {
      const memberId = memberIdOf(payload)
      const issues = describeIssues(parsed.error)
      log.error({ job: def.name, memberId, issues }, 'job rejected: invalid payload')
      await journal({
        memberId,
        level: 'error',
        ...journalRefs(def, undefined),
        message: 'Операция не запущена: приложение сформировало для неё некорректные данные. Сообщите в поддержку.',
        details: { job: def.name, issues },
      })
      return null
    }
    const root = randomUUID()
    const data: Envelope = {
      memberId: parsed.data.memberId,
      payload: parsed.data,
      attempt: Math.max(0, Math.floor(enqueueOpts?.attempt ?? 0)),
      root,
      ...(enqueueOpts?.singletonKey ? { key: enqueueOpts.singletonKey } : {}),
    }
    return send(def.name, data, {
      id: root,
      singletonKey: enqueueOpts?.singletonKey ?? root,
      startAfter: enqueueOpts?.startAfterSeconds,
    })
  }

  async function notifyStarted(outageId: number, memberId: string, service: ExternalService, userMessage: string) {
    if (!notifier) return
    if (!(await claimStartNotification(db, outageId))) return
    try {
      await notifier.outageStarted(memberId, service, userMessage)
    } catch (err) {
      log.warn({ err, memberId, service }, 'outage notification failed; will try again on the next probe')
      await releaseStartNotification(db, outageId).catch(() => {})
    }
  }

  async function park<P extends { memberId: string }>(
    def: JobDefinition<P>,
    job: JobWithMetadata<Envelope>,
    payload: P,
    error: unknown,
    service: ExternalService,
    jobLog: Logger,
  ): Promise<void> {
    const dedupKey = def.dedupKey ? def.dedupKey(payload) : payloadKey(payload)
    const userMessage = userMessageOf(error)
    const result = await parkJob(db, {
      memberId: payload.memberId,
      service,
      queue: def.name,
      payload: payload as unknown as Record<string, unknown>,
      dedupKey,
      lastError: technicalMessageOf(error).slice(0, 2000),
    })
    jobLog.warn({ err: error, service, dedupKey, outageId: result.outageId, parked: result.parked }, 'job parked until the service recovers')
    if (result.parked) {
      await journal({
        memberId: payload.memberId,
        level: 'warning',
        ...journalRefs(def, payload),
        message: `Сервис «${SERVICE_LABELS[service]}» не отвечает: операция отложена и выполнится автоматически, когда связь восстановится.`,
        details: { job: def.name, jobId: job.id, userMessage },
      })
    }
    await notifyStarted(result.outageId, payload.memberId, service, userMessage)
  }

  async function processJob<P extends { memberId: string }>(
    def: JobDefinition<P>,
    job: JobWithMetadata<Envelope>,
  ): Promise<JobResult> {
    const env = job.data
    const attempt = Number.isInteger(env?.attempt) ? env.attempt : 0
    const root = typeof env?.root === 'string' ? env.root : job.id
    const memberId = memberIdOf(env?.payload) ?? env?.memberId ?? null
    const jobLog = childLogger({ component: 'jobs', job: def.name, jobId: job.id, memberId, attempt })

    const parsed = def.payload.safeParse(env?.payload)
    if (!parsed.success) {
      const issues = describeIssues(parsed.error)
      jobLog.error({ issues }, 'job failed: invalid payload')
      await journal({
        memberId,
        level: 'error',
        ...journalRefs(def, undefined),
        message: 'Операция не выполнена: данные задачи некорректны (возможно, задача создана старой версией приложения). Сообщите в поддержку.',
        details: { job: def.name, jobId: job.id, issues },
      })
      return { id: job.id, status: 'deadletter', output: { reason: 'invalid-payload', issues } }
    }
    const payload = parsed.data

    try {
      await def.handler(payload, { jobId: job.id, attempt, log: jobLog, signal: job.signal })
      return { id: job.id, status: 'completed' }
    } catch (error) {
      const refs = journalRefs(def, payload)
      if (isRetryable(error)) {
        const service = serviceOf(error) ?? def.service
        if (attempt < retryDelays.length) {
          const delay = retryDelays[attempt]!
          const nextId = uuidFrom(`${root}:attempt:${attempt + 1}`)
          await send(
            def.name,
            { memberId: payload.memberId, payload, attempt: attempt + 1, root, ...(env.key ? { key: env.key } : {}) },
            { id: nextId, singletonKey: env.key ?? nextId, startAfter: delay },
          )
          jobLog.warn({ err: error, service, nextJobId: nextId, delaySeconds: delay }, 'external failure; retry scheduled')
          return { id: job.id, status: 'completed', output: { retry: nextId, delaySeconds: delay } }
        }
        if (service) {
          await park(def, job, payload, error, service, jobLog)
          return { id: job.id, status: 'completed', output: { parked: true, service } }
        }
        jobLog.error({ err: error }, 'external failure with no known service; retries exhausted')
        await journal({
          memberId: payload.memberId,
          level: 'error',
          ...refs,
          message: userMessageOf(error),
          details: { job: def.name, jobId: job.id, attempts: attempt + 1 },
        })
        return { id: job.id, status: 'deadletter', output: { message: technicalMessageOf(error) } }
      }
      if (isContractError(error)) {
        jobLog.warn({ err: error }, 'job failed (not retryable)')
        await journal({
          memberId: payload.memberId,
          level: 'error',
          ...refs,
          message: userMessageOf(error),
          details: { job: def.name, jobId: job.id },
        })
        return { id: job.id, status: 'deadletter', output: { message: technicalMessageOf(error) } }
      }
      // A bug: let pg-boss retry it; journal when this was the last try.
      const last = job.retryCount >= job.retryLimit
      jobLog.error({ err: error, retryCount: job.retryCount, retryLimit: job.retryLimit }, 'job failed unexpectedly')
      if (last) {
        await journal({
          memberId: payload.memberId,
          level: 'error',
          ...refs,
          message: userMessageOf(error),
          details: { job: def.name, jobId: job.id },
        })
      }
      return { id: job.id, status: 'failed', output: { message: technicalMessageOf(error) } }
    }
  }

  if (work) {
    for (const def of definitions.values()) {
      await boss.work<Envelope>(
        def.name,
        {
          batchSize: 1,
          includeMetadata: true,
          perJobResults: true,
          localConcurrency: opts.concurrency ?? 2,
          pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
        },
        async (batch) =>
          Promise.all(
            (batch as unknown as JobWithMetadata<Envelope>[]).map(async (job): Promise<JobResult> => {
              try {
                return await processJob(def, job)
              } catch (err) {
                // The layer itself failed (database, queue): let pg-boss retry the same attempt.
                log.error({ err, job: def.name, jobId: job.id }, 'job processing failed')
                return { id: job.id, status: 'failed', output: { message: technicalMessageOf(err) } }
              }
            }),
          ),
      )
    }
  }

  // ---- recovery probes -------------------------------------------------------------------------
  const warnedNoProbe = new Set<string>()

  async function recover(memberId: string, service: ExternalService): Promise<void> {
    for (let round = 0; round < 10; round++) {
      for (const row of await parkedFor(db, memberId, service)) {
        const def = definitions.get(row.queue)
        const id = uuidFrom(`replay:${row.id}`)
        const data: Envelope = { memberId, payload: row.payload, attempt: 0, root: id }
        if (def) await send(def.name, data, { id, singletonKey: id })
        else await send(row.queue, data, { id, singletonKey: id })
        await deleteParked(db, row.id)
        log.info({ memberId, service, queue: row.queue, jobId: id }, 'parked job replayed')
      }
      const closed = await closeOutageIfDrained(db, memberId, service)
      if (!closed) continue
      if (closed.length === 0) return
      log.info({ memberId, service }, 'outage closed: the service is up again')
      await journal({
        memberId,
        level: 'info',
        topic: 'outage',
        message: `Связь с сервисом «${SERVICE_LABELS[service]}» восстановлена: отложенные операции запущены.`,
        details: { service },
      })
      if (notifier && closed.some((o) => o.notifiedAt !== null)) {
        try {
          await notifier.outageEnded(memberId, service)
        } catch (err) {
          log.warn({ err, memberId, service }, 'outage-ended notification failed')
        }
      }
      return
    }
  }

  let probing: Promise<void> | null = null
  async function probeOnce(): Promise<void> {
    const open = await openOutages(db)
    const seen = new Set<string>()
    for (const outage of open) {
      const service = outage.service as ExternalService
      const pair = `${outage.memberId}\u0000${service}`
      if (seen.has(pair)) continue
      seen.add(pair)
      if (stopped) return
      const probe = probes.get(service)
      if (!probe) {
        if (!warnedNoProbe.has(service)) log.warn({ service }, 'no recovery probe for this service; parked jobs wait')
        warnedNoProbe.add(service)
        continue
      }
      let up = false
      try {
        up = await probe.isUp(outage.memberId)
      } catch (err) {
        log.debug({ err, memberId: outage.memberId, service }, 'recovery probe failed')
      }
      try {
        if (up) await recover(outage.memberId, service)
        else if (outage.notifiedAt === null && notifier) {
          await notifyStarted(outage.id, outage.memberId, service, serviceDownMessage(service))
        }
      } catch (err) {
        log.error({ err, memberId: outage.memberId, service }, 'recovery failed; the next probe pass tries again')
      }
    }
  }
  const probeOutages = (): Promise<void> => {
    probing ??= probeOnce()
      .catch((err) => log.error({ err }, 'recovery probe pass failed'))
      .finally(() => {
        probing = null
      })
    return probing
  }
  const probeTimer = work ? clock.setInterval(() => void probeOutages(), probeIntervalSeconds * 1000) : undefined

  const runner: JobRunner = {
    retryDelaysSeconds: retryDelays,
    enqueue: runnerEnqueue,
    probeOutages,
    async health() {
      let ok = !stopped
      let queued = 0
      let active = 0
      let failed = 0
      let parked = 0
      try {
        await db.execute(sql`select 1`)
        parked = await countParked(db)
        const queues = definitions.size ? await boss.getQueues([...definitions.keys()]) : []
        for (const q of queues) {
          queued += q.queuedCount
          active += q.activeCount
          failed += q.failedCount
        }
      } catch (err) {
        log.warn({ err }, 'job health check failed')
        ok = false
      }
      return { ok, queued, active, parked, failed }
    },
    async stop() {
      if (stopped) return
      stopped = true
      if (probeTimer !== undefined) clock.clearInterval(probeTimer)
      await probing
      await boss.stop({ graceful: true, timeout: 10_000 })
      const g = globalThis as GlobalWithRunner
      if (g[globalKey] === runner) delete g[globalKey]
    },
  }
  if (opts.registerGlobal !== false) (globalThis as GlobalWithRunner)[globalKey] = runner
  return runner
}

function serviceDownMessage(service: ExternalService): string {
  return `Сервис «${SERVICE_LABELS[service]}» не отвечает. Операции, которые не удалось выполнить, отложены и выполнятся автоматически, когда связь восстановится.`
}
