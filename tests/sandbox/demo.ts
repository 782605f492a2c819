/**
 * `npm run demo`: the whole product on one machine with no internet. Starts the emulated
 * Bitrix24 portal (with its OAuth server) and MoeDelo, then the app on the embedded database,
 * installs the app into the emulated portal and prints where to click.
 */
import { spawn } from 'node:child_process'
import { startBitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator } from '../emulators/moedelo'
import { DADATA_DEMO_API_KEY, FOCUS_DEMO_KEY, startDaDataEmulator, startKonturFocusEmulator } from '../emulators/registry'
import { waitFor } from '../support/ports'

const APP_PORT = Number(process.env.APP_PORT ?? 3000)
const B24_PORT = Number(process.env.B24_EMULATOR_PORT ?? 4100)
const MOEDELO_PORT = Number(process.env.MOEDELO_EMULATOR_PORT ?? 4200)
const DADATA_PORT = Number(process.env.DADATA_EMULATOR_PORT ?? 4300)
const FOCUS_PORT = Number(process.env.FOCUS_EMULATOR_PORT ?? 4301)
const APP_URL = `http://127.0.0.1:${APP_PORT}`
const CLIENT_ID = 'local.sandbox.000001'
const CLIENT_SECRET = 'sandbox-client-secret-not-for-production'
const MOEDELO_DEMO_KEY = process.env.MOEDELO_DEMO_API_KEY ?? '00000000-demo-4000-8000-000000000001'

async function main(): Promise<void> {
  const moedelo = await startMoeDeloEmulator({ port: MOEDELO_PORT, apiKeys: { [MOEDELO_DEMO_KEY]: 'ООО «Демо Бухгалтерия»' } })
  const dadata = await startDaDataEmulator({ port: DADATA_PORT })
  const focus = await startKonturFocusEmulator({ port: FOCUS_PORT })
  const portal = await startBitrix24Emulator({
    port: B24_PORT,
    app: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, installUrl: `${APP_URL}/b24/install`, appUrl: `${APP_URL}/b24/app` },
  })

  const app = spawn(process.execPath, ['--import', 'tsx', 'server.ts', '--dev', '-p', String(APP_PORT), '-H', '127.0.0.1'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      APP_URL,
      B24_CLIENT_ID: CLIENT_ID,
      B24_CLIENT_SECRET: CLIENT_SECRET,
      MOEDELO_API_URL: moedelo.url,
      // The bills' public pages are served by the emulator in the sandbox.
      MOEDELO_WEB_URL: moedelo.url,
      DADATA_API_URL: dadata.url,
      KONTUR_FOCUS_API_URL: focus.url,
      DATA_DIR: process.env.DATA_DIR ?? '.data/sandbox',
      ALLOW_INSECURE_ENDPOINTS: '1',
      DATABASE_URL: '',
    },
  })
  const shutdown = async () => {
    app.kill('SIGTERM')
    await Promise.all([portal.close(), moedelo.close(), dadata.close(), focus.close()])
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown())
  process.once('SIGTERM', () => void shutdown())
  app.once('exit', (code) => {
    console.error(`The app stopped (exit code ${code ?? 'none'}).`)
    void shutdown()
  })

  await waitFor('the app to answer /api/health', async () => (await fetch(`${APP_URL}/api/health`)).ok, 180_000)
  const installed = await portal.install()
  if (installed.status >= 300) throw new Error(`Installing into the emulated portal failed: HTTP ${installed.status} ${installed.body}`)

  console.log(`
  ┌──────────────────────────────────────────────────────────────────────┐
  │ Sandbox is up — everything below runs on this machine.               │
  └──────────────────────────────────────────────────────────────────────┘
  Emulated Bitrix24 portal ........ ${portal.url}/
    a deal card with our tab ...... ${portal.url}/crm/deal/details/1/
    a company card ................ ${portal.url}/crm/company/details/1/
    the app's settings page ....... ${portal.url}/marketplace/app/
  MoeDelo emulator ................ ${moedelo.url}   API key: ${MOEDELO_DEMO_KEY}
    bills: pay, mark paid, delete  ${moedelo.url}/__emulator/ui
  DaData emulator ................. ${dadata.url}   API key: ${DADATA_DEMO_API_KEY}
  Kontur.Focus emulator ........... ${focus.url}   API key: ${FOCUS_DEMO_KEY}
  The app ......................... ${APP_URL}  (health: ${APP_URL}/api/health)

  Start with the settings page: paste the MoeDelo API key above, pick the stages and the
  registry (DaData or Kontur.Focus key above). Then edit a company's INN in the portal.
  To see a payment come back: issue an invoice from a deal, open the MoeDelo bills page above and
  press «Оплатить» (or pay part of the sum). Within a minute the deal shows the receipt in its
  timeline and, once fully paid, moves to the «Оплачено» stage chosen on the settings page.
  Stop with Ctrl+C.
`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
