/** Job definitions: what a job is, independent of the queue library that runs it. */
import type { z } from 'zod'
import type { ExternalService } from '@/lib/errors'
import type { Logger } from '@/lib/security/log'

export interface JobContext {
  /** The pg-boss job id of this run (a retry is a new job, with a new id). */
  jobId: string
  /** 0 = first run, 1..n = the n-th retry after an external failure. */
  attempt: number
  log: Logger
  /** Aborted when the job's claim is lost (expired); long handlers may stop on it. */
  signal?: AbortSignal
}

export interface JobDefinition<P extends { memberId: string }> {
  /** The queue name: letters, digits, `_`, `-`, `.`, `/`. */
  name: string
  payload: z.ZodType<P>
  /** The external service this job mainly talks to (used when an error does not say). */
  service?: ExternalService
  /** The job's idempotency key; a job parks once per memberId + name + key. Default: a payload hash. */
  dedupKey?: (p: P) => string
  /** Must be idempotent: it may run again after a crash or a replay. */
  handler: (p: P, ctx: JobContext) => Promise<void>
  /** Journal topic for this job's entries (default: the job name). */
  topic?: string
  /** The entity the job is about, for journal entries. */
  entity?: (p: P) => { type: string; id: string | number } | undefined
}

const QUEUE_NAME = /^[\w.\-/]+$/

export function defineJob<P extends { memberId: string }>(def: JobDefinition<P>): JobDefinition<P> {
  if (!QUEUE_NAME.test(def.name)) {
    throw new Error(`Job name "${def.name}" may contain only letters, digits, "_", "-", "." and "/"`)
  }
  return Object.freeze({ ...def })
}

export interface EnqueueOptions {
  /** At most one queued (not yet started) job with this key per job name; a duplicate returns null. */
  singletonKey?: string
  startAfterSeconds?: number
  /**
   * Which attempt this run counts as (default 0). A caller that already tried the work itself and
   * leaves the rest to the queue enqueues attempt 1 after the first retry delay: the retry policy
   * then continues from there instead of starting over.
   */
  attempt?: number
}

/** Checks an external service for a portal; called only while an outage is open. */
export interface ServiceProbe {
  service: ExternalService
  isUp(memberId: string): Promise<boolean>
}

/** Tells the portal admin about outages: once when it starts, once when it ends. */
export interface OutageNotifier {
  outageStarted(memberId: string, service: ExternalService, userMessage: string): Promise<void>
  outageEnded(memberId: string, service: ExternalService): Promise<void>
}

/** Time and timers (pg-boss's Clock shape; its TestClock fits). */
export interface JobClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}
