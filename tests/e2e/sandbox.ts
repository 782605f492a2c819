/**
 * The whole product for browser tests: the emulated portal and MoeDelo, and the real app
 * (`next start`) on a fresh database, installed into the portal through ONAPPINSTALL.
 */
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { startDaDataEmulator } from '../emulators/registry'
import { startAppServer, TEST_CLIENT_ID, TEST_CLIENT_SECRET, type AppServer } from '../support/app-server'
import { createEmptyDatabase } from '../support/database'
import { freePort } from '../support/ports'

export const MOEDELO_TEST_KEY = '7c1e2a90-5b4d-4f6e-9a21-3c8d0e5f1a77'

export interface Sandbox {
  portal: Bitrix24Emulator
  moedelo: MoeDeloEmulator
  dadata: Awaited<ReturnType<typeof startDaDataEmulator>>
  app: AppServer
  stop(): Promise<void>
}

export async function startSandbox(): Promise<Sandbox> {
  const appPort = await freePort()
  const appUrl = `http://127.0.0.1:${appPort}`
  const portal = await startBitrix24Emulator({
    app: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, installUrl: `${appUrl}/b24/install`, appUrl: `${appUrl}/b24/app` },
  })
  const moedelo = await startMoeDeloEmulator({ apiKeys: { [MOEDELO_TEST_KEY]: 'ООО «Тестовая бухгалтерия»' } })
  const dadata = await startDaDataEmulator()
  const database = await createEmptyDatabase()
  const env = { MOEDELO_API_URL: moedelo.url, MOEDELO_WEB_URL: moedelo.url, PAYMENT_POLL_INTERVAL_SECONDS: '5', DADATA_API_URL: dadata.url, DATABASE_URL: database.url ?? '' }
  const app = await startAppServer(env, appPort).catch(async (error: unknown) => {
    await Promise.all([portal.close(), moedelo.close(), dadata.close(), database.drop()])
    throw error
  })
  const installed = await portal.install()
  if (installed.status !== 200) throw new Error(`install failed: ${installed.status} ${installed.body}\n${app.output()}`)
  return {
    portal,
    moedelo,
    dadata,
    app,
    stop: async () => {
      await app.stop()
      await Promise.all([portal.close(), moedelo.close(), dadata.close()])
      await database.drop()
    },
  }
}
