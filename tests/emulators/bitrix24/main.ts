/**
 * CLI: `npx tsx tests/emulators/bitrix24/main.ts`
 * Env: B24_EMULATOR_PORT (default 0 = free port), B24_CLIENT_ID, B24_CLIENT_SECRET,
 *      APP_URL (our app; installUrl = ${APP_URL}/b24/install, appUrl = ${APP_URL}/b24/app),
 *      B24_INSTALL_MODE (event | frame), B24_RATE_LIMIT=off, B24_EVENT_DELAY_MS.
 */
import { startBitrix24Emulator } from './index'

const appUrl = (process.env.APP_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '')
const emulator = await startBitrix24Emulator({
  port: Number(process.env.B24_EMULATOR_PORT ?? 0),
  app: {
    clientId: process.env.B24_CLIENT_ID ?? 'local.emulator.app',
    clientSecret: process.env.B24_CLIENT_SECRET ?? 'emulator-secret',
    installUrl: `${appUrl}/b24/install`,
    appUrl: `${appUrl}/b24/app`,
    installMode: process.env.B24_INSTALL_MODE === 'frame' ? 'frame' : 'event',
  },
  rateLimit: { enabled: process.env.B24_RATE_LIMIT !== 'off' },
  eventDelayMs: process.env.B24_EVENT_DELAY_MS ? Number(process.env.B24_EVENT_DELAY_MS) : undefined,
})

console.log(`Bitrix24 emulator listening on ${emulator.url}`)
console.log(`  domain          ${emulator.domain}`)
console.log(`  member_id       ${emulator.memberId}`)
console.log(`  client_endpoint ${emulator.clientEndpoint}`)
console.log(`  server_endpoint ${emulator.serverEndpoint}`)
console.log(`  portal UI       ${emulator.url}/  (deal card: ${emulator.url}/crm/deal/details/1/)`)
console.log(`  app page        ${emulator.url}/marketplace/app/`)
console.log(`  install         curl -X POST ${emulator.url}/__emulator/install`)

const shutdown = () => {
  void emulator.close().then(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
