import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B } from './test-helpers'

const G = '/stock/api/v1/good'
const N = '/stock/api/v1/nomenclature'
const S = '/stock/api/v1/stock'
const B = '/accounting/api/v1/sales/bill'
const GOOD_FIELDS = [
  'Id', 'NomenclatureId', 'Name', 'Modification', 'Article', 'UnitOfMeasurement', 'Nds', 'SalePrice', 'MinSalePrice',
  'Type', 'NdsPositionType', 'SubcontoId', 'Producer', 'ProductSubType', 'ProductMinimum',
]

let emu: MoeDeloEmulator
let groupId: number
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) => call(emu.url, method, path, { key: KEY_A, ...options })
const ctl = (method: string, path: string, body?: unknown) => call(emu.url, method, `/__emulator${path}`, { body })
const good = (over: Record<string, unknown> = {}) => ({ Name: 'Ноутбук', NomenclatureId: groupId, UnitOfMeasurement: 'шт', Nds: 22, SalePrice: 95000, NdsPositionType: 3, ...over })

beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'ООО "Альфа"', [KEY_B]: 'ООО "Бета"' } })
})
afterAll(() => emu.close())
beforeEach(async () => {
  await ctl('DELETE', `/firms/${KEY_A}/goods`)
  await ctl('DELETE', `/firms/${KEY_A}/nomenclature`)
  await ctl('POST', `/firms/${KEY_A}/nomenclature`, { Name: 'Товары' })
  await ctl('POST', '/clock', { reset: true })
  await ctl('PATCH', '/config', { goodPutSemantics: 'replace', nomenclatureListShape: 'envelope', billStockProductCheck: 'reject', deleteStatus: 204 })
  groupId = (await api('GET', N)).body.ResourceList[0].Id
})

describe('goods groups and warehouses (spec §7)', () => {
  it('every new firm starts with one group and one main warehouse; lists use the legacy envelope', async () => {
    const groups = await call(emu.url, 'GET', N, { key: KEY_B })
    expect(groups.status).toBe(200)
    expect(groups.body).toEqual({
      Count: 1,
      TotalCount: 1,
      ResourceList: [{ Id: expect.any(Number), ParentNomenclatureId: null, Name: 'Товары', NomenclatureType: 0 }],
    })
    const stocks = await call(emu.url, 'GET', S, { key: KEY_B })
    expect(stocks.body.ResourceList).toEqual([{ Id: expect.any(Number), Name: 'Основной склад', IsMain: true, StockType: 0 }])
  })

  it('answers a bare array of groups when nomenclatureListShape is "array"', async () => {
    await ctl('PATCH', '/config', { nomenclatureListShape: 'array' })
    const groups = await api('GET', N)
    expect(groups.body).toEqual([expect.objectContaining({ Id: groupId, Name: 'Товары' })])
  })

  it('creates, reads, updates and deletes warehouses; one main warehouse at a time', async () => {
    const created = await api('POST', S, { body: { Name: 'Склад №2', IsMain: true } })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ Id: expect.any(Number), Name: 'Склад №2', IsMain: true, StockType: 0 })
    const all = (await api('GET', S)).body.ResourceList as { Id: number; IsMain: boolean }[]
    expect(all.filter((s) => s.IsMain).map((s) => s.Id)).toEqual([created.body.Id])
    expect((await api('GET', `${S}/${created.body.Id}`)).body.Name).toBe('Склад №2')
    const renamed = await api('PUT', `${S}/${created.body.Id}`, { body: { Name: 'Склад на Ленина', StockType: 1 } })
    expect(renamed.body).toEqual({ Id: created.body.Id, Name: 'Склад на Ленина', IsMain: false, StockType: 1 })
    expect((await api('POST', S, { body: { IsMain: true } })).body).toEqual({ Message: expect.any(String), ValidationErrors: { Name: [expect.any(String)] } })
    expect((await api('DELETE', `${S}/${created.body.Id}`)).status).toBe(204)
    expect((await api('GET', `${S}/${created.body.Id}`)).status).toBe(404)
  })
})

