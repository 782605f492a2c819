import { beforeAll, describe, expect, it } from 'vitest'
import { clientIp, isAllowedIp } from '@/lib/security/ip-allowlist'
import { issueSession, sessionFromAuthorization, verifySession } from '@/lib/security/session'
import { setTestEnv } from './support/env'

beforeAll(() => setTestEnv())

describe('session tokens', () => {
  const claims = {
    memberId: 'member-a',
    userId: 7,
    isAdmin: true,
    entityType: 'deal',
    entityId: 42,
    lang: 'en' as const,
    origin: 'https://portal.bitrix24.ru',
  }

  it('round-trips claims', () => {
    const token = issueSession(claims)
    const verified = verifySession(token)
    expect(verified).toMatchObject(claims)
    expect(verified!.exp - verified!.iat).toBe(900)
    expect(sessionFromAuthorization(`Bearer ${token}`)).toMatchObject(claims)
  })

  it('expires', () => {
    const now = Date.now()
    const token = issueSession(claims, 60, now)
    expect(verifySession(token, now + 59_000)).not.toBeNull()
    expect(verifySession(token, now + 60_000)).toBeNull()
  })

  it('cannot be forged or altered', () => {
    const token = issueSession({ memberId: 'member-a', userId: 7, isAdmin: false })
    const [version, body, mac] = token.split('.') as [string, string, string]
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
    const elevated = Buffer.from(JSON.stringify({ ...decoded, isAdmin: true, memberId: 'member-b' })).toString('base64url')
    expect(verifySession(`${version}.${elevated}.${mac}`)).toBeNull()
    expect(verifySession(`${version}.${body}.${mac.slice(0, -2)}AA`)).toBeNull()
    expect(verifySession(`${version}.${body}`)).toBeNull()
    expect(verifySession('')).toBeNull()
    expect(verifySession(undefined)).toBeNull()
    expect(verifySession('v2.' + body + '.' + mac)).toBeNull()
    // Signed with another secret → invalid here.
    setTestEnv({ APP_SECRET: 'another-secret-for-forgery-check-000000' })
    const foreign = issueSession({ memberId: 'member-a', userId: 7, isAdmin: true })
    setTestEnv()
    expect(verifySession(foreign)).toBeNull()
    expect(verifySession(token)).not.toBeNull()
  })
})

describe('ip allowlist', () => {
  it('allows everyone with an empty list', () => {
    expect(isAllowedIp('203.0.113.5', '')).toBe(true)
    expect(isAllowedIp('203.0.113.5', [])).toBe(true)
  })

  it('matches IPv4 and IPv6 CIDRs', () => {
    const list = '10.0.0.0/8, 192.168.1.10, 2001:db8::/32'
    expect(isAllowedIp('10.1.2.3', list)).toBe(true)
    expect(isAllowedIp('::ffff:10.1.2.3', list)).toBe(true)
    expect(isAllowedIp('192.168.1.10', list)).toBe(true)
    expect(isAllowedIp('192.168.1.11', list)).toBe(false)
    expect(isAllowedIp('2001:db8:1::5', list)).toBe(true)
    expect(isAllowedIp('2001:db9::5', list)).toBe(false)
    expect(isAllowedIp('not-an-ip', list)).toBe(false)
    expect(isAllowedIp(undefined, list)).toBe(false)
    expect(isAllowedIp('10.1.2.3', ['garbage'])).toBe(false)
  })

  it('honours X-Forwarded-For only when proxies are trusted', () => {
    const headers = { 'x-forwarded-for': '198.51.100.7, 10.0.0.2' }
    const socket = { remoteAddress: '::ffff:10.0.0.1' }
    expect(clientIp(headers, socket)).toBe('10.0.0.1')
    expect(clientIp(headers, socket, { trustedProxies: 1 })).toBe('10.0.0.2')
    expect(clientIp(new Headers(headers), socket, { trustedProxies: 2 })).toBe('198.51.100.7')
    expect(clientIp({}, socket, { trustedProxies: 1 })).toBe('10.0.0.1')
  })
})
