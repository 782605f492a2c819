/**
 * Batch coalescing for the bulk first sync. `syncCompany` makes its own small Bitrix24 batches
 * (read the company: 4 commands; write back: 1–3 commands), one company at a time, through the
 * portal's shared client. Run for many companies at once, those small batches are merged into
 * ONE HTTP batch of ≤ 50 commands: while one request waits for the portal's rate limit, the
 * batches of the other companies pile up and leave together in the next one.
 *
 * Transparent for the callers: each gets exactly its own keys' results, errors and totals;
 * `$result[key]` references inside a caller's commands are renamed with its prefix so they keep
 * pointing at its own commands; an HTTP failure of the merged request fails every caller in it,
 * as it would have failed each of their own requests. Only `batch` is merged; `call` and
 * `callList` go out as they are (their error semantics differ).
 */
import type { BatchCommand, BatchResult, Bitrix24Client } from '@/lib/bitrix24/client'

const MAX_COMMANDS = 50
/**
 * Before a request leaves, wait this long at most for other callers to fill it. Bitrix24 drains two
 * requests a second, so a fuller request is worth far more than the milliseconds spent waiting.
 */
const FILL_WAIT_MS = 250
const FILL_POLL_MS = 10

const queuedCommands = (c: Coalescer) => c.queue.reduce((sum, p) => sum + p.size, 0)

interface Pending {
  prefix: string
  calls: Record<string, BatchCommand>
  size: number
  resolve: (result: BatchResult) => void
  reject: (error: unknown) => void
}

interface Coalescer {
  users: number
  original: Bitrix24Client['batch']
  /** The instance's own `batch` property before we replaced it (undefined: it came from the prototype). */
  own: PropertyDescriptor | undefined
  queue: Pending[]
  inFlight: boolean
  seq: number
  /** HTTP batch requests sent / caller batches merged into them (diagnostics). */
  stats: { requests: number; merged: number }
}

const installed = new WeakMap<Bitrix24Client, Coalescer>()

function renameRefs(value: unknown, keys: Set<string>, prefix: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$(result(?:_error|_total|_next|_time)?)\[([^\]]+)\]/g, (whole, kind: string, key: string) =>
      keys.has(key) ? `$${kind}[${prefix}${key}]` : whole,
    )
  }
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, keys, prefix))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, renameRefs(v, keys, prefix)]))
  }
  return value
}

function prefixed(p: Pending): Record<string, BatchCommand> {
  const keys = new Set(Object.keys(p.calls))
  const out: Record<string, BatchCommand> = {}
  for (const [key, command] of Object.entries(p.calls)) {
    const [method, params] = Array.isArray(command)
      ? (command as readonly [string, Record<string, unknown>?])
      : [(command as { method: string }).method, (command as { params?: Record<string, unknown> }).params]
    out[`${p.prefix}${key}`] = [method, params ? (renameRefs(params, keys, p.prefix) as Record<string, unknown>) : undefined]
  }
  return out
}

async function pump(c: Coalescer): Promise<void> {
  if (c.inFlight) return
  c.inFlight = true
  try {
    while (c.queue.length > 0) {
      const deadline = Date.now() + FILL_WAIT_MS
      while (queuedCommands(c) < MAX_COMMANDS - 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, FILL_POLL_MS))
      const group: Pending[] = []
      let size = 0
      while (c.queue.length > 0 && size + c.queue[0]!.size <= MAX_COMMANDS) {
        const next = c.queue.shift()!
        group.push(next)
        size += next.size
      }
      const merged: Record<string, BatchCommand> = {}
      for (const p of group) Object.assign(merged, prefixed(p))
      c.stats.requests += 1
      c.stats.merged += group.length
      try {
        const answer = await c.original(merged)
        for (const p of group) {
          const part: BatchResult = { results: {}, errors: {}, totals: {}, ok: true }
          for (const key of Object.keys(p.calls)) {
            const full = `${p.prefix}${key}`
            if (full in answer.results) part.results[key] = answer.results[full]
            if (full in answer.totals) part.totals[key] = answer.totals[full]!
            const error = answer.errors[full]
            if (error) part.errors[key] = { ...error, key }
          }
          part.ok = Object.keys(part.errors).length === 0
          p.resolve(part)
        }
      } catch (error) {
        for (const p of group) p.reject(error)
      }
    }
  } finally {
    c.inFlight = false
  }
}

/**
 * Runs `fn` with the client's `batch` merging concurrent callers (nested and parallel uses share
 * one coalescer; the original method is restored when the last one ends). Returns fn's result.
 */
export async function withCoalescedBatches<T>(client: Bitrix24Client, fn: () => Promise<T>): Promise<T> {
  let c = installed.get(client)
  if (!c) {
    const own = Object.getOwnPropertyDescriptor(client, 'batch')
    const original = client.batch.bind(client)
    const coalescer: Coalescer = { users: 0, original, own, queue: [], inFlight: false, seq: 0, stats: { requests: 0, merged: 0 } }
    ;(client as { batch: Bitrix24Client['batch'] }).batch = (calls) => {
      const size = Object.keys(calls).length
      // A batch that is big on its own (or empty) is not merged.
      if (size === 0 || size > MAX_COMMANDS / 2) return original(calls)
      return new Promise<BatchResult>((resolve, reject) => {
        coalescer.seq += 1
        coalescer.queue.push({ prefix: `m${coalescer.seq}_`, calls, size, resolve, reject })
        void pump(coalescer)
      })
    }
    installed.set(client, coalescer)
    c = coalescer
  }
  c.users += 1
  try {
    return await fn()
  } finally {
    c.users -= 1
    if (c.users === 0) {
      installed.delete(client)
      if (c.own) Object.defineProperty(client, 'batch', c.own)
      else delete (client as { batch?: unknown }).batch // back to the prototype's method
    }
  }
}

/** Merged requests sent while coalescing is on for this client (diagnostics, benchmark). */
export function coalescingStats(client: Bitrix24Client): { requests: number; merged: number } | undefined {
  return installed.get(client)?.stats
}
