'use client'
/** First sync of existing companies with MoeDelo, with a progress bar. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Button, Card } from '@/components/ui'

interface SyncRun {
  status: 'running' | 'done' | 'failed'
  total: number
  done: number
  failed: number
}

export function BulkSync({ moedeloConnected }: { moedeloConnected: boolean }) {
  const { api, t } = useFrame()
  const queryClient = useQueryClient()
  const progress = useQuery({
    queryKey: ['bulk-sync'],
    queryFn: () => api<{ run: SyncRun | null }>('/api/portal/bulk-sync'),
    refetchInterval: (query) => (query.state.data?.run?.status === 'running' ? 1_000 : false),
  })
  const start = useMutation({
    mutationFn: () => api<{ run: SyncRun }>('/api/portal/bulk-sync', { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['bulk-sync'] }),
  })
  const run = progress.data?.run
  const percent = run && run.total > 0 ? Math.round(((run.done + run.failed) / run.total) * 100) : run?.status === 'done' ? 100 : 0

  return (
    <Card title={t('bulkSection')}>
      <p className="mb-4 text-sm text-base-800">{t('bulkHint')}</p>
      {run && (
        <div className="mb-4" data-testid="bulk-progress" data-status={run.status}>
          <div className="mb-1 flex justify-between text-xs text-base-800">
            <span>{run.status === 'running' ? t('bulkRunning') : t('bulkDone')}</span>
            <span>
              {run.done + run.failed} / {run.total}
              {run.failed > 0 && ` · ${run.failed} ${t('bulkFailedCount')}`}
            </span>
          </div>
          <div className="h-2 w-full overflow-hidden rounded-full bg-base-100" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
            <div className="h-full bg-primary transition-all" style={{ width: `${percent}%` }} />
          </div>
        </div>
      )}
      {progress.isError && <Alert tone="alert">{progress.error.message}</Alert>}
      {start.isError && <Alert tone="alert">{start.error.message}</Alert>}
      <Button busy={start.isPending || run?.status === 'running'} disabled={!moedeloConnected} onClick={() => start.mutate()}>
        {t('bulkStart')}
      </Button>
    </Card>
  )
}
