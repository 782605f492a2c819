/**
 * The application secret: the root of token encryption and session signing.
 * With the embedded database it is generated once and kept beside the data; on a server
 * database every process must be given the same APP_SECRET.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { config } from '../config'

let cached: string | undefined

export function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'app-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return secret
}

export function appSecret(): string {
  if (cached) return cached
  const { APP_SECRET, DATABASE_URL, DATA_DIR } = config()
  if (APP_SECRET) cached = APP_SECRET
  else if (DATABASE_URL) throw new Error('APP_SECRET must be set when DATABASE_URL points at a server database')
  else cached = loadOrCreateSecret(DATA_DIR)
  if (cached.length < 16) throw new Error('APP_SECRET is too short: use at least 16 characters (32 random bytes recommended)')
  return cached
}

export function resetSecretForTests(): void {
  cached = undefined
}
