/**
 * Runs both registry emulators as one process (demo and manual testing):
 *   npx tsx tests/emulators/registry/main.ts
 * Env: DADATA_EMULATOR_PORT (default 4030), FOCUS_EMULATOR_PORT (default 4031), REGISTRY_EMULATOR_HOST
 *      (default 127.0.0.1), DADATA_DEMO_API_KEY / DADATA_DEMO_SECRET_KEY / FOCUS_DEMO_KEY (defaults below),
 *      DADATA_DAILY_QUOTA (default 10000), FOCUS_QUOTA (default unlimited).
 */
import { DADATA_DEMO_API_KEY, DADATA_DEMO_SECRET_KEY, FOCUS_DEMO_KEY, startDaDataEmulator, startKonturFocusEmulator } from './index'

const host = process.env.REGISTRY_EMULATOR_HOST || '127.0.0.1'
const dadataKey = process.env.DADATA_DEMO_API_KEY || DADATA_DEMO_API_KEY
const dadataSecret = process.env.DADATA_DEMO_SECRET_KEY || DADATA_DEMO_SECRET_KEY
const focusKey = process.env.FOCUS_DEMO_KEY || FOCUS_DEMO_KEY

const dadata = await startDaDataEmulator({
  port: Number(process.env.DADATA_EMULATOR_PORT ?? 4030),
  host,
  apiKeys: [dadataKey],
  secretKeys: [dadataSecret],
  dailyQuota: process.env.DADATA_DAILY_QUOTA ? Number(process.env.DADATA_DAILY_QUOTA) : undefined,
})
const focus = await startKonturFocusEmulator({
  port: Number(process.env.FOCUS_EMULATOR_PORT ?? 4031),
  host,
  keys: [focusKey],
  quota: process.env.FOCUS_QUOTA ? Number(process.env.FOCUS_QUOTA) : null,
})

console.log(`DaData emulator:       ${dadata.url}  (POST /suggestions/api/4_1/rs/findById/party)`)
console.log(`  Authorization: Token ${dadataKey}`)
console.log(`  X-Secret:            ${dadataSecret}`)
console.log(`Kontur.Focus emulator: ${focus.url}  (GET /api3/req, /api3/egrDetails)`)
console.log(`  key=${focusKey}`)
console.log(`Try: curl -s -X POST ${dadata.url}/suggestions/api/4_1/rs/findById/party -H 'Content-Type: application/json' -H 'Authorization: Token ${dadataKey}' -d '{"query":"7707083893"}'`)
console.log(`     curl -s '${focus.url}/api3/req?key=${focusKey}&inn=6663003127'`)

const stop = () => {
  void Promise.all([dadata.close(), focus.close()]).then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
