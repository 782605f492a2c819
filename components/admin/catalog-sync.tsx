'use client'
/** «Выгрузить каталог в «Моё дело»»: starts a catalog run and shows its progress and result line. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Button, Card } from '@/components/ui'

interface CatalogRun {
  status: 'running' | 'done' | 'failed'
  total: number
  done: number
  failed: number
  summary: { created: number; updated: number; unchanged: number; services: number } | null
  failures: { productId: number; name: string; message: string }[]
  error: string | null
  waiting: string | null
}

const PATH = '/api/portal/catalog-sync'

export function CatalogSync({ moedeloConnected }: { moedeloConnected: boolean }) {
  const { api, t } = useFrame()
  const queryClient = useQueryClient()
  const progress = useQuery({
    queryKey: ['catalog-sync'],
    queryFn: () => api<{ run: CatalogRun | null }>(PATH),
    refetchInterval: (query) => (query.state.data?.run?.status === 'running' ? 1_000 : false),
  })
  const start = useMutation({
    mutationFn: () => api<{ run: CatalogRun }>(PATH, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['catalog-sync'] }),
  })
  const run = progress.data?.run
  const s = run?.summary
  const result = s
    ? [
        `${t('catalogCreated')}: ${s.created}`,
        `${t('catalogUpdated')}: ${s.updated}`,
        `${t('catalogUnchanged')}: ${s.unchanged}`,
        `${t('catalogServices')}: ${s.services}`,
        ...(run.failed > 0 ? [`${t('catalogErrors')}: ${run.failed}`] : []),
      ].join(' · ')
    : null
  const heading = run ? (run.status === 'running' ? t('catalogRunning') : run.status === 'done' ? t('catalogDone') : t('catalogFailed')) : null

  return (
    <Card title={t('catalogSection')}>
      <p className="mb-4 text-sm text-base-800">{t('catalogHint')}</p>
      {run && (
        <div className="mb-4 space-y-2" data-testid="catalog-sync-result" data-status={run.status}>
          <p className="text-sm">
            <span className="font-medium">{heading}</span>
            {run.status === 'running' && run.total > 0 && ` · ${run.done + run.failed} / ${run.total}`}
            {result && <span className="text-base-800"> — {result}</span>}
          </p>
          {run.waiting && <Alert tone="warning">{run.waiting}</Alert>}
          {run.error && <Alert tone="alert">{run.error}</Alert>}
          {run.failures.length > 0 && (
            <ul className="list-disc space-y-1 pl-5 text-sm text-base-800">
              {run.failures.map((f) => (
                <li key={f.productId}>{f.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {progress.isError && <Alert tone="alert">{progress.error.message}</Alert>}
      {start.isError && <Alert tone="alert">{start.error.message}</Alert>}
      <Button busy={start.isPending || run?.status === 'running'} disabled={!moedeloConnected} onClick={() => start.mutate()}>
        {t('catalogStart')}
      </Button>
    </Card>
  )
}
