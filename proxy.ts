/**
 * Framed pages may be embedded only by the portal the viewer's session belongs to
 * (`frame-ancestors`); Bitrix24 shows "refused to connect" for any other policy.
 */
import { NextResponse, type NextRequest } from 'next/server'
import { verifySession } from '@/lib/security/session'

export function proxy(request: NextRequest) {
  const token = request.nextUrl.searchParams.get('s')
  const claims = token ? verifySession(token) : null
  const ancestors = claims?.origin ? `'self' ${claims.origin}` : "'none'"
  const response = NextResponse.next()
  response.headers.set('Content-Security-Policy', `frame-ancestors ${ancestors}`)
  response.headers.set('Referrer-Policy', 'no-referrer')
  response.headers.set('X-Content-Type-Options', 'nosniff')
  return response
}

export const config = { matcher: '/frame/:path*' }