describe('goods CRUD (spec §7, §13)', () => {
  it('creates with 201 and the §7 members in order; ids from their own counter; GET gives the bare object', async () => {
    const res = await api('POST', G, { body: good({ Article: 'B24-1' }) })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(GOOD_FIELDS)
    expect(res.body).toMatchObject({
      NomenclatureId: groupId,
      Name: 'Ноутбук',
      Article: 'B24-1',
      UnitOfMeasurement: 'шт',
      Nds: 22,
      SalePrice: 95000,
      Type: 0,
      NdsPositionType: 3,
      ProductSubType: 0,
    })
    expect(res.body.Id).toBeGreaterThan(5_000_000)
    expect(res.body.Id).toBeLessThan(18_000_000)
    const kontragent = await api('POST', K, { body: { Name: 'ООО "Покупатель"', Form: 1 } })
    expect(kontragent.body.Id).toBeGreaterThanOrEqual(18_000_000)
    expect((await api('GET', `${G}/${res.body.Id}`)).body).toEqual(res.body)
    expect((await api('GET', `${G}/1`)).status).toBe(404)
    expect((await call(emu.url, 'GET', `${G}/${res.body.Id}`, { key: KEY_B })).status).toBe(404)
  })

  it('requires a name and an existing group; Type ∈ {0,1}; Nds, NdsPositionType and prices are checked', async () => {
    const missing = await api('POST', G, { body: { UnitOfMeasurement: 'шт' } })
    expect(missing.status).toBe(400)
    expect(Object.keys(missing.body.ValidationErrors).sort()).toEqual(['Name', 'NomenclatureId'])
    const unknownGroup = await api('POST', G, { body: good({ NomenclatureId: 999 }) })
    expect(unknownGroup.body.ValidationErrors).toEqual({ NomenclatureId: ['Группа товаров не найдена.'] })
    const bad = await api('POST', G, { body: good({ Type: 2, Nds: 13, NdsPositionType: 4, SalePrice: -1, MinSalePrice: 1.23456 }) })
    expect(Object.keys(bad.body.ValidationErrors).sort()).toEqual(['MinSalePrice', 'Nds', 'NdsPositionType', 'SalePrice', 'Type'])
    const material = await api('POST', G, { body: good({ Type: 1, Nds: -1, NdsPositionType: 1, SalePrice: '12.3456' }) })
    expect(material.body).toMatchObject({ Type: 1, Nds: -1, NdsPositionType: 1, SalePrice: 12.3456 })
    const defaults = await api('POST', G, { body: { Name: 'Без подробностей', NomenclatureId: groupId } })
    expect(defaults.body).toMatchObject({ Type: 0, Nds: -1, NdsPositionType: 1, SalePrice: null, Article: null, UnitOfMeasurement: null })
  })

  it('takes good Nds values from the goodNdsValues switch', async () => {
    expect((await api('POST', G, { body: good({ Nds: 122 }) })).status).toBe(201)
    await ctl('PATCH', '/config', { goodNdsValues: [-1, 0, 10, 18, 20, 110, 118, 120] })
    expect((await api('POST', G, { body: good({ Nds: 22 }) })).status).toBe(400)
    expect((await api('POST', G, { body: good({ Nds: 20 }) })).status).toBe(201)
    await ctl('PATCH', '/config', { goodNdsValues: [-1, 0, 5, 7, 10, 18, 20, 22, 105, 107, 110, 118, 120, 122] })
  })

  it('PUT replaces the editable members (or merges them with goodPutSemantics "merge"); DELETE then 404', async () => {
    const created = (await api('POST', G, { body: good({ Article: 'B24-7', Producer: 'Lenovo' }) })).body
    const replaced = await api('PUT', `${G}/${created.Id}`, { body: { Name: 'Ноутбук E14', NomenclatureId: groupId, SalePrice: 99000 } })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ Id: created.Id, SubcontoId: created.SubcontoId, Name: 'Ноутбук E14', SalePrice: 99000, Article: null, Producer: null, Nds: -1 })
    expect((await api('PUT', `${G}/${created.Id}`, { body: { Name: 'Без группы' } })).body.ValidationErrors).toHaveProperty('NomenclatureId')
    await ctl('PATCH', '/config', { goodPutSemantics: 'merge' })
    await api('PUT', `${G}/${created.Id}`, { body: good({ Article: 'B24-7', Producer: 'Lenovo' }) })
    const merged = await api('PUT', `${G}/${created.Id}`, { body: { Name: 'Ноутбук E14 Gen 5', NomenclatureId: groupId } })
    expect(merged.body).toMatchObject({ Name: 'Ноутбук E14 Gen 5', Article: 'B24-7', Producer: 'Lenovo', Nds: 22, SalePrice: 95000 })
    expect((await api('PUT', `${G}/1`, { body: good() })).status).toBe(404)
    expect((await api('DELETE', `${G}/${created.Id}`)).status).toBe(204)
    expect((await api('GET', `${G}/${created.Id}`)).status).toBe(404)
  })

  it('lists with the envelope, pageNo/pageSize, a case-insensitive name filter and afterDate/beforeDate on the modify date', async () => {
    await ctl('POST', '/clock', { set: '2025-03-01T09:00:00Z' })
    const a = (await api('POST', G, { body: good({ Name: 'Бумага А4' }) })).body
    const b = (await api('POST', G, { body: good({ Name: 'Бумага А3' }) })).body
    await ctl('POST', '/clock', { set: '2025-03-05T09:00:00Z' })
    await api('POST', G, { body: good({ Name: 'Картридж' }) })
    await api('PUT', `${G}/${a.Id}`, { body: good({ Name: 'Бумага А4, 500 л.' }) })

    const page = await api('GET', `${G}?pageNo=2&pageSize=2`)
    expect(page.body).toMatchObject({ Count: 1, TotalCount: 3 })
    expect((await api('GET', `${G}?name=бумага`)).body.ResourceList.map((g: { Id: number }) => g.Id)).toEqual([a.Id, b.Id])
    const changed = await api('GET', `${G}?afterDate=2025-03-05T00:00:00%2B03:00`)
    expect(changed.body.ResourceList.map((g: { Name: string }) => g.Name)).toEqual(['Бумага А4, 500 л.', 'Картридж'])
    const before = await api('GET', `${G}?beforeDate=2025-03-02`)
    expect(before.body.ResourceList.map((g: { Id: number }) => g.Id)).toEqual([b.Id])
    expect((await api('GET', `${G}?afterDate=вчера`)).body.ValidationErrors).toHaveProperty('afterDate')
  })

  it('answers 403 when the key\'s tariff has no stock service', async () => {
    await ctl('PUT', `/firms/${KEY_B}/forbidden`, { services: ['stock'] })
    expect((await call(emu.url, 'GET', G, { key: KEY_B })).status).toBe(403)
    expect((await call(emu.url, 'GET', N, { key: KEY_B })).status).toBe(403)
    expect((await call(emu.url, 'GET', K, { key: KEY_B })).status).toBe(200)
    await ctl('PUT', `/firms/${KEY_B}/forbidden`, { services: [] })
  })
})

