/**
 * A small page for people trying the sandbox (`GET /__emulator/ui`): every firm's bills with their
 * payments, and buttons that do what an accountant does in MoeDelo — a bank receipt for the bill
 * («Оплатить»: the same import as the control route, type 16 linked to the bill), «Отметить
 * оплаченным» (Status 6 set by hand, no payment document) and «Удалить счёт». Test-only, not MoeDelo.
 */
import type { EmulatorResponse, Router } from '../shared/http'
import { billStatus, BILL_STATUS, deleteBill, importPayment, kopecksToNumber, paidKopecks } from './bills'
import type { EmulatorContext } from './guard'
import type { BillRecord, FirmState } from './state'

export const UI_PATH = '/ui'
const PAGE = `/__emulator${UI_PATH}`

const h = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const rub = (k: bigint) => `${kopecksToNumber(k).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')}\u00a0₽`

const STATUS_RU: Record<number, string> = {
  [BILL_STATUS.notPaid]: 'Не оплачен',
  [BILL_STATUS.partiallyPaid]: 'Оплачен частично',
  [BILL_STATUS.paid]: 'Оплачен',
}

function billRow(firm: FirmState, bill: BillRecord): string {
  const paid = paidKopecks(firm, bill.Id)
  const due = bill.sumKopecks > paid ? bill.sumKopecks - paid : 0n
  const payments = [...firm.payments.values()]
    .flatMap((p) => p.links.filter((l) => l.billId === bill.Id).map((l) => `№ ${h(p.Number)} от ${h(p.Date)}: ${rub(l.sumKopecks)}`))
    .join('<br>')
  const hidden = `<input type="hidden" name="firm" value="${h(firm.apiKey)}"><input type="hidden" name="billId" value="${bill.Id}">`
  const kontragent = firm.kontragents.get(bill.KontragentId)?.Name ?? bill.KontragentId
  return `<tr data-bill="${bill.Id}">
<td>№ ${h(bill.Number)} от ${h(bill.DocDate)}<div class="meta">id ${bill.Id}${bill.DeadLine ? `, оплатить до ${h(bill.DeadLine)}` : ''}</div></td>
<td>${h(kontragent)}</td><td class="num">${rub(bill.sumKopecks)}</td><td class="num">${rub(paid)}</td>
<td>${h(STATUS_RU[billStatus(firm, bill)] ?? billStatus(firm, bill))}${bill.manualStatus !== null ? ' (вручную)' : ''}</td>
<td>${payments || '—'}</td>
<td>
<form method="post" action="${PAGE}/pay">${hidden}<input name="sum" value="${kopecksToNumber(due || bill.sumKopecks).toFixed(2)}" size="10" aria-label="Сумма">
<input name="date" type="date" aria-label="Дата платежа"><button>Оплатить</button></form>
<form method="post" action="${PAGE}/mark-paid">${hidden}<button>Отметить оплаченным</button></form>
<form method="post" action="${PAGE}/delete" onsubmit="return confirm('Удалить счёт?')">${hidden}<button>Удалить счёт</button></form>
</td></tr>`
}

function page(ctx: EmulatorContext, message?: string): string {
  const firms = [...ctx.store.firms.values()]
    .map((firm) => {
      const bills = [...firm.bills.values()].sort((a, b) => b.Id - a.Id)
      const rows = bills.length
        ? bills.map((b) => billRow(firm, b)).join('')
        : '<tr><td colspan="7">Счетов пока нет — выставьте счёт из сделки в Битрикс24.</td></tr>'
      return `<h2>${h(firm.name)}</h2><p class="meta">md-api-key: ${h(firm.apiKey)}</p>
<table><thead><tr><th>Счёт</th><th>Контрагент</th><th>Сумма</th><th>Оплачено</th><th>Статус</th><th>Платежи</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    })
    .join('')
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Эмулятор «Моё дело»: счета</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#333}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e0e4e8;padding:6px 8px;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}
.meta{color:#8a939c;font-size:12px}form{display:inline-block;margin:2px 4px 2px 0}.note{background:#eef8e6;padding:8px 12px}</style></head>
<body><h1>Эмулятор «Моё дело»: счета и оплаты</h1>
<p class="meta">Здесь можно сделать то, что делает бухгалтер: провести оплату по счёту из банковской выписки, отметить счёт оплаченным вручную или удалить его. Приложение узнает об этом при следующем опросе «Моё дело».</p>
${message ? `<p class="note">${h(message)}</p>` : ''}${firms}</body></html>`
}

const html = (body: string, status = 200): EmulatorResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body })
const backTo = (message: string): EmulatorResponse => ({ status: 303, headers: { location: `${PAGE}?done=${encodeURIComponent(message)}` } })

export function registerUiRoutes(control: Router, ctx: EmulatorContext): void {
  const target = (body: Record<string, unknown> | undefined): { firm: FirmState; bill: BillRecord } | undefined => {
    const firm = ctx.store.firms.get(String(body?.firm ?? ''))
    const bill = firm?.bills.get(Number(body?.billId))
    return firm && bill ? { firm, bill } : undefined
  }
  control
    .add('GET', UI_PATH, (req) => html(page(ctx, typeof req.query.done === 'string' ? req.query.done : undefined)))
    .add('POST', `${UI_PATH}/pay`, (req) => {
      const found = target(req.body)
      if (!found) return html(page(ctx, 'Счёт не найден.'), 404)
      const sum = String(req.body?.sum ?? '').replace(',', '.').replace(/\s/g, '')
      const date = String(req.body?.date ?? '')
      const result = importPayment(ctx, found.firm, { Sum: sum, BillId: found.bill.Id, ...(date ? { Date: date } : {}) })
      if ('error' in result) return html(page(ctx, `Оплата не проведена: ${result.error}`), 400)
      return backTo(`Оплата № ${result.payment.Number} на ${rub(result.payment.sumKopecks)} проведена по счёту № ${found.bill.Number}.`)
    })
    .add('POST', `${UI_PATH}/mark-paid`, (req) => {
      const found = target(req.body)
      if (!found) return html(page(ctx, 'Счёт не найден.'), 404)
      // What a client's PUT with Status 6 does: honoured until the next payment event, and the bill is modified.
      found.bill.manualStatus = BILL_STATUS.paid
      found.bill.modifyDate = ctx.clock.now()
      return backTo(`Счёт № ${found.bill.Number} отмечен оплаченным вручную (без платёжного документа).`)
    })
    .add('POST', `${UI_PATH}/delete`, (req) => {
      const found = target(req.body)
      if (!found) return html(page(ctx, 'Счёт не найден.'), 404)
      deleteBill(found.firm, found.bill.Id)
      return backTo(`Счёт № ${found.bill.Number} удалён.`)
    })
}
