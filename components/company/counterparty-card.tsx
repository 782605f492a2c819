'use client'
/** The company's counterparty record: register status, MoeDelo link, last sync, resolved differences. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Badge, Button, Card, Spinner } from '@/components/ui'

export interface CounterpartyView {
  linked: boolean
  inn?: string
  kpp?: string | null
  registryStatus?: string | null
  registryAlarm?: boolean
  registryCheckedAt?: string | null
  moedeloId?: number | null
  moedeloUrl?: string | null
  syncedAt?: string | null
  recentConflicts?: { id: number; at: string; message: string }[]
}

export function CounterpartyCard({ companyId }: { companyId: string }) {
  const { api, t, lang } = useFrame()
  const queryClient = useQueryClient()
  const view = useQuery({
    queryKey: ['counterparty', companyId],
    queryFn: () => api<CounterpartyView>(`/api/portal/companies/${companyId}/counterparty`),
  })
  const refresh = useMutation({
    mutationFn: () => api(`/api/portal/companies/${companyId}/refresh`, { method: 'POST' }),
    onSuccess: () => {
      setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['counterparty', companyId] }), 3_000)
    },
  })
  const date = (iso?: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-GB') : '—')

  return (
    <Card
      title={t('counterpartySection')}
      actions={
        <Button tone="secondary" busy={refresh.isPending} onClick={() => refresh.mutate()} disabled={!view.data?.linked}>
          {t('refreshFromRegistry')}
        </Button>
      }
    >
      {view.isPending && <Spinner label={t('loading')} />}
      {view.isError && <Alert tone="alert">{view.error.message}</Alert>}
      {refresh.isSuccess && <Alert tone="info">{t('refreshQueued')}</Alert>}
      {refresh.isError && <Alert tone="alert">{refresh.error.message}</Alert>}
      {view.data && !view.data.linked && <p className="text-sm text-base-800">{t('notLinked')}</p>}
      {view.data?.linked && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm" data-testid="counterparty">
          <dt className="text-base-700">ИНН / КПП</dt>
          <dd>
            {view.data.inn}
            {view.data.kpp ? ` / ${view.data.kpp}` : ''}
          </dd>
          <dt className="text-base-700">{t('registryStatus')}</dt>
          <dd>
            {view.data.registryStatus ? (
              <Badge tone={view.data.registryAlarm ? 'alert' : 'success'} testId="registry-badge">
                {view.data.registryStatus}
              </Badge>
            ) : (
              '—'
            )}{' '}
            <span className="text-xs text-base-700">
              {t('registryCheckedAt')}: {date(view.data.registryCheckedAt)}
            </span>
          </dd>
          <dt className="text-base-700">{t('moedeloCounterparty')}</dt>
          <dd data-testid="moedelo-counterparty">
            {view.data.moedeloId ? (
              view.data.moedeloUrl ? (
                <a className="text-primary-link underline" href={view.data.moedeloUrl} target="_blank" rel="noreferrer">
                  № {view.data.moedeloId}
                </a>
              ) : (
                `№ ${view.data.moedeloId}`
              )
            ) : (
              '—'
            )}
          </dd>
          <dt className="text-base-700">{t('lastSync')}</dt>
          <dd>{date(view.data.syncedAt)}</dd>
        </dl>
      )}
      {view.data?.recentConflicts && view.data.recentConflicts.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-1 text-sm font-semibold">{t('conflictsResolved')}</h3>
          <ul className="list-disc pl-5 text-sm text-base-900">
            {view.data.recentConflicts.map((c) => (
              <li key={c.id}>
                {date(c.at)} — {c.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  )
}
