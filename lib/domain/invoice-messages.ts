/**
 * What the manager is told about an invoice in progress: the deal tab, the deal's timeline and
 * notifications. Plain Russian, never an API code.
 */
import { ddmmyyyy, dealLink, moneyTextRu } from './messages'

export interface IssuedInvoiceText {
  number: string
  docDate: string
  deadline: string | null
  sum: string
  url: string | null
  pdfAttached: boolean
  repeat: boolean
}

export const invoiceMessages = {
  /** The timeline comment written with the PDF. */
  issuedComment(i: IssuedInvoiceText): string {
    const lines = [
      `${i.repeat ? 'Выставлен повторный счёт' : 'Выставлен счёт'} № ${i.number} от ${ddmmyyyy(i.docDate)} на сумму ${moneyTextRu(i.sum)}.`,
    ]
    if (i.deadline) lines.push(`Оплатить до ${ddmmyyyy(i.deadline)}.`)
    if (i.url) lines.push(`Счёт для покупателя: ${i.url}`)
    if (!i.pdfAttached) {
      lines.push(i.url ? 'PDF счёта получить из «Моё дело» не удалось — откройте счёт по ссылке выше.' : 'PDF счёта получить из «Моё дело» не удалось — откройте счёт в «Моё дело».')
    }
    return lines.join('\n')
  },
  /** A stage trigger found problems: the notification to the responsible manager. */
  rejectedNotification(dealId: number, dealTitle: string, problems: readonly string[]): string {
    return `Счёт по сделке ${dealLink(dealId, dealTitle)} (№${dealId}) не выставлен:\n${problems.map((p) => `• ${p}`).join('\n')}\nИсправьте и верните сделку на стадию выставления счёта или нажмите «Выставить счёт» на вкладке «Счета и оплаты».`
  },
  rejectedComment: (problems: readonly string[]): string =>
    `Счёт в «Моё дело» не выставлен:\n${problems.map((p) => `• ${p}`).join('\n')}`,
  /** MoeDelo refused the bill (its own validation): the reason in plain words. */
  refusedComment: (reason: string): string => `«Моё дело» не приняло счёт: ${reason}`,
  refusedNotification: (dealId: number, dealTitle: string, reason: string): string =>
    `Счёт по сделке «${dealTitle}» (№${dealId}) не выставлен: «Моё дело» не приняло его. ${reason}`,
  waiting: 'Сервис «Моё дело» сейчас не отвечает. Счёт будет выставлен, когда сервис ответит — ничего повторять не нужно.',
  waitingBitrix: 'Битрикс24 сейчас не отвечает. Счёт будет выставлен, когда связь восстановится — ничего повторять не нужно.',
  notConnected: 'Приложение не подключено к «Моё дело»: администратор портала может подключить его на странице настроек приложения.',
  dealGone: 'Сделка удалена — счёт не выставлен.',
  nothingToRepeat: 'По этой сделке ещё нет выставленного счёта — повторять нечего. Нажмите «Выставить счёт».',
  sourceBillGone: (number: string): string =>
    `Счёт № ${number} удалён в «Моё дело», поэтому его нельзя повторить. Выставьте новый счёт.`,
  inFlight: 'Счёт по этой сделке уже выставляется — дождитесь результата.',
  counterpartyNotLinked: (title: string, reason: string): string =>
    `Не удалось найти или создать контрагента «${title}» в «Моё дело»: ${reason}`,
  alreadyInvoiced: (number: string): string => `По сделке уже выставлен счёт № ${number}: при переходе на стадию новый не выставляется.`,
} as const
