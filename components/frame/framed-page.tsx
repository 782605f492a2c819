/**
 * Server side of every framed page: the signed session from the URL decides who is looking.
 * An invalid or expired session shows a plain message instead of any data.
 */
import type { ReactNode } from 'react'
import { normaliseLang, translator } from '@/lib/i18n/ui'
import { verifySession, type SessionClaims } from '@/lib/security/session'
import { FrameProvider } from './frame-context'

export async function FramedPage({
  searchParams,
  render,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
  render: (claims: SessionClaims) => ReactNode
}) {
  const params = await searchParams
  const token = typeof params.s === 'string' ? params.s : ''
  const claims = token ? verifySession(token) : null
  const lang = normaliseLang(claims?.lang)
  if (!claims) {
    return (
      <main className="p-6 text-sm" data-testid="session-expired">
        {translator(lang)('sessionExpired')}
      </main>
    )
  }
  return (
    <FrameProvider session={token} lang={lang}>
      {render(claims)}
    </FrameProvider>
  )
}
