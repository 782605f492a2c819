/**
 * Two real worker processes share one PostgreSQL database and one portal. The access token
 * expires; 20 concurrent calls (10 per process) hit 401 together. Exactly one refresh reaches
 * the OAuth server (row lock + adopt-if-newer), and every call succeeds.
 * Always on server PostgreSQL (PGlite is single-process): DATABASE_URL or the local server.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { getPortalTokens } from '@/lib/portals/repository'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { setTestEnv, startPortalFor } from './support/env'
import { createServerDatabase, type ServerDatabase } from './support/postgres'
import { startReceiver, type Receiver } from './support/receiver'

type Emulator = Awaited<ReturnType<typeof startBitrix24Emulator>>

let database: ServerDatabase
let receiver: Receiver
let emulator: Emulator
const workers: ChildProcessWithoutNullStreams[] = []

beforeAll(async () => {
  receiver = await startReceiver()
  setTestEnv({ APP_URL: receiver.url })
  database = await createServerDatabase()
  emulator = await startPortalFor(receiver.url)
  await emulator.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
})

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill()
  await emulator?.close()
  await receiver?.close()
  await database?.drop()
})

interface Worker {
  lines: AsyncIterator<string>
  child: ChildProcessWithoutNullStreams
}

function startWorker(calls: number): Worker {
  const child = spawn('npx', ['tsx', 'tests/bitrix24/support/refresh-worker.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      MEMBER_ID: emulator.memberId,
      CALLS: String(calls),
      NODE_ENV: 'test',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  workers.push(child)
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  child.on('exit', (code) => {
    if (code) process.stderr.write(`worker exited ${code}: ${stderr}\n`)
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return { lines, child }
}

async function nextLine(worker: Worker): Promise<string> {
  const { value, done } = await worker.lines.next()
  if (done) throw new Error('worker closed its output')
  return value
}

describe('refresh across two processes', () => {
  it('makes exactly one OAuth refresh for 20 concurrent calls in two workers, and no call fails', async () => {
    const before = await getPortalTokens(database.db, emulator.memberId)
    const a = startWorker(10)
    const b = startWorker(10)
    expect(await nextLine(a)).toBe('ready')
    expect(await nextLine(b)).toBe('ready')

    emulator.expireAccessTokens()
    await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' })
    a.child.stdin.write('go\n')
    b.child.stdin.write('go\n')
    const results = [JSON.parse(await nextLine(a)), JSON.parse(await nextLine(b))] as Array<{
      ok: number
      errors: string[]
      generation: number
      stats: { refreshes: number; adopted: number; resent: number }
    }>

    expect(results.map((r) => r.errors)).toEqual([[], []])
    expect(results.map((r) => r.ok)).toEqual([10, 10])
    const log = ((await (await fetch(`${emulator.url}/__emulator/requests`)).json()) as {
      requests: Array<{ path: string; status: number }>
    }).requests
    expect(log.filter((r) => r.path.includes('/oauth/token')).length).toBe(1)
    const after = await getPortalTokens(database.db, emulator.memberId)
    expect(after!.generation).toBe(before!.generation + 1)
    expect(results.map((r) => r.generation)).toEqual([after!.generation, after!.generation])
    // One worker refreshed; the other found the newer pair under the row lock and adopted it.
    expect(results.map((r) => r.stats.refreshes).sort()).toEqual([0, 1])
    expect(results.map((r) => r.stats.adopted).sort()).toEqual([0, 1])
  }, 120_000)
})
