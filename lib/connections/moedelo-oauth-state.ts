/** The OAuth 2.0 `state` for connecting MoeDelo: a signed, 10-minute token naming the portal. */
import { z } from 'zod'

export const MOEDELO_OAUTH_STATE = 'moedelo-oauth-state'

export const oauthStateSchema = z.object({ memberId: z.string().min(1), userId: z.number().int(), iat: z.number(), exp: z.number() })

export function moedeloOAuthRedirectUri(appUrl: string): string {
  return new URL('/api/moedelo/oauth/callback', appUrl).toString()
}
