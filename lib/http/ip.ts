/**
 * The IP allowlist for server-to-server endpoints (install event, events). Next.js fills
 * X-Forwarded-For with the socket address when no proxy did (the server's event fast path does
 * the same); behind proxies, TRUSTED_PROXIES says which entry from the right is the real client.
 */
import { config } from '@/lib/config'
import { clientIp, isAllowedIp, type HeaderSource } from '@/lib/security/ip-allowlist'

/** Request headers (a fetch `Headers` or Node's `IncomingHttpHeaders`) from an allowed address. */
export function headersFromAllowedIp(headers: HeaderSource): boolean {
  const { ALLOWED_IPS, TRUSTED_PROXIES } = config()
  if (!ALLOWED_IPS.trim()) return true
  return isAllowedIp(clientIp(headers, null, { trustedProxies: TRUSTED_PROXIES }), ALLOWED_IPS)
}

export function requestFromAllowedIp(request: Request): boolean {
  return headersFromAllowedIp(request.headers)
}