describe('goods on bills', () => {
  it('a bill line with an unknown StockProductId is refused with the legacy 400 shape; a real good is accepted', async () => {
    const kontragentId = (await api('POST', K, { body: { Name: 'ООО "Покупатель"', Form: 1 } })).body.Id
    const item = { Name: 'Ноутбук', Count: 1, Unit: 'шт', Type: 1, Price: 95000, NdsType: 22 }
    const unknown = await api('POST', B, { body: { KontragentId: kontragentId, NdsPositionType: 3, Items: [{ ...item, StockProductId: 4_999_999 }] } })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({ Message: expect.any(String), ValidationErrors: { 'Items[0].StockProductId': ['Товар или материал не найден.'] } })
    const created = (await api('POST', G, { body: good() })).body
    const bill = await api('POST', B, { body: { KontragentId: kontragentId, NdsPositionType: 3, Items: [{ ...item, StockProductId: created.Id }] } })
    expect(bill.status).toBe(201)
    expect(bill.body.Items[0].StockProductId).toBe(created.Id)
    await ctl('PATCH', '/config', { billStockProductCheck: 'accept' })
    expect((await api('POST', B, { body: { KontragentId: kontragentId, NdsPositionType: 3, Items: [{ ...item, StockProductId: 4_999_999 }] } })).status).toBe(201)
  })
})

describe('stock control routes', () => {
  it('seeds goods and groups, dumps them, and can leave a firm without groups', async () => {
    const seeded = await ctl('POST', `/firms/${KEY_A}/goods`, [{ Name: 'Старый товар', Article: 'X-1' }])
    expect(seeded.body.created[0]).toMatchObject({ Name: 'Старый товар', Article: 'X-1', NomenclatureId: groupId })
    const dump = await ctl('GET', `/firms/${KEY_A}/stock`)
    expect(dump.body.goods).toHaveLength(1)
    expect(dump.body.goods[0]).toHaveProperty('ModifyDate')
    await ctl('DELETE', `/firms/${KEY_A}/nomenclature`)
    expect((await api('GET', N)).body).toEqual({ Count: 0, TotalCount: 0, ResourceList: [] })
    expect((await api('POST', G, { body: good() })).body.ValidationErrors).toEqual({ NomenclatureId: ['Группа товаров не найдена.'] })
  })
})
