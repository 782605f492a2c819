/** Environment for the Bitrix24 tests: a fixed app secret, app credentials, http endpoints allowed. */
import { resetConfigForTests } from '@/lib/config'
import { resetSecretForTests } from '@/lib/security/secret'
import { startBitrix24Emulator, type Bitrix24Emulator, type Bitrix24EmulatorOptions } from '../../emulators/bitrix24'

export const TEST_CLIENT_ID = 'local.test-app.000001'
export const TEST_CLIENT_SECRET = 'test-client-secret-0123456789'
export const TEST_APP_URL = 'https://app.example.test'

export function setTestEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    APP_SECRET: 'bitrix24-tests-app-secret-0123456789abcdef',
    B24_CLIENT_ID: TEST_CLIENT_ID,
    B24_CLIENT_SECRET: TEST_CLIENT_SECRET,
    APP_URL: TEST_APP_URL,
    ALLOW_INSECURE_ENDPOINTS: '1',
    HTTP_TIMEOUT_MS: '15000',
    ...extra,
  })
  resetConfigForTests()
  resetSecretForTests()
}

/** An emulated portal (no seed data) whose app registration points at a test receiver or app. */
export function startPortalFor(appUrl: string, extra: Partial<Bitrix24EmulatorOptions> = {}): Promise<Bitrix24Emulator> {
  return startBitrix24Emulator({
    seed: false,
    app: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      installUrl: `${appUrl}/b24/install`,
      appUrl: `${appUrl}/b24/app`,
      installMode: 'event',
    },
    ...extra,
  })
}
