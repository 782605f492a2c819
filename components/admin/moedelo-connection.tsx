'use client'
/** MoeDelo connection: an API key checked live before it is saved, or an OAuth 2.0 sign-in. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { usePortalStatus } from '@/components/frame/use-portal-status'
import { Alert, Badge, Button, Card, Field, Spinner, inputClass } from '@/components/ui'

export function MoeDeloConnection() {
  const { api, t, lang } = useFrame()
  const queryClient = useQueryClient()
  const status = usePortalStatus()
  const [apiKey, setApiKey] = useState('')
  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: ['portal-status'] }), queryClient.invalidateQueries({ queryKey: ['journal'] })])

  const saveKey = useMutation({
    mutationFn: () => api<{ firmName: string | null }>('/api/portal/moedelo/api-key', { method: 'POST', body: JSON.stringify({ apiKey }) }),
    onSuccess: () => {
      setApiKey('')
      void refresh()
    },
  })
  const disconnect = useMutation({
    mutationFn: () => api('/api/portal/moedelo', { method: 'DELETE' }),
    onSuccess: () => void refresh(),
  })
  const startOauth = useMutation({
    mutationFn: () => api<{ authorizeUrl: string }>('/api/portal/moedelo/oauth/start', { method: 'POST' }),
    onSuccess: ({ authorizeUrl }) => {
      window.open(authorizeUrl, '_blank', 'noopener')
    },
  })

  if (status.isPending) return <Card title={t('moedeloSection')}><Spinner label={t('loading')} /></Card>
  if (status.isError) return <Card title={t('moedeloSection')}><Alert tone="alert">{status.error.message}</Alert></Card>
  const { moedelo, oauthAvailable } = status.data
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB') : '—')

  return (
    <Card title={t('moedeloSection')} actions={moedelo.connected ? <Badge tone="success" testId="moedelo-status">{t('moedeloConnected')}</Badge> : undefined}>
      {moedelo.connected ? (
        <div className="space-y-3 text-sm">
          <p>
            {t('moedeloFirm')}: <strong>{moedelo.firmName ?? '—'}</strong> · {t('moedeloCheckedAt')}: {date(moedelo.checkedAt)}
          </p>
          <Button tone="secondary" busy={disconnect.isPending} onClick={() => disconnect.mutate()}>
            {t('disconnect')}
          </Button>
        </div>
      ) : (
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault()
            saveKey.mutate()
          }}
        >
          <Field label={t('apiKeyLabel')} hint={t('apiKeyHint')}>
            <input
              className={inputClass}
              name="apiKey"
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
            />
          </Field>
          {saveKey.isError && <Alert tone="alert" testId="api-key-error">{saveKey.error.message}</Alert>}
          <div className="flex flex-wrap gap-3">
            <Button type="submit" data-testid="moedelo-save" busy={saveKey.isPending} disabled={apiKey.trim().length === 0}>
              {t('apiKeyCheckAndSave')}
            </Button>
            {oauthAvailable ? (
              <Button type="button" tone="secondary" busy={startOauth.isPending} onClick={() => startOauth.mutate()}>
                {t('oauthConnect')}
              </Button>
            ) : (
              <span className="self-center text-xs text-base-700">{t('oauthUnavailable')}</span>
            )}
          </div>
          {startOauth.isError && <Alert tone="alert">{startOauth.error.message}</Alert>}
        </form>
      )}
    </Card>
  )
}
