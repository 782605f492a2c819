/**
 * MoeDelo goes down while jobs need it: each job is retried (compressed delays), then parked; the
 * portal admin gets ONE Bitrix24 notification for the outage, not one per job; when the probe sees
 * MoeDelo again the parked jobs run once and the admin is told it is back. Real parts throughout:
 * the MoeDelo emulator with injected faults, the Bitrix24 emulator, the real probe and notifier.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { resetConfigForTests } from '@/lib/config'
import { connectWithApiKey, moedeloClientFor } from '@/lib/connections/moedelo'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { defineJob, enqueue, startJobRunner, type JobRunner } from '@/lib/jobs'
import { buildServiceHooks } from '@/lib/jobs/services'
import { resetSecretForTests } from '@/lib/security/secret'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { waitFor } from '../support/ports'

const KEY = '3b9f6c0e-1d2a-4e5f-8a7b-9c0d1e2f3a4b'
let database: TestDatabase
let portal: Bitrix24Emulator
let moedelo: MoeDeloEmulator
let receiver: Receiver
let runner: JobRunner
const ran: number[] = []

const countJob = defineJob({
  name: 'test.moedelo-count',
  payload: z.object({ memberId: z.string(), n: z.number().int() }),
  service: 'moedelo',
  handler: async ({ memberId, n }) => {
    const client = await moedeloClientFor(database.db, memberId)
    await client!.checkConnection()
    ran.push(n)
  },
})

const faults = (body: object | undefined, method: 'POST' | 'DELETE') =>
  fetch(`${moedelo.url}/__emulator/faults`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })

const outageNotifications = () => portal.state.notifications.filter((n) => n.tag?.includes('outage|moedelo'))

beforeAll(async () => {
  receiver = await startReceiver()
  Object.assign(process.env, {
    APP_URL: receiver.url,
    APP_SECRET: 'outage-test-secret-0123456789abcdef',
    B24_CLIENT_ID: 'local.outage.1',
    B24_CLIENT_SECRET: 'outage-secret',
    ALLOW_INSECURE_ENDPOINTS: '1',
    HTTP_TIMEOUT_MS: '3000',
  })
  resetConfigForTests()
  resetSecretForTests()
  database = await createTestDatabase()
  portal = await startBitrix24Emulator({
    app: { clientId: 'local.outage.1', clientSecret: 'outage-secret', installUrl: `${receiver.url}/b24/install`, appUrl: `${receiver.url}/b24/app` },
  })
  await portal.install()
  const [installBody] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(installBody!))
  moedelo = await startMoeDeloEmulator({ apiKeys: { [KEY]: 'ООО «Тест»' } })
  process.env.MOEDELO_API_URL = moedelo.url
  resetConfigForTests()
  await connectWithApiKey(database.db, portal.memberId, KEY)
  runner = await startJobRunner({
    handle: database,
    definitions: [countJob],
    ...buildServiceHooks(database.db),
    retryDelaysSeconds: [0.2, 0.2, 0.2],
    probeIntervalSeconds: 0.5,
    pollingIntervalSeconds: 0.5,
  })
})

afterAll(async () => {
  await runner?.stop()
  await Promise.all([portal?.close(), moedelo?.close(), receiver?.close()])
  await database?.drop()
})

describe('an outage of MoeDelo', () => {
  it('parks the work, tells the admin once, and replays it when MoeDelo answers again', async () => {
    await faults({ kind: 'status', status: 503, pathPrefix: '/kontragents' }, 'POST')
    await enqueue(countJob, { memberId: portal.memberId, n: 1 })
    await enqueue(countJob, { memberId: portal.memberId, n: 2 })

    const parked = async () => {
      const rows = (await database.db.execute(sql`select count(*)::int as n from parked_jobs`)) as unknown
      const list = Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows
      return (list[0] as { n: number }).n
    }
    await waitFor('both jobs to be parked', async () => (await parked()) === 2, 60_000)
    await waitFor('the outage notification', async () => outageNotifications().length >= 1, 30_000)
    expect(ran).toEqual([])
    expect(outageNotifications()).toHaveLength(1)
    expect(outageNotifications()[0]).toMatchObject({ kind: 'system', userId: 1 })
    expect(outageNotifications()[0]?.message).toContain('не отвечает')

    await faults(undefined, 'DELETE')
    await waitFor('the parked jobs to run after recovery', async () => ran.length === 2, 60_000)
    expect([...ran].sort()).toEqual([1, 2])
    expect(await parked()).toBe(0)
    // The notification TAG makes the recovery message replace the outage one in Bitrix24.
    await waitFor('the recovery notification', async () => outageNotifications().some((n) => n.message.includes('снова отвечает')), 30_000)
    expect(outageNotifications()).toHaveLength(1)
  })
})
