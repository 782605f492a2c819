'use client'
/**
 * The deal card tab «Счета и оплаты». Deal data is read in the browser through the Bitrix24 frame
 * with the viewing user's own rights; the app's own data comes from our API.
 */
import { useQuery } from '@tanstack/react-query'
import { FrameStatusBadge, useFrame } from '@/components/frame/frame-context'
import { JournalList } from '@/components/journal/journal-list'
import { Alert, Card, Spinner } from '@/components/ui'
import { usePortalStatus } from '@/components/frame/use-portal-status'
import { InvoicesPanel } from './invoices-panel'

interface DealFields {
  ID: string
  TITLE: string
  STAGE_ID: string
  CATEGORY_ID: string
  OPPORTUNITY: string
  CURRENCY_ID: string
}

export function DealTab({ dealId, openOnStart }: { dealId: string; openOnStart?: 'new' }) {
  const { frame, t, lang } = useFrame()
  const status = usePortalStatus()
  const deal = useQuery({
    queryKey: ['b24', 'deal', dealId],
    enabled: frame.state === 'ready',
    queryFn: async () => {
      if (frame.state !== 'ready') throw new Error('frame not ready')
      const result = await frame.b24.actions.v2.call.make<DealFields>({ method: 'crm.deal.get', params: { id: dealId } })
      if (!result.isSuccess) throw new Error(result.getErrorMessages().join('; '))
      return result.getData()!.result
    },
  })
  const stageName = useQuery({
    queryKey: ['b24', 'stage', deal.data?.CATEGORY_ID, deal.data?.STAGE_ID],
    enabled: frame.state === 'ready' && Boolean(deal.data),
    queryFn: async () => {
      if (frame.state !== 'ready' || !deal.data) throw new Error('frame not ready')
      const category = Number(deal.data.CATEGORY_ID)
      const result = await frame.b24.actions.v2.call.make<{ NAME: string }[]>({
        method: 'crm.status.list',
        params: { filter: { ENTITY_ID: category > 0 ? `DEAL_STAGE_${category}` : 'DEAL_STAGE', STATUS_ID: deal.data.STAGE_ID } },
      })
      return result.getData()?.result[0]?.NAME ?? deal.data.STAGE_ID
    },
  })
  const money = (amount: string, currency: string) =>
    new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency: currency || 'RUB' }).format(Number(amount))

  return (
    <main className="space-y-4 p-4" data-testid="deal-tab" data-deal-id={dealId}>
      <div className="flex items-center justify-between">
        <h1 className="text-lg font-semibold">
          {t('dealTabTitle')} · {t('dealLabel')} #{dealId}
        </h1>
        <FrameStatusBadge />
      </div>
      {status.data && !status.data.moedelo.connected && <Alert tone="warning">{t('moedeloNotConnected')}</Alert>}
      <Card>
        {deal.isPending && frame.state !== 'failed' && <Spinner label={t('loading')} />}
        {deal.isError && <Alert tone="alert">{deal.error.message}</Alert>}
        {deal.data && (
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="text-base-700">{t('dealLabel')}</dt>
            <dd data-testid="deal-title">{deal.data.TITLE}</dd>
            <dt className="text-base-700">{t('dealStage')}</dt>
            <dd data-testid="deal-stage">{stageName.data ?? deal.data.STAGE_ID}</dd>
            <dt className="text-base-700">{t('dealAmount')}</dt>
            <dd>{money(deal.data.OPPORTUNITY, deal.data.CURRENCY_ID)}</dd>
          </dl>
        )}
      </Card>
      {status.data?.moedelo.connected && <InvoicesPanel dealId={dealId} openOnStart={openOnStart} />}
      <Card title={t('dealActivity')}>
        <JournalList entityType="deal" entityId={dealId} emptyText={t('noActivity')} />
      </Card>
    </main>
  )
}
