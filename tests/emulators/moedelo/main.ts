/**
 * Runs the MoeDelo emulator as its own process (for the demo and manual testing):
 *   MOEDELO_EMULATOR_PORT=4020 npx tsx tests/emulators/moedelo/main.ts
 * Env: MOEDELO_EMULATOR_PORT (default 4020), MOEDELO_DEMO_API_KEY (default DEMO_API_KEY),
 *      MOEDELO_EMULATOR_OAUTH=1 with MOEDELO_OAUTH_CLIENT_ID / MOEDELO_OAUTH_CLIENT_SECRET to switch OAuth on.
 */
import { DEMO_API_KEY, DEMO_FIRM_NAME, startMoeDeloEmulator } from './index'

const port = Number(process.env.MOEDELO_EMULATOR_PORT ?? 4020)
const apiKey = process.env.MOEDELO_DEMO_API_KEY || DEMO_API_KEY
const oauthOn = ['1', 'true', 'yes'].includes(process.env.MOEDELO_EMULATOR_OAUTH ?? '')
const clientId = process.env.MOEDELO_OAUTH_CLIENT_ID || 'demo-client'
const clientSecret = process.env.MOEDELO_OAUTH_CLIENT_SECRET || 'demo-secret'

const emulator = await startMoeDeloEmulator({
  port,
  host: process.env.MOEDELO_EMULATOR_HOST || '127.0.0.1',
  apiKeys: { [apiKey]: DEMO_FIRM_NAME },
  oauth: oauthOn ? { enabled: true, clientId, clientSecret } : undefined,
})

console.log(`MoeDelo emulator: ${emulator.url}`)
console.log(`md-api-key: ${apiKey}`)
console.log(`Bills (pay, mark paid, delete by hand): ${emulator.url}/__emulator/ui`)
if (oauthOn) console.log(`OAuth: ${emulator.url}/oauth/authorize, ${emulator.url}/oauth/token (client_id ${clientId})`)

const stop = () => {
  void emulator.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
