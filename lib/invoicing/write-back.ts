/**
 * An issued bill back into the deal: number, date, sum, MoeDelo id and the buyer's link in the deal's
 * user fields, the PDF in the file field, and a timeline comment «Выставлен счёт № … на сумму …» with
 * the PDF (or the link, saying the PDF could not be had). Safe to run again: the fields are set to
 * the same values, and the comment is written once (a retry that may have written it looks first).
 */
import type { Database } from '@/db'
import { UF } from '@/lib/bitrix24/app-manifest'
import type { Bitrix24Client } from '@/lib/bitrix24/client'
import { config } from '@/lib/config'
import { takeOnce } from '@/lib/counterparties/store'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import type { MoeDeloClient } from '@/lib/moedelo'
import { updateInvoice, type InvoiceRow } from './store'

/** The buyer's public page of the bill: MoeDelo's web address + the bill's `Online` path (spec §4.4). */
export function onlineUrlOf(onlinePath: string | null): string | null {
  if (!onlinePath) return null
  if (/^https?:\/\//i.test(onlinePath)) return onlinePath
  return `${config().MOEDELO_WEB_URL.replace(/\/+$/, '')}/${onlinePath.replace(/^\/+/, '')}`
}

export const pdfFileName = (number: string) => `Счёт № ${number.replace(/[\\/:*?"<>|]/g, '-')}.pdf`

interface TimelineComment {
  ID: string | number
  COMMENT?: string | null
}

/** Was this invoice's comment already written by an attempt that crashed before recording it? */
async function commentAlreadyThere(bitrix: Bitrix24Client, dealId: number, marker: string): Promise<boolean> {
  const comments = await bitrix.call<TimelineComment[]>('crm.timeline.comment.list', {
    filter: { ENTITY_ID: dealId, ENTITY_TYPE: 'deal' },
    select: ['ID', 'COMMENT'],
    order: { ID: 'DESC' },
  })
  return (Array.isArray(comments) ? comments : []).some((c) => String(c.COMMENT ?? '').includes(marker))
}

export async function writeInvoiceToDeal(db: Database, clients: { bitrix: Bitrix24Client; moedelo: MoeDeloClient }, invoice: InvoiceRow): Promise<InvoiceRow> {
  if (invoice.dealWrittenAt) return invoice
  if (!invoice.billId || !invoice.number || !invoice.docDate || !invoice.sum) throw new Error(`invoice ${invoice.id} has no bill to write back`)
  const { bitrix, moedelo } = clients
  const url = onlineUrlOf(invoice.onlinePath)
  const pdf = await moedelo.billPdf(invoice.billId)
  const file = 'pdf' in pdf ? ([pdfFileName(invoice.number), pdf.pdf.toString('base64')] as const) : null

  await bitrix.call('crm.deal.update', {
    id: invoice.dealId,
    fields: {
      [UF.dealInvoiceNo]: invoice.number,
      [UF.dealInvoiceDate]: invoice.docDate,
      [UF.dealInvoiceSum]: invoice.sum,
      [UF.dealBillId]: String(invoice.billId),
      [UF.dealInvoiceUrl]: url ?? '',
      ...(file ? { [UF.dealInvoicePdf]: { fileData: [...file] } } : {}),
    },
    params: { REGISTER_SONET_EVENT: 'N' },
  })

  const comment = invoiceMessages.issuedComment({
    number: invoice.number,
    docDate: invoice.docDate,
    deadline: invoice.deadline,
    sum: invoice.sum,
    url,
    pdfAttached: file !== null,
    repeat: invoice.trigger === 'repeat',
  })
  const marker = `счёт № ${invoice.number} от`
  const firstAttempt = await takeOnce(db, invoice.memberId, `invoice:${invoice.id}:comment`)
  if (firstAttempt || !(await commentAlreadyThere(bitrix, invoice.dealId, marker))) {
    await bitrix.call('crm.timeline.comment.add', {
      fields: { ENTITY_ID: invoice.dealId, ENTITY_TYPE: 'deal', COMMENT: comment, ...(file ? { FILES: [[...file]] } : {}) },
    })
  }
  return updateInvoice(db, invoice.memberId, invoice.id, { pdf: file ? 'attached' : 'unavailable', dealWrittenAt: new Date(), errorMessage: null })
}
