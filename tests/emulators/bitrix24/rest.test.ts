/** REST conformance: routing, transports, envelopes, legacy vs crm.item types, errors, pagination. */
import qs from 'qs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, postForm, startInstalled, type Installed } from './test-helpers'

let t: Installed

beforeAll(async () => {
  t = await startInstalled({ rateLimit: { enabled: false } })
})
afterAll(async () => {
  await t.emu.close()
  await t.receiver.close()
})

describe('routing and transports', () => {
  it('accepts /rest//method (SDK double slash), .json suffix, and any case of the method name', async () => {
    const a = await call(t.emu, 'crm.deal.get', { id: 1 }, t.token)
    expect(a.status).toBe(200)
    const b = await fetch(`${t.emu.url}/rest/CRM.Deal.Get.json?id=1&auth=${t.token}`)
    expect(b.status).toBe(200)
    expect(((await b.json()) as any).result.ID).toBe('1')
  })

  it('reads params and auth from a PHP-bracket form body and from the query string', async () => {
    const form = qs.stringify({ filter: { '>ID': 1, '@STAGE_ID': ['NEW', 'EXECUTING'] }, select: ['ID', 'STAGE_ID'], auth: t.token })
    const a = await postForm(`${t.emu.url}/rest/crm.deal.list`, form)
    expect(a.status).toBe(200)
    expect(a.body.result.every((d: any) => ['NEW', 'EXECUTING'].includes(d.STAGE_ID) && Number(d.ID) > 1)).toBe(true)
    expect(Object.keys(a.body.result[0]).sort()).toEqual(['ID', 'STAGE_ID'])
    const q = await fetch(`${t.emu.url}/rest/crm.deal.list?${qs.stringify({ filter: { ID: 2 }, auth: t.token })}`)
    expect(((await q.json()) as any).result.map((d: any) => d.ID)).toEqual(['2'])
  })

  it('answers CORS preflight and sets Access-Control-Allow-Origin', async () => {
    const pre = await fetch(`${t.emu.url}/rest/crm.deal.get`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(pre.status).toBe(200)
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
  })

  it('supports inbound webhooks /rest/<userId>/<secret>/<method>', async () => {
    const hook = t.emu.addWebhook(1)
    const ok = await fetch(`${hook}profile`)
    expect(((await ok.json()) as any).result.ID).toBe('1')
    const bad = await fetch(`${t.emu.url}/rest/1/wrongsecret/profile`)
    expect(bad.status).toBe(401)
    expect(((await bad.json()) as any).error).toBe('NO_AUTH_FOUND')
    // event.bind requires an application context
    const bind = await fetch(`${hook}event.bind?event=ONCRMDEALADD&handler=http://x.example/`)
    expect(bind.status).toBe(403)
  })
})

describe('envelope and types', () => {
  it('wraps results with result + time{…}', async () => {
    const a = await call(t.emu, 'profile', {}, t.token)
    expect(a.body.result).toMatchObject({ ID: '1', ADMIN: true, NAME: 'Администратор', LAST_NAME: 'Портала' })
    expect(Object.keys(a.body.time).sort()).toEqual(
      ['date_finish', 'date_start', 'duration', 'finish', 'operating', 'operating_reset_at', 'processing', 'start'].sort(),
    )
    expect(a.body.time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/)
  })

  it('legacy crm.deal.get: strings, Y/N, upper-case keys, datetimes with offset', async () => {
    const { body } = await call(t.emu, 'crm.deal.get', { id: 1 }, t.token)
    const deal = body.result
    expect(deal).toMatchObject({ ID: '1', CATEGORY_ID: '0', STAGE_SEMANTIC_ID: 'P', OPENED: 'Y', CURRENCY_ID: 'RUB' })
    expect(deal.OPPORTUNITY).toMatch(/^\d+\.\d\d$/)
    expect(typeof deal.COMPANY_ID).toBe('string')
    expect(deal.DATE_MODIFY).toMatch(/\+03:00$/)
    expect(deal).toHaveProperty('UF_CRM_1721244482250')
  })

  it('crm.item.get: numbers, camelCase, {item} wrapper; NOT_FOUND error', async () => {
    const { body } = await call(t.emu, 'crm.item.get', { entityTypeId: 2, id: 1 }, t.token)
    expect(body.result.item).toMatchObject({ id: 1, categoryId: 0, stageId: 'PREPARATION', entityTypeId: 2 })
    expect(typeof body.result.item.opportunity).toBe('number')
    expect(body.result.item).toHaveProperty('ufCrm_1721244482250')
    const company = await call(t.emu, 'crm.item.get', { entityTypeId: 4, id: 1 }, t.token)
    expect(company.body.result.item.title).toBe('ООО «Яндекс»')
    const missing = await call(t.emu, 'crm.item.get', { entityTypeId: 2, id: 9999 }, t.token)
    expect(missing.status).toBe(400)
    expect(missing.body.error).toBe('NOT_FOUND')
  })

  it('legacy errors are HTTP 400 with an empty error code', async () => {
    const nf = await call(t.emu, 'crm.deal.get', { id: 9999 }, t.token)
    expect(nf).toEqual({ status: 400, body: { error: '', error_description: 'Not found' } })
    const bad = await call(t.emu, 'crm.deal.get', {}, t.token)
    expect(bad.body).toEqual({ error: '', error_description: 'ID is not defined or invalid.' })
    const fields = await call(t.emu, 'crm.deal.update', { id: 1, fields: 'x' }, t.token)
    expect(fields.body.error_description).toBe("Parameter 'fields' must be array.")
  })

  it('auth and method errors', async () => {
    expect((await call(t.emu, 'crm.deal.get', { id: 1 })).body.error).toBe('NO_AUTH_FOUND')
    const unknown = await call(t.emu, 'crm.deal.get', { id: 1 }, 'nonexistenttoken')
    expect(unknown.status).toBe(401)
    expect(unknown.body.error).toBe('NO_AUTH_FOUND')
    const nm = await call(t.emu, 'no.such.method', {}, t.token)
    expect(nm.status).toBe(404)
    expect(nm.body.error).toBe('ERROR_METHOD_NOT_FOUND')
    const hook = t.emu.addWebhook(1, 'crm')
    const scope = await fetch(`${hook}im.notify.system.add?USER_ID=1&MESSAGE=x`)
    expect(scope.status).toBe(403)
    expect(((await scope.json()) as any).error).toBe('insufficient_scope')
  })
})

describe('lists and pagination', () => {
  beforeAll(() => {
    for (let i = 0; i < 60; i++) t.emu.uiCreate('deal', { TITLE: `Массовая сделка ${i}`, STAGE_ID: 'C1:NEW' })
  })

  it('pages by 50 with total and next only when more', async () => {
    const first = await call(t.emu, 'crm.deal.list', { filter: { CATEGORY_ID: 1 }, select: ['ID'] }, t.token)
    expect(first.body.result).toHaveLength(50)
    expect(first.body.total).toBe(61)
    expect(first.body.next).toBe(50)
    const second = await call(t.emu, 'crm.deal.list', { filter: { CATEGORY_ID: 1 }, select: ['ID'], start: 50 }, t.token)
    expect(second.body.result).toHaveLength(11)
    expect(second.body).not.toHaveProperty('next')
  })

  it('start=-1 → total 0 and no next', async () => {
    const fast = await call(t.emu, 'crm.deal.list', { order: { ID: 'ASC' }, filter: { '>ID': 0 }, start: -1 }, t.token)
    expect(fast.body.total).toBe(0)
    expect(fast.body).not.toHaveProperty('next')
    expect(fast.body.result).toHaveLength(50)
  })

  it('filter prefixes, order and crm.item.list {items}', async () => {
    const r = await call(t.emu, 'crm.deal.list', { filter: { '!STAGE_ID': 'C1:NEW', '<=ID': 5 }, order: { ID: 'DESC' }, select: ['ID'] }, t.token)
    expect(r.body.result.map((d: any) => d.ID)).toEqual(['5', '3', '2', '1'])
    const items = await call(t.emu, 'crm.item.list', { entityTypeId: 2, filter: { '=categoryId': 0 }, select: ['id', 'title'] }, t.token)
    expect(items.body.result.items.every((i: any) => typeof i.id === 'number')).toBe(true)
    expect(items.body.total).toBe(4)
  })

  it('reference lists: stages, categories', async () => {
    const stages = await call(t.emu, 'crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE' } }, t.token)
    expect(stages.body.result.map((s: any) => s.STATUS_ID)).toEqual(['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE'])
    expect(stages.body.result.find((s: any) => s.STATUS_ID === 'WON')).toMatchObject({ SEMANTICS: 'S', EXTRA: { SEMANTICS: 'success' } })
    const c1 = await call(t.emu, 'crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE_1' } }, t.token)
    expect(c1.body.result[0].STATUS_ID).toBe('C1:NEW')
    const cats = await call(t.emu, 'crm.category.list', { entityTypeId: 2 }, t.token)
    expect(cats.body.result.categories.map((c: any) => [c.id, c.name, c.isDefault])).toEqual([
      [0, 'Общая', 'Y'],
      [1, 'Опт', 'N'],
    ])
  })
})

