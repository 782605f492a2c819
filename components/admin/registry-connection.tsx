'use client'
/** The registry provider (DaData or Kontur.Focus) and its key, checked live before saving. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Badge, Button, Card, Field, Spinner, inputClass } from '@/components/ui'

type Provider = 'dadata' | 'kontur_focus'
const providerNames: Record<Provider, string> = { dadata: 'DaData', kontur_focus: 'Контур.Фокус' }

export function RegistryConnection() {
  const { api, t } = useFrame()
  const queryClient = useQueryClient()
  const status = useQuery({
    queryKey: ['registry'],
    queryFn: () => api<{ connected: boolean; provider?: Provider }>('/api/portal/registry'),
  })
  const [provider, setProvider] = useState<Provider>('dadata')
  const [apiKey, setApiKey] = useState('')
  const [secretKey, setSecretKey] = useState('')
  const save = useMutation({
    mutationFn: () =>
      api('/api/portal/registry', { method: 'POST', body: JSON.stringify({ provider, apiKey, ...(secretKey ? { secretKey } : {}) }) }),
    onSuccess: () => {
      setApiKey('')
      setSecretKey('')
      void queryClient.invalidateQueries({ queryKey: ['registry'] })
      void queryClient.invalidateQueries({ queryKey: ['journal'] })
    },
  })

  return (
    <Card
      title={t('registrySection')}
      actions={
        status.data?.connected && status.data.provider ? (
          <Badge tone="success" testId="registry-status">
            {t('registryConnected')}: {providerNames[status.data.provider]}
          </Badge>
        ) : undefined
      }
    >
      <p className="mb-4 text-sm text-base-800">{t('registryHint')}</p>
      {status.isPending && <Spinner label={t('loading')} />}
      {status.isError && <Alert tone="alert">{status.error.message}</Alert>}
      <form
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault()
          save.mutate()
        }}
      >
        <Field label={t('registryProvider')}>
          <select className={inputClass} name="provider" value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
            {(Object.keys(providerNames) as Provider[]).map((p) => (
              <option key={p} value={p}>
                {providerNames[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('registryKey')}>
          <input className={inputClass} name="registryKey" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
        </Field>
        {provider === 'dadata' && (
          <Field label={t('registrySecret')}>
            <input className={inputClass} name="registrySecret" autoComplete="off" value={secretKey} onChange={(e) => setSecretKey(e.target.value)} />
          </Field>
        )}
        {save.isError && <Alert tone="alert" testId="registry-error">{save.error.message}</Alert>}
        <Button type="submit" data-testid="registry-save" busy={save.isPending} disabled={apiKey.trim().length === 0}>
          {t('apiKeyCheckAndSave')}
        </Button>
      </form>
    </Card>
  )
}
