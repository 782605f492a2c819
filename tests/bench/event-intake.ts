/**
 * Event intake benchmark: the production server (server.ts, as `npm start` runs it; events are
 * answered on its fast path) on PostgreSQL receives Bitrix24 events as fast as a pool of concurrent
 * senders can post them. Reports acknowledged events/s, p50/p99 acknowledgement latency, and checks
 * every acknowledged event is a durable job.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { startAppServer, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../support/app-server'
import { createEmptyDatabase } from '../support/database'
import { freePort } from '../support/ports'

export interface IntakeResult {
  /** Which load generator sent the events: wrk (C, when installed) leaves the cores to the server. */
  generator: 'wrk' | 'node'
  events: number
  concurrency: number
  seconds: number
  eventsPerSecond: number
  p50Ms: number
  p99Ms: number
  failed: number
  durablyQueued: number
  /** CPU time (user + system, all cores) the server spent per acknowledged event; Linux only. */
  serverCpuMsPerEvent?: number
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

/**
 * CPU seconds a process has used so far, from /proc (undefined elsewhere). On a shared machine
 * throughput and latency move with other load; the server's CPU per event much less.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
  } catch {
    return undefined
  }
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined
}

/** Every request a new deal id and timestamp, so each event is a distinct durable job. */
function wrkScript(fields: Record<string, string>): string {
  const fixed = new URLSearchParams(fields).toString()
  return `
local counter = 0
local threads = 0
setup = function(thread) thread:set("tid", threads); threads = threads + 1 end
request = function()
  counter = counter + 1
  local id = tostring((tid or 0) * 100000000 + counter)
  local body = "event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=" .. id .. "&ts=" .. id .. "&${fixed}"
  return wrk.format("POST", "/api/b24/events", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end`
}

function parseWrk(output: string) {
  const ms = (value: string, unit: string) => Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1)
  const latency = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(output)
    return m ? ms(m[1]!, m[2]!) : NaN
  }
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0)
  const seconds = Number(/requests in ([\d.]+)s/.exec(output)?.[1] ?? 0)
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) + Number(/Socket errors: connect (\d+)/.exec(output)?.[1] ?? 0)
  return { requests, seconds, p50: latency('50'), p99: latency('99'), failed }
}

export async function benchEventIntake(options: { events: number; concurrency: number; warmup: number }): Promise<IntakeResult> {
  process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres'
  const database = await createEmptyDatabase()
  const appPort = await freePort()
  const appUrl = `http://127.0.0.1:${appPort}`
  const portal = await startBitrix24Emulator({
    app: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, installUrl: `${appUrl}/b24/install`, appUrl: `${appUrl}/b24/app` },
  })
  // Intake only: workers would compete for the same two cores and are not what is measured.
  const app = await startAppServer({ DATABASE_URL: database.url, RUN_WORKERS_IN_APP: 'no' }, appPort)
  try {
    const installed = await portal.install()
    if (installed.status !== 200) throw new Error(`install failed: ${installed.body}`)
    const applicationToken = portal.state.app.applicationToken
    const body = (i: number) =>
      new URLSearchParams({
        event: 'ONCRMDEALUPDATE',
        event_handler_id: '7',
        'data[FIELDS][ID]': String(100_000 + i),
        ts: String(1_760_000_000 + i),
        'auth[domain]': portal.domain,
        'auth[client_endpoint]': portal.clientEndpoint,
        'auth[server_endpoint]': portal.serverEndpoint,
        'auth[member_id]': portal.memberId,
        'auth[application_token]': applicationToken,
      }).toString()
    const post = async (i: number) => {
      const started = performance.now()
      const response = await fetch(`${appUrl}/api/b24/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body(i),
      })
      await response.arrayBuffer()
      return { ok: response.status === 200, ms: performance.now() - started }
    }
    const run = async (from: number, count: number) => {
      const latencies: number[] = []
      let failed = 0
      let next = from
      const sender = async () => {
        while (next < from + count) {
          const result = await post(next++)
          latencies.push(result.ms)
          if (!result.ok) failed++
        }
      }
      const started = performance.now()
      await Promise.all(Array.from({ length: options.concurrency }, sender))
      return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), failed }
    }

    await run(0, options.warmup)
    const cpuBefore = cpuSeconds(app.pid)
    let measured: { events: number; seconds: number; p50: number; p99: number; failed: number; generator: 'wrk' | 'node' }
    if (hasWrk()) {
      const dir = mkdtempSync(join(tmpdir(), 'intake-'))
      const script = join(dir, 'events.lua')
      writeFileSync(
        script,
        wrkScript({
          'auth[domain]': portal.domain,
          'auth[client_endpoint]': portal.clientEndpoint,
          'auth[server_endpoint]': portal.serverEndpoint,
          'auth[member_id]': portal.memberId,
          'auth[application_token]': applicationToken,
        }),
      )
      const seconds = Math.max(5, Math.round(options.events / 1000))
      const out = execFileSync('wrk', ['-t2', `-c${options.concurrency}`, `-d${seconds}s`, '--latency', '-s', script, appUrl], { encoding: 'utf8' })
      const r = parseWrk(out)
      measured = { events: r.requests, seconds: r.seconds, p50: r.p50, p99: r.p99, failed: r.failed, generator: 'wrk' }
    } else {
      const r = await run(options.warmup, options.events)
      measured = {
        events: options.events,
        seconds: r.seconds,
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        failed: r.failed,
        generator: 'node',
      }
    }
    const cpuAfter = cpuSeconds(app.pid)
    const sql = postgres(database.url!, { max: 1, onnotice: () => {} })
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = 'b24.event'`
    await sql.end()
    return {
      generator: measured.generator,
      events: measured.events,
      concurrency: options.concurrency,
      seconds: measured.seconds,
      eventsPerSecond: measured.events / measured.seconds,
      p50Ms: measured.p50,
      p99Ms: measured.p99,
      failed: measured.failed,
      durablyQueued: (row?.n ?? 0) - options.warmup,
      ...(cpuBefore !== undefined && cpuAfter !== undefined && measured.events > 0
        ? { serverCpuMsPerEvent: ((cpuAfter - cpuBefore) * 1000) / measured.events }
        : {}),
    }
  } finally {
    await app.stop()
    await portal.close()
    await database.drop()
  }
}