describe('stateful CRM methods', () => {
  it('stage change updates semantics, closes on WON and writes stage history', async () => {
    const deal = t.emu.uiCreate('deal', { TITLE: 'Стадии' })
    expect((await call(t.emu, 'crm.deal.update', { id: deal.ID, fields: { STAGE_ID: 'WON' } }, t.token)).body.result).toBe(true)
    const got = (await call(t.emu, 'crm.deal.get', { id: deal.ID }, t.token)).body.result
    expect(got).toMatchObject({ STAGE_ID: 'WON', STAGE_SEMANTIC_ID: 'S', CLOSED: 'Y' })
    const foreign = await call(t.emu, 'crm.deal.update', { id: deal.ID, fields: { STAGE_ID: 'C1:NEW' } }, t.token)
    expect(foreign.status).toBe(400)
    const history = await call(t.emu, 'crm.stagehistory.list', { entityTypeId: 2, filter: { OWNER_ID: deal.ID } }, t.token)
    expect(history.body.result.items.map((r: any) => r.STAGE_ID)).toEqual(['NEW', 'WON'])
  })

  it('user fields: add (prefixed, id result), validation, list, values incl. file fields', async () => {
    const add = await call(t.emu, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'ACC_INVOICE_NO', USER_TYPE_ID: 'string', LABEL: 'Номер счёта' } }, t.token)
    expect(typeof add.body.result).toBe('number')
    const dup = await call(t.emu, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'UF_CRM_ACC_INVOICE_NO', USER_TYPE_ID: 'string' } }, t.token)
    expect(dup.body.error).toBe('ERROR_CORE')
    const empty = await call(t.emu, 'crm.deal.userfield.add', { fields: { USER_TYPE_ID: 'string' } }, t.token)
    expect(empty.body).toEqual({ error: '', error_description: "The 'FIELD_NAME' field is not found." })
    const badName = await call(t.emu, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'счёт', USER_TYPE_ID: 'string' } }, t.token)
    expect(badName.body.error).toBe('ERROR_CORE')
    await call(t.emu, 'crm.deal.userfield.add', { fields: { FIELD_NAME: 'ACC_INVOICE_PDF', USER_TYPE_ID: 'file', LABEL: 'PDF' } }, t.token)
    const list = await call(t.emu, 'crm.deal.userfield.list', { filter: { FIELD_NAME: 'UF_CRM_ACC_INVOICE_NO', LANG: 'ru' } }, t.token)
    expect(list.body.result).toHaveLength(1)
    expect(list.body.result[0]).toMatchObject({ ENTITY_ID: 'CRM_DEAL', USER_TYPE_ID: 'string', EDIT_FORM_LABEL: 'Номер счёта', MULTIPLE: 'N' })

    const pdf = Buffer.from('%PDF-1.4 test').toString('base64')
    const upd = await call(t.emu, 'crm.deal.update', { id: 2, fields: { UF_CRM_ACC_INVOICE_NO: 'СЧ-42', UF_CRM_ACC_INVOICE_PDF: { fileData: ['act-42.pdf', pdf] } } }, t.token)
    expect(upd.body.result).toBe(true)
    const deal = (await call(t.emu, 'crm.deal.get', { id: 2 }, t.token)).body.result
    expect(deal.UF_CRM_ACC_INVOICE_NO).toBe('СЧ-42')
    expect(deal.UF_CRM_ACC_INVOICE_PDF).toMatchObject({ id: expect.any(Number), downloadUrl: expect.any(String) })
    const item = (await call(t.emu, 'crm.item.get', { entityTypeId: 2, id: 2 }, t.token)).body.result.item
    expect(item.ufCrmAccInvoiceNo).toBe('СЧ-42')
    expect(item.ufCrmAccInvoicePdf).toMatchObject({ id: expect.any(Number), url: expect.any(String), urlMachine: expect.any(String) })
    const file = await fetch(`${item.ufCrmAccInvoicePdf.urlMachine}&auth=${t.token}`)
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 test')
  })

  it('companies, requisites (RU preset) and addresses', async () => {
    const id = (await call(t.emu, 'crm.company.add', { fields: { TITLE: 'ООО «Альфа»', PHONE: [{ VALUE: '+7 900 000-00-00', VALUE_TYPE: 'WORK' }] } }, t.token)).body.result
    expect(typeof id).toBe('number')
    const company = (await call(t.emu, 'crm.company.get', { id }, t.token)).body.result
    expect(company).toMatchObject({ TITLE: 'ООО «Альфа»', HAS_PHONE: 'Y', PHONE: [{ VALUE: '+7 900 000-00-00', VALUE_TYPE: 'WORK', TYPE_ID: 'PHONE' }] })
    const presets = (await call(t.emu, 'crm.requisite.preset.list', {}, t.token)).body.result
    expect(presets[0]).toMatchObject({ ID: '1', NAME: 'Организация', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#' })
    const rq = await call(t.emu, 'crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: id, PRESET_ID: 1, NAME: 'Организация', RQ_INN: '7728168971', RQ_KPP: '770801001' } }, t.token)
    expect(typeof rq.body.result).toBe('number')
    const bad = await call(t.emu, 'crm.requisite.add', { fields: { ENTITY_TYPE_ID: 9, ENTITY_ID: id, PRESET_ID: 1, NAME: 'x' } }, t.token)
    expect(bad.body).toEqual({ error: '', error_description: 'ENTITY_TYPE_ID is not defined or invalid.' })
    expect((await call(t.emu, 'crm.address.add', { fields: { TYPE_ID: 6, ENTITY_TYPE_ID: 8, ENTITY_ID: rq.body.result, CITY: 'Москва' } }, t.token)).body.result).toBe(true)
    const byInn = await call(t.emu, 'crm.requisite.list', { filter: { RQ_INN: '7728168971' } }, t.token)
    expect(byInn.body.result[0]).toMatchObject({ ENTITY_TYPE_ID: '4', ENTITY_ID: String(id) })
    const addr = await call(t.emu, 'crm.address.list', { filter: { ENTITY_TYPE_ID: 8, ENTITY_ID: rq.body.result } }, t.token)
    expect(addr.body.result[0]).toMatchObject({ TYPE_ID: '6', CITY: 'Москва' })
  })

  it('product rows: VAT included / none, set recalculates OPPORTUNITY', async () => {
    const rows = (await call(t.emu, 'crm.deal.productrows.get', { id: 3 }, t.token)).body.result
    expect(rows[0]).toMatchObject({ OWNER_ID: '3', OWNER_TYPE: 'D', TAX_RATE: null, PRICE: 3000, QUANTITY: 8 })
    const deal = t.emu.uiCreate('deal', { TITLE: 'Строки' })
    await call(t.emu, 'crm.deal.productrows.set', { id: deal.ID, rows: [{ PRODUCT_NAME: 'Услуга', PRICE: 1220, QUANTITY: 2, TAX_RATE: 22, TAX_INCLUDED: 'Y' }] }, t.token)
    const got = (await call(t.emu, 'crm.deal.get', { id: deal.ID }, t.token)).body.result
    expect(got.OPPORTUNITY).toBe('2440.00')
    expect(got.TAX_VALUE).toBe('440.00')
  })

  it('timeline comments with files, log messages, notifications with TAG replacement', async () => {
    const id = (await call(t.emu, 'crm.timeline.comment.add', { fields: { ENTITY_ID: 1, ENTITY_TYPE: 'deal', COMMENT: 'Счёт выставлен', FILES: [['a.txt', Buffer.from('hi').toString('base64')]] } }, t.token)).body.result
    expect(typeof id).toBe('number')
    const empty = await call(t.emu, 'crm.timeline.comment.add', { fields: { ENTITY_ID: 1, ENTITY_TYPE: 'deal', COMMENT: '' } }, t.token)
    expect(empty.body.error).toBe('INVALID_ARG_VALUE')
    const owner = await call(t.emu, 'crm.timeline.comment.add', { fields: { ENTITY_ID: 999, ENTITY_TYPE: 'deal', COMMENT: 'x' } }, t.token)
    expect(owner.body.error).toBe('OWNER_NOT_FOUND')
    const list = await call(t.emu, 'crm.timeline.comment.list', { filter: { ENTITY_ID: 1, ENTITY_TYPE: 'deal' } }, t.token)
    expect(list.body.result[0]).toMatchObject({ COMMENT: 'Счёт выставлен', ENTITY_TYPE: 'deal' })
    expect(Object.values(list.body.result[0].FILES)).toEqual([expect.objectContaining({ name: 'a.txt', size: 2 })])
    const log = await call(t.emu, 'crm.timeline.logmessage.add', { fields: { entityTypeId: 2, entityId: 1, title: 'МоёДело', text: 'Счёт оплачен', iconCode: 'info' } }, t.token)
    expect(log.body.result.logMessage).toMatchObject({ title: 'МоёДело', authorId: 1 })
    await call(t.emu, 'im.notify.system.add', { USER_ID: 2, MESSAGE: 'первое', TAG: 'invoice-1' }, t.token)
    const second = await call(t.emu, 'im.notify.system.add', { USER_ID: 2, MESSAGE: 'второе', TAG: 'invoice-1' }, t.token)
    expect(typeof second.body.result).toBe('number')
    expect(t.emu.state.notifications.filter((n) => n.tag === 'invoice-1').map((n) => n.message)).toEqual(['второе'])
    expect((await call(t.emu, 'im.notify.system.add', { USER_ID: 2 }, t.token)).body.error).toBe('MESSAGE_EMPTY')
  })

  it('app.info, user.current, catalog.product.list', async () => {
    expect((await call(t.emu, 'app.info', {}, t.token)).body.result).toMatchObject({ INSTALLED: true, STATUS: 'F' })
    expect((await call(t.emu, 'user.current', {}, t.token)).body.result).toMatchObject({ ID: '1', NAME: 'Администратор' })
    const p = await call(t.emu, 'catalog.product.list', { select: ['id', 'iblockId', 'name'], filter: { iblockId: 23 } }, t.token)
    expect(p.body.result.products[0]).toEqual({ id: 1, iblockId: 23, name: 'Ноутбук Lenovo ThinkPad E14' })
    expect(p.body.total).toBe(5)
  })

  it('manager tokens are per user; placement.bind requires an admin', async () => {
    const manager = t.emu.issueTokens(2)
    expect((await call(t.emu, 'user.current', {}, manager.accessToken)).body.result.ID).toBe('2')
    const denied = await call(t.emu, 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'http://x.example/' }, manager.accessToken)
    expect(denied.status).toBe(403)
  })

  it('placement.bind / get / unbind and duplicate detection', async () => {
    const params = { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${t.receiver.url}/b24/deal-tab`, TITLE: 'МоёДело' }
    expect((await call(t.emu, 'placement.bind', params, t.token)).body.result).toBe(true)
    const dup = await call(t.emu, 'placement.bind', params, t.token)
    expect(dup.status).toBe(400)
    expect(dup.body.error_description).toContain('already binded')
    const empty = await call(t.emu, 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB' }, t.token)
    expect(empty).toMatchObject({ status: 200, body: { error: 'EMPTY_ERROR_HANDLER_URL' } })
    expect((await call(t.emu, 'placement.get', {}, t.token)).body.result[0]).toMatchObject({ placement: 'CRM_DEAL_DETAIL_TAB', title: 'МоёДело' })
    expect((await call(t.emu, 'placement.unbind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB' }, t.token)).body.result).toEqual({ count: 1 })
  })
})
