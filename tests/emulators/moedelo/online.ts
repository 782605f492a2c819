/**
 * The buyer's public bill page at the bill's `Online` path (`/bill/online/<token>`). MoeDelo serves it
 * on its web site (spec §4.4: the format is UNKNOWN); the emulator serves a plain HTML page with the
 * bill's number, date, lines and total so the sandbox's «счёт для покупателя» links lead somewhere.
 * No API key: the page is public, as MoeDelo's is.
 */
import type { DynamicRouter } from './dynamic-router'
import type { EmulatorContext } from './guard'
import type { BillRecord } from './state'

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

function page(bill: BillRecord, firmName: string): string {
  const rows = bill.Items.map(
    (i) => `<tr><td>${escape(i.Name)}</td><td>${escape(i.Count)} ${escape(i.Unit)}</td><td>${escape(i.Price)}</td><td>${escape(i.SumWithNds)}</td></tr>`,
  ).join('')
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Счёт № ${escape(bill.Number)}</title>
<style>body{font:14px/1.5 sans-serif;margin:40px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head>
<body><h1>Счёт на оплату № ${escape(bill.Number)} от ${escape(bill.DocDate)}</h1><p>Продавец: ${escape(firmName)}</p>
<table><tr><th>Наименование</th><th>Кол-во</th><th>Цена</th><th>Сумма</th></tr>${rows}</table>
<p><b>Итого: ${(Number(bill.sumKopecks) / 100).toFixed(2)} ₽</b>${bill.DeadLine ? ` · оплатить до ${escape(bill.DeadLine)}` : ''}</p></body></html>`
}

export function registerOnlineBillPage(router: DynamicRouter, ctx: EmulatorContext): void {
  router.add('GET', '/bill/online/:token', (_req, params) => {
    for (const firm of ctx.store.firms.values()) {
      for (const bill of firm.bills.values()) {
        if (bill.onlineToken === params.token) return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page(bill, firm.name) }
      }
    }
    return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><p>Счёт не найден.</p>' }
  })
}
