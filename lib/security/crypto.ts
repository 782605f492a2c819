/**
 * Encryption at rest (AES-256-GCM) and keyed hashing for secrets we store: OAuth tokens,
 * MoeDelo credentials, application tokens. Keys are derived from the app secret with HKDF,
 * one key per purpose, so a leaked hash key never decrypts a token.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { appSecret } from './secret'

const VERSION = 'v1'
const keyCache = new Map<string, Buffer>()

function derivedKey(purpose: string, secret = appSecret()): Buffer {
  const cacheKey = `${purpose}\0${secret}`
  let key = keyCache.get(cacheKey)
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'b24-moedelo-link', purpose, 32))
    keyCache.set(cacheKey, key)
  }
  return key
}

export function encrypt(plaintext: string, secret?: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', derivedKey('encryption', secret), iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':')
}

export function decrypt(payload: string, secret?: string): string {
  const [version, iv, tag, body] = payload.split(':')
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unrecognised encrypted value')
  const decipher = createDecipheriv('aes-256-gcm', derivedKey('encryption', secret), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

export function encryptJson(value: unknown): string {
  return encrypt(JSON.stringify(value))
}

export function decryptJson<T>(payload: string): T {
  return JSON.parse(decrypt(payload)) as T
}

/** A keyed hash for values we only ever compare (application tokens, frame AUTH_IDs). */
export function keyedHash(value: string, purpose = 'hash'): string {
  return createHmac('sha256', derivedKey(purpose)).update(value).digest('base64url')
}

export function sign(payload: string): string {
  return createHmac('sha256', derivedKey('signing')).update(payload).digest('base64url')
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
