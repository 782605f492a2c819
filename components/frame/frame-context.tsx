'use client'
/**
 * Everything a framed page needs: the Bitrix24 frame, the signed session for our own API, the
 * interface language and React Query. The session token arrives once in the URL and is then
 * kept in memory only (the URL is cleaned so it is not copied or logged).
 */
import type { B24Frame } from '@bitrix24/b24jssdk'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { translator, type Lang, type UiKey } from '@/lib/i18n/ui'
import { getB24Frame } from './b24-frame'

type FrameStatus = { state: 'connecting' } | { state: 'ready'; b24: B24Frame } | { state: 'failed'; message: string }

export interface FrameContextValue {
  lang: Lang
  t: (key: UiKey) => string
  frame: FrameStatus
  /** fetch() against our API with the session attached; throws ApiError on non-2xx. */
  api: <T>(path: string, init?: RequestInit) => Promise<T>
  /** A link to one of our routes that take the session in the URL (a plain link sends no header: PDFs). */
  linkWithSession: (path: string) => string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const FrameContext = createContext<FrameContextValue | undefined>(undefined)

export function useFrame(): FrameContextValue {
  const value = useContext(FrameContext)
  if (!value) throw new Error('useFrame() outside <FrameProvider>')
  return value
}

export function FrameProvider({ session, lang, children }: { session: string; lang: Lang; children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }))
  const [frame, setFrame] = useState<FrameStatus>({ state: 'connecting' })
  const t = useMemo(() => translator(lang), [lang])

  useEffect(() => {
    const url = new URL(window.location.href)
    if (url.searchParams.has('s')) {
      url.searchParams.delete('s')
      window.history.replaceState(null, '', url)
    }
    let alive = true
    getB24Frame()
      .then((b24) => {
        if (!alive) return
        setFrame({ state: 'ready', b24 })
        void b24.parent.fitWindow().catch(() => {})
      })
      .catch((error: unknown) => {
        if (alive) setFrame({ state: 'failed', message: error instanceof Error ? error.message : String(error) })
      })
    return () => {
      alive = false
    }
  }, [])

  const value = useMemo<FrameContextValue>(
    () => ({
      lang,
      t,
      frame,
      api: async <T,>(path: string, init: RequestInit = {}) => {
        const response = await fetch(path, {
          ...init,
          headers: { 'content-type': 'application/json', ...(init.headers ?? {}), authorization: `Bearer ${session}` },
        })
        const body = (await response.json().catch(() => ({}))) as { error?: string }
        if (!response.ok) throw new ApiError(response.status, body.error ?? t('requestFailed'))
        return body as T
      },
      linkWithSession: (path: string) => `${path}${path.includes('?') ? '&' : '?'}s=${encodeURIComponent(session)}`,
    }),
    [frame, lang, session, t],
  )

  return (
    <QueryClientProvider client={queryClient}>
      <FrameContext.Provider value={value}>{children}</FrameContext.Provider>
    </QueryClientProvider>
  )
}

export function FrameStatusBadge() {
  const { frame, t } = useFrame()
  if (frame.state === 'ready')
    return (
      <span data-testid="frame-status" data-state="ready" className="text-xs text-success-link">
        ● {t('frameReady')}
      </span>
    )
  if (frame.state === 'failed')
    return (
      <span data-testid="frame-status" data-state="failed" className="text-xs text-alert-link" title={frame.message}>
        ● {t('frameFailed')}
      </span>
    )
  return (
    <span data-testid="frame-status" data-state="connecting" className="text-xs text-base-700">
      ● {t('frameConnecting')}
    </span>
  )
}
