'use client'
/** The company card tab «Расчёты»: the company as the viewing user sees it, and the app's record of it. */
import { useQuery } from '@tanstack/react-query'
import { FrameStatusBadge, useFrame } from '@/components/frame/frame-context'
import { usePortalStatus } from '@/components/frame/use-portal-status'
import { JournalList } from '@/components/journal/journal-list'
import { Alert, Card, Spinner } from '@/components/ui'
import { CounterpartyCard } from './counterparty-card'
import { RequisiteCheck } from './requisite-check'

export function CompanyTab({ companyId }: { companyId: string }) {
  const { frame, t } = useFrame()
  const status = usePortalStatus()
  const company = useQuery({
    queryKey: ['b24', 'company', companyId],
    enabled: frame.state === 'ready',
    queryFn: async () => {
      if (frame.state !== 'ready') throw new Error('frame not ready')
      const result = await frame.b24.actions.v2.call.make<{ ID: string; TITLE: string }>({ method: 'crm.company.get', params: { id: companyId } })
      if (!result.isSuccess) throw new Error(result.getErrorMessages().join('; '))
      return result.getData()!.result
    },
  })

  return (
    <main className="space-y-4 p-4" data-testid="company-tab" data-company-id={companyId}>
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">
          {t('companyTabTitle')} · {company.data?.TITLE ?? `${t('companyLabel')} #${companyId}`}
        </h1>
        <FrameStatusBadge />
      </div>
      {status.data && !status.data.moedelo.connected && <Alert tone="warning">{t('moedeloNotConnected')}</Alert>}
      {company.isPending && frame.state !== 'failed' && <Spinner label={t('loading')} />}
      {company.isError && <Alert tone="alert">{company.error.message}</Alert>}
      <RequisiteCheck companyId={companyId} />
      <CounterpartyCard companyId={companyId} />
      <Card title={t('dealActivity')}>
        <JournalList entityType="company" entityId={companyId} emptyText={t('noActivity')} />
      </Card>
    </main>
  )
}
