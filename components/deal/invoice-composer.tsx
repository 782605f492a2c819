'use client'
/**
 * «Выставить счёт» / «Повторить счёт»: shows what will be sent (or every problem that stops it) and
 * sends it. The request id is made once per opened preview, so a double click is one request.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useFrame } from '@/components/frame/frame-context'
import { Alert, Button, Spinner } from '@/components/ui'
import { invoicesPath, newRequestId, type InvoiceKind, type InvoicePreview, type PreviewResult } from './invoice-types'
import { dateText, moneyText } from './money'

function PreviewTable({ preview }: { preview: InvoicePreview }) {
  const { t, lang } = useFrame()
  const vat = (rate: 'none' | number) => (rate === 'none' ? t('vatNone') : `${rate}\u00A0%`)
  return (
    <div className="space-y-3 text-sm" data-testid="invoice-preview">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
        {preview.buyer && (
          <>
            <dt className="text-base-700">{t('buyer')}</dt>
            <dd>{preview.buyer}</dd>
          </>
        )}
        <dt className="text-base-700">{t('invoiceDate')}</dt>
        <dd>{dateText(preview.docDate, lang)}</dd>
        {preview.deadline && (
          <>
            <dt className="text-base-700">{t('payUntil')}</dt>
            <dd>{dateText(preview.deadline, lang)}</dd>
          </>
        )}
      </dl>
      <table className="w-full border-collapse">
        <thead>
          <tr className="border-b border-base-150 text-left text-base-700">
            <th className="py-1 pr-2 font-normal">{t('colItem')}</th>
            <th className="py-1 pr-2 text-right font-normal">{t('colQty')}</th>
            <th className="py-1 pr-2 text-right font-normal">{t('colPrice')}</th>
            <th className="py-1 pr-2 text-right font-normal">{t('colVat')}</th>
            <th className="py-1 text-right font-normal">{t('colSum')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.items.map((item, i) => (
            <tr key={`${item.name}-${i}`} className="border-b border-base-100" data-testid="preview-item">
              <td className="py-1 pr-2">{item.name}</td>
              <td className="py-1 pr-2 text-right">
                {item.quantity} {item.unit}
              </td>
              <td className="py-1 pr-2 text-right">{moneyText(item.price, lang)}</td>
              <td className="py-1 pr-2 text-right">{vat(item.vatRate)}</td>
              <td className="py-1 text-right">{moneyText(item.sum, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-col items-end gap-1">
        <div className="font-semibold" data-testid="preview-total">
          {t('total')}: {moneyText(preview.totals.sum, lang)}
        </div>
        <div className="text-base-700">
          {preview.vatMode === 'none' ? t('vatNone') : `${t(preview.vatMode === 'on_top' ? 'vatOnTopTotal' : 'vatIncludedTotal')}: ${moneyText(preview.totals.vat, lang)}`}
        </div>
      </div>
    </div>
  )
}

export function InvoiceComposer({ dealId, kind, onClose, onSent }: { dealId: string; kind: InvoiceKind; onClose: () => void; onSent: () => void }) {
  const { api, t } = useFrame()
  const queryClient = useQueryClient()
  const [requestId] = useState(newRequestId)
  const preview = useQuery({
    queryKey: ['invoice-preview', dealId, kind, requestId],
    queryFn: () => api<PreviewResult>(`${invoicesPath(dealId)}/preview?kind=${kind}`),
  })
  const send = useMutation({
    mutationFn: () => api<{ invoiceId: string }>(invoicesPath(dealId), { method: 'POST', body: JSON.stringify({ requestId, kind }) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['invoices', dealId] }),
    onSuccess: onSent,
  })
  const result = preview.data
  return (
    <div className="space-y-4 rounded-lg border border-primary/30 bg-base-50 p-4" data-testid="invoice-composer">
      <h3 className="font-semibold">
        {kind === 'new' ? t('previewNew') : `${t('previewRepeat')} ${result?.ok ? (result.preview.sourceNumber ?? '') : ''}`}
      </h3>
      {preview.isPending && <Spinner label={t('previewLoading')} />}
      {preview.isError && <Alert tone="alert">{preview.error.message}</Alert>}
      {result && !result.ok && (
        <Alert tone="alert" testId="invoice-check-problems">
          <p className="mb-1 font-semibold">{t('cannotIssue')}</p>
          <ul className="list-disc pl-5">
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      {result?.ok && <PreviewTable preview={result.preview} />}
      {send.isError && <Alert tone="alert">{send.error.message}</Alert>}
      <div className="flex gap-3">
        <Button data-testid="send-invoice" disabled={!result?.ok} busy={send.isPending} onClick={() => send.mutate()}>
          {t('sendInvoice')}
        </Button>
        <Button tone="secondary" onClick={onClose}>
          {t('cancel')}
        </Button>
      </div>
    </div>
  )
}
