'use client'
/** The «Счета» card of the deal tab: the list (polled while a request runs) and the create/repeat actions. */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Button, Card, Spinner } from '@/components/ui'
import { InvoiceComposer } from './invoice-composer'
import { InvoiceList } from './invoice-list'
import { invoicesPath, type DealInvoices, type InvoiceKind } from './invoice-types'

const POLL_WHILE_RUNNING_MS = 1_500

export function InvoicesPanel({ dealId, openOnStart }: { dealId: string; openOnStart?: InvoiceKind }) {
  const { api, t } = useFrame()
  const [composing, setComposing] = useState<InvoiceKind | null>(openOnStart ?? null)
  const [justSent, setJustSent] = useState(false)
  const invoices = useQuery({
    queryKey: ['invoices', dealId],
    queryFn: () => api<DealInvoices>(invoicesPath(dealId)),
    refetchInterval: (query) => (query.state.data?.inFlight ? POLL_WHILE_RUNNING_MS : false),
  })
  const busy = invoices.data?.inFlight ?? false
  const actions = (
    <div className="flex gap-2">
      <Button data-testid="issue-invoice" disabled={busy || composing !== null} onClick={() => setComposing('new')}>
        {t('issueInvoice')}
      </Button>
      {invoices.data?.canRepeat && (
        <Button tone="secondary" data-testid="repeat-invoice" disabled={busy || composing !== null} onClick={() => setComposing('repeat')}>
          {t('repeatInvoice')}
        </Button>
      )}
    </div>
  )
  return (
    <Card title={t('invoicesTitle')} actions={actions}>
      <div className="space-y-4">
        {composing && (
          <InvoiceComposer
            key={composing}
            dealId={dealId}
            kind={composing}
            onClose={() => setComposing(null)}
            onSent={() => {
              setComposing(null)
              setJustSent(true)
            }}
          />
        )}
        {justSent && busy && <Alert tone="info">{t('invoiceQueued')}</Alert>}
        {invoices.isPending && <Spinner label={t('loading')} />}
        {invoices.isError && <Alert tone="alert">{invoices.error.message}</Alert>}
        {invoices.data && <InvoiceList dealId={dealId} invoices={invoices.data.invoices} />}
      </div>
    </Card>
  )
}
