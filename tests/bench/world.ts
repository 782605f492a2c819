/**
 * What every in-process benchmark stands on: a database (PostgreSQL when DATABASE_URL is set, else
 * PGlite), the MoeDelo emulator, an emulated portal with the app installed and MoeDelo connected.
 */
import { setDatabase } from '@/db'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { resetConfigForTests } from '@/lib/config'
import { resetSecretForTests } from '@/lib/security/secret'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { createTestDatabase, type TestDatabase } from '../support/database'

export interface BenchWorldOptions {
  name: string
  /** Bitrix24's leaky bucket, applied to the emulated portal and to the app's own limiter; `null` = no limit. */
  rateLimit: { drainRate: number; burst: number } | null
  /** The emulated portal's delay before it delivers an event (its own default when left out). */
  eventDelayMs?: number
  /** LOG_LEVEL when the environment sets none; `warn` when left out. */
  logLevel?: string
}

export interface BenchWorld {
  database: TestDatabase
  b24: Bitrix24Emulator
  md: MoeDeloEmulator
  /** The MoeDelo API key the portal is connected with (the emulator's firm key). */
  mdApiKey: string
  memberId: string
  close(): Promise<void>
}

export async function startBenchWorld(options: BenchWorldOptions): Promise<BenchWorld> {
  const clientId = `local.bench.${options.name}`
  const clientSecret = `bench-${options.name}-secret-0123456789`
  const apiKey = '7c1f0c55-0000-4b43-9a57-0000000bench'
  let receiver: Receiver | undefined
  let md: MoeDeloEmulator | undefined
  let database: TestDatabase | undefined
  let b24: Bitrix24Emulator | undefined
  const close = async () => {
    setDefaultRateLimit(undefined)
    setDatabase(undefined)
    await b24?.close()
    await md?.close()
    await receiver?.close()
    await database?.drop()
  }
  try {
    receiver = await startReceiver()
    md = await startMoeDeloEmulator({ apiKeys: { [apiKey]: 'ООО "Бенчмарк"' } })
    Object.assign(process.env, {
      APP_SECRET: `bench-${options.name}-app-secret-0123456789abcdef`,
      B24_CLIENT_ID: clientId,
      B24_CLIENT_SECRET: clientSecret,
      APP_URL: receiver.url,
      ALLOW_INSECURE_ENDPOINTS: '1',
      HTTP_TIMEOUT_MS: '60000',
      MOEDELO_API_URL: md.url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? options.logLevel ?? 'warn',
    })
    resetConfigForTests()
    resetSecretForTests()
    const limit = options.rateLimit
    // The app's shared limiter stops 10 short of the portal's burst, as in production.
    setDefaultRateLimit(limit ? { drainRate: limit.drainRate, burst: Math.max(1, limit.burst - 10) } : { drainRate: 100_000, burst: 100_000 })
    database = await createTestDatabase()
    setDatabase(database)
    b24 = await startBitrix24Emulator({
      seed: false,
      app: { clientId, clientSecret, installUrl: `${receiver.url}/b24/install`, appUrl: `${receiver.url}/b24/app` },
      rateLimit: limit ? { enabled: true, ...limit } : { enabled: false },
      accessTokenTtlSec: 24 * 3600,
      eventDelayMs: options.eventDelayMs,
    })
    await b24.install()
    const [installBody] = await receiver.waitFor('/b24/install', 1)
    await installPortal(database.db, installPayloadFromEvent(installBody!))
    await connectWithApiKey(database.db, b24.memberId, apiKey)
    return { database, b24, md, mdApiKey: apiKey, memberId: b24.memberId, close }
  } catch (error) {
    await close()
    throw error
  }
}

export interface LoggedRequest {
  method: string
  path: string
  status: number
}

/** Requests an emulator answered since its log was last cleared (control routes left out). */
export async function requestLog(url: string): Promise<LoggedRequest[]> {
  const response = await fetch(`${url}/__emulator/requests`)
  return ((await response.json()) as { requests: LoggedRequest[] }).requests.filter((r) => !r.path.startsWith('/__emulator'))
}

export async function clearRequestLogs(...urls: string[]): Promise<void> {
  for (const url of urls) await fetch(`${url}/__emulator/requests`, { method: 'DELETE' })
}
