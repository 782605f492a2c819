'use client'
import { useQuery } from '@tanstack/react-query'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Badge, Button, Spinner } from '@/components/ui'

export interface JournalEntry {
  id: number
  at: string
  level: 'info' | 'warning' | 'error'
  topic: string
  entityType: string | null
  entityId: string | null
  message: string
}

const levelTone = { info: 'secondary', warning: 'warning', error: 'alert' } as const

/** The sync journal, optionally for one CRM entity; newest first. */
export function JournalList({ entityType, entityId, emptyText }: { entityType?: string; entityId?: string; emptyText: string }) {
  const { api, t, lang } = useFrame()
  const params = new URLSearchParams()
  if (entityType) params.set('entityType', entityType)
  if (entityId) params.set('entityId', entityId)
  const query = useQuery({
    queryKey: ['journal', entityType, entityId],
    queryFn: () => api<{ entries: JournalEntry[] }>(`/api/portal/journal?${params.toString()}`),
    refetchInterval: 15_000,
  })

  if (query.isPending) return <Spinner label={t('loading')} />
  if (query.isError)
    return (
      <Alert tone="alert">
        {query.error.message}{' '}
        <Button tone="secondary" onClick={() => void query.refetch()}>
          {t('retry')}
        </Button>
      </Alert>
    )
  if (query.data.entries.length === 0) return <p className="text-sm text-base-700">{emptyText}</p>

  const format = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' })
  return (
    <table className="w-full text-left text-sm" data-testid="journal">
      <thead className="text-xs uppercase text-base-700">
        <tr>
          <th className="py-2 pr-4 font-semibold">{t('journalWhen')}</th>
          <th className="py-2 font-semibold">{t('journalWhat')}</th>
        </tr>
      </thead>
      <tbody>
        {query.data.entries.map((entry) => (
          <tr key={entry.id} className="border-t border-base-100 align-top">
            <td className="whitespace-nowrap py-2 pr-4 text-base-800">{format.format(new Date(entry.at))}</td>
            <td className="py-2">
              {entry.level !== 'info' && (
                <Badge tone={levelTone[entry.level]}>{entry.level === 'error' ? '!' : '⚠'}</Badge>
              )}{' '}
              {entry.message}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
