'use client'
import { FrameStatusBadge, useFrame } from '@/components/frame/frame-context'
import { JournalList } from '@/components/journal/journal-list'
import { Alert, Card } from '@/components/ui'
import { MoeDeloConnection } from './moedelo-connection'
import { PipelineSettings } from './pipeline-settings'
import { BulkSync } from './bulk-sync'
import { CatalogSync } from './catalog-sync'
import { RegistryConnection } from './registry-connection'
import { usePortalStatus } from '@/components/frame/use-portal-status'

export function AdminApp({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useFrame()
  const status = usePortalStatus()
  return (
    <main className="mx-auto max-w-[960px] space-y-5 p-5" data-testid="admin-app">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">
          {t('appTitle')} · {t('settingsTitle')}
        </h1>
        <FrameStatusBadge />
      </div>
      {isAdmin ? (
        <>
          <MoeDeloConnection />
          <BulkSync moedeloConnected={Boolean(status.data?.moedelo.connected)} />
          <CatalogSync moedeloConnected={Boolean(status.data?.moedelo.connected)} />
          <RegistryConnection />
          <PipelineSettings />
        </>
      ) : (
        <Alert tone="warning">{t('adminOnly')}</Alert>
      )}
      {isAdmin && (
        <Card title={t('journalSection')}>
          <JournalList emptyText={t('journalEmpty')} />
        </Card>
      )}
    </main>
  )
}
