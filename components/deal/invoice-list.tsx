'use client'
/** The deal's invoices: number, date, sum, status, paid amount, PDF and link, receipts, problems. */
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Badge } from '@/components/ui'
import type { UiKey } from '@/lib/i18n/ui'
import { invoicesPath, type InvoiceView } from './invoice-types'
import { dateText, moneyText } from './money'

type Tone = 'primary' | 'secondary' | 'success' | 'alert' | 'warning'

function statusOf(invoice: InvoiceView): { key: UiKey; tone: Tone } {
  switch (invoice.state) {
    case 'queued':
      return { key: 'statusQueued', tone: 'primary' }
    case 'creating':
      return { key: 'statusCreating', tone: 'primary' }
    case 'waiting':
      return { key: 'statusWaiting', tone: 'warning' }
    case 'rejected':
      return { key: 'statusRejected', tone: 'alert' }
    case 'failed':
      return { key: 'statusFailed', tone: 'alert' }
    case 'cancelled':
      return { key: 'statusCancelled', tone: 'secondary' }
    default:
      if (invoice.payment === 'paid') return { key: 'statusPaid', tone: 'success' }
      if (invoice.payment === 'partially_paid') return { key: 'statusPartial', tone: 'warning' }
      return { key: 'statusUnpaid', tone: 'secondary' }
  }
}

function InvoiceRow({ dealId, invoice }: { dealId: string; invoice: InvoiceView }) {
  const { t, lang, linkWithSession } = useFrame()
  const status = statusOf(invoice)
  return (
    <li className="space-y-2 py-3" data-testid="invoice" data-invoice-id={invoice.id} data-state={invoice.state}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <span className="font-semibold" data-testid="invoice-number">
          {invoice.number ? `№ ${invoice.number}` : t('issueInvoice')}
        </span>
        {invoice.docDate && <span>{dateText(invoice.docDate, lang)}</span>}
        {invoice.sum && <span data-testid="invoice-sum">{moneyText(invoice.sum, lang)}</span>}
        <Badge tone={status.tone} testId="invoice-status">
          {t(status.key)}
        </Badge>
        {invoice.overdueDays !== null && (
          <Badge tone="alert" testId="invoice-overdue">
            {t('overdueDays')} {invoice.overdueDays}
          </Badge>
        )}
        {invoice.state === 'created' && (
          <span className="text-base-700">
            {t('colPaid')}: <span data-testid="invoice-paid">{moneyText(invoice.paidSum, lang)}</span>
            {invoice.payment === 'partially_paid' && invoice.due && (
              <>
                {' · '}
                {t('dueLeft')} <span data-testid="invoice-due">{moneyText(invoice.due, lang)}</span>
              </>
            )}
          </span>
        )}
        {invoice.deadline && invoice.state === 'created' && (
          <span className="text-base-700">
            {t('payUntil')} {dateText(invoice.deadline, lang)}
          </span>
        )}
      </div>
      {(invoice.state === 'created' || invoice.state === 'cancelled') && (
        <div className="flex flex-wrap gap-4 text-sm">
          {invoice.pdf === 'attached' ? (
            <a className="text-primary underline" data-testid="invoice-pdf" target="_blank" rel="noreferrer" href={linkWithSession(`${invoicesPath(dealId)}/${invoice.id}/pdf`)}>
              {t('openPdf')}
            </a>
          ) : (
            invoice.pdf === 'unavailable' && <span className="text-base-700">{t('pdfUnavailable')}</span>
          )}
          {invoice.url && (
            <a className="text-primary underline" data-testid="invoice-link" target="_blank" rel="noreferrer" href={invoice.url}>
              {t('openInMoedelo')}
            </a>
          )}
        </div>
      )}
      {invoice.receipts.length > 0 && (
        <div className="text-sm" data-testid="invoice-receipts">
          <div className="text-base-700">{t('receipts')}</div>
          <ul className="list-disc pl-5">
            {invoice.receipts.map((r, i) => (
              <li key={`${r.number ?? ''}-${i}`}>
                {r.manual ? t('markedPaidByHand') : `№ ${r.number ?? '—'} · ${dateText(r.date, lang)}`} · {moneyText(r.sum, lang)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {invoice.message && <Alert tone={invoice.state === 'waiting' ? 'warning' : invoice.state === 'failed' ? 'alert' : 'info'}>{invoice.message}</Alert>}
      {invoice.problems.length > 0 && (
        <Alert tone="alert" testId="invoice-problems">
          <ul className="list-disc pl-5">
            {invoice.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
    </li>
  )
}

export function InvoiceList({ dealId, invoices }: { dealId: string; invoices: InvoiceView[] }) {
  const { t } = useFrame()
  if (invoices.length === 0) return <p className="text-sm text-base-700">{t('noInvoices')}</p>
  return (
    <ul className="divide-y divide-base-150" data-testid="invoice-list">
      {invoices.map((invoice) => (
        <InvoiceRow key={invoice.id} dealId={dealId} invoice={invoice} />
      ))}
    </ul>
  )
}
