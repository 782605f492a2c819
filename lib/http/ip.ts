/**
 * The IP allowlist for server-to-server endpoints (install event, events). Next.js fills
 * X-Forwarded-For with the socket address when no proxy did; behind proxies, TRUSTED_PROXIES
 * says which entry from the right is the real client.
 */
import { config } from '@/lib/config'
import { clientIp, isAllowedIp } from '@/lib/security/ip-allowlist'

export function requestFromAllowedIp(request: Request): boolean {
  const { ALLOWED_IPS, TRUSTED_PROXIES } = config()
  if (!ALLOWED_IPS.trim()) return true
  return isAllowedIp(clientIp(request.headers, null, { trustedProxies: TRUSTED_PROXIES }), ALLOWED_IPS)
}
