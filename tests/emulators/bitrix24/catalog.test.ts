/** The trade catalog (bitrix24.md §4.9; the docs' catalog.* pages): references, products, prices, events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, startInstalled, type Installed } from './test-helpers'

let t: Installed
const rest = async (method: string, params: object = {}) => call(t.emu, method, params, t.token)

beforeAll(async () => {
  t = await startInstalled()
})
afterAll(async () => {
  await t.receiver.close()
  await t.emu.close()
})

describe('catalog references', () => {
  it('catalog.catalog.list: the CRM catalog and its variations catalog (productIblockId)', async () => {
    const res = await rest('catalog.catalog.list')
    expect(res.status).toBe(200)
    expect(res.body.total).toBe(2)
    expect(res.body.result.catalogs).toEqual([
      expect.objectContaining({ id: 23, iblockId: 23, iblockTypeId: 'CRM_PRODUCT_CATALOG', lid: 's1', productIblockId: null }),
      expect.objectContaining({ id: 24, iblockId: 24, productIblockId: 23, skuPropertyId: 97 }),
    ])
    const products = await rest('catalog.catalog.list', { filter: { productIblockId: null }, select: ['id', 'name'] })
    expect(products.body.result.catalogs).toEqual([{ id: 23, name: 'Товарный каталог CRM' }])
  })

  it('catalog.priceType.list, catalog.vat.list, catalog.measure.list', async () => {
    expect((await rest('catalog.priceType.list', { filter: { base: 'Y' } })).body.result.priceTypes).toEqual([
      { id: 1, name: 'BASE', base: 'Y', sort: 100, xmlId: 'BASE' },
    ])
    const vats = (await rest('catalog.vat.list')).body.result.vats as { id: number; name: string; rate: number | null }[]
    expect(vats.map((v) => [v.name, v.rate])).toEqual([
      ['Без НДС', null],
      ['НДС 0%', 0],
      ['НДС 10%', 10],
      ['НДС 22%', 22],
      ['НДС 20%', 20],
      ['НДС 5%', 5],
      ['НДС 7%', 7],
    ])
    expect(Object.keys(vats[0]!)).toEqual(['active', 'id', 'name', 'rate', 'sort', 'timestampX'])
    const measures = await rest('catalog.measure.list', { filter: { isDefault: 'Y' } })
    expect(measures.body.result.measures).toEqual([
      { id: 5, code: 796, isDefault: 'Y', measureTitle: 'Штука', symbol: 'шт', symbolIntl: 'pc. 1', symbolLetterIntl: 'PCE' },
    ])
  })
})

describe('products', () => {
  it('catalog.product.list requires id and iblockId in select and iblockId in filter', async () => {
    const noSelect = await rest('catalog.product.list', { select: ['name'], filter: { iblockId: 23 } })
    expect(noSelect.status).toBe(400)
    expect(noSelect.body.error_description).toContain('id, iblockId')
    expect((await rest('catalog.product.list', { select: ['id', 'iblockId'], filter: {} })).status).toBe(400)
  })

  it('catalog.product.list filters by an id list and by type, keeps the select order, pages by 50', async () => {
    const res = await rest('catalog.product.list', {
      select: ['id', 'iblockId', 'name', 'type', 'measure', 'vatId', 'vatIncluded', 'timestampX'],
      filter: { iblockId: 23, id: [1, 3, 4] },
    })
    expect(res.body.total).toBe(3)
    expect(res.body.result.products.map((p: { id: number; type: number }) => [p.id, p.type])).toEqual([
      [1, 1],
      [3, 7],
      [4, 1],
    ])
    expect(Object.keys(res.body.result.products[0])).toEqual(['id', 'iblockId', 'name', 'type', 'measure', 'vatId', 'vatIncluded', 'timestampX'])
    expect(res.body.result.products[0].timestampX).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/)
    const goods = await rest('catalog.product.list', { select: ['id', 'iblockId'], filter: { iblockId: 23, '!type': 7 }, order: { id: 'desc' } })
    expect(goods.body.result.products.map((p: { id: number }) => p.id)).toEqual([5, 4, 2, 1])
  })

  it('catalog.product.get wraps the product in `product`; a service is read with catalog.product.service.get', async () => {
    const res = await rest('catalog.product.get', { id: 2 })
    expect(res.body.result.product).toMatchObject({ id: 2, iblockId: 23, name: 'Монитор 27" Dell P2723', type: 1, vatId: 4, vatIncluded: 'Y', measure: 5 })
    expect(res.body.result.product.purchasingPrice).toBe('22800.000000')
    const service = await rest('catalog.product.get', { id: 3 })
    expect(service.status).toBe(400)
    expect(service.body).toMatchObject({ error: '', error_description: 'product does not exist.' })
    expect((await rest('catalog.product.service.get', { id: 3 })).body.result.service).toMatchObject({ id: 3, type: 7 })
    expect((await rest('catalog.product.get', {})).body.error_description).toBe('Could not find value for parameter {id}')
  })

  it('add and update answer `element` and fire CATALOG.PRODUCT.ON.ADD / ON.UPDATE with {ID, TYPE}', async () => {
    const handler = `${t.receiver.url}/b24/events`
    for (const event of ['CATALOG.PRODUCT.ON.ADD', 'CATALOG.PRODUCT.ON.UPDATE', 'catalog.price.on.update']) {
      expect((await rest('event.bind', { event, handler })).body.result).toBe(true)
    }
    const added = await rest('catalog.product.add', { fields: { iblockId: 23, name: 'Клавиатура', vatId: 4, vatIncluded: 'Y' } })
    const id = added.body.result.element.id
    expect(added.body.result.element).toMatchObject({ name: 'Клавиатура', type: 1, measure: 5, active: 'Y', xmlId: String(id) })
    const service = await rest('catalog.product.service.add', { fields: { iblockId: 23, name: 'Доставка', measure: 6 } })
    expect(service.body.result.element).toMatchObject({ type: 7, measure: 6 })
    const updated = await rest('catalog.product.update', { id, fields: { name: 'Клавиатура беспроводная', measure: 5 } })
    expect(updated.body.result.element.name).toBe('Клавиатура беспроводная')
    expect((await rest('catalog.product.update', { id: service.body.result.element.id, fields: { name: 'x' } })).status).toBe(400)
    expect((await rest('catalog.product.add', { fields: { iblockId: 99, name: 'x' } })).body.error).toBe('200040300000')
    expect((await rest('catalog.product.update', { id, fields: { vatId: 99 } })).status).toBe(400)

    await t.emu.waitForDeliveries()
    const events = t.receiver.on('/b24/events').map((r) => [r.form.event, r.form.data])
    expect(events).toEqual([
      ['CATALOG.PRODUCT.ON.ADD', { FIELDS: { ID: String(id), TYPE: '1' } }],
      ['CATALOG.PRODUCT.ON.ADD', { FIELDS: { ID: String(service.body.result.element.id), TYPE: '7' } }],
      ['CATALOG.PRODUCT.ON.UPDATE', { FIELDS: { ID: String(id), TYPE: '1' } }],
    ])
  })
})

describe('prices', () => {
  it('catalog.price.list by product ids and price type; add, get and update fire CATALOG.PRICE.ON.*', async () => {
    const res = await rest('catalog.price.list', { filter: { productId: [1, 4], catalogGroupId: 1 } })
    expect(res.body.result.prices).toEqual([
      expect.objectContaining({ productId: 1, catalogGroupId: 1, price: 95000, currency: 'RUB' }),
      expect.objectContaining({ productId: 4, catalogGroupId: 1, price: 880, currency: 'RUB' }),
    ])
    expect(Object.keys(res.body.result.prices[0])).toEqual(['catalogGroupId', 'currency', 'extraId', 'id', 'price', 'productId', 'quantityFrom', 'quantityTo', 'timestampX'])
    const priceId = res.body.result.prices[1].id
    t.receiver.requests.length = 0
    const updated = await rest('catalog.price.update', { id: priceId, fields: { price: 990.5, currency: 'RUB' } })
    expect(updated.body.result.price).toMatchObject({ id: priceId, price: 990.5 })
    expect((await rest('catalog.price.get', { id: priceId })).body.result.price.price).toBe(990.5)
    expect((await rest('catalog.price.add', { fields: { productId: 4, catalogGroupId: 1, price: 1, currency: 'RUB' } })).status).toBe(400)
    expect((await rest('catalog.price.update', { id: priceId, fields: { price: 1 } })).status).toBe(400)
    await t.emu.waitForDeliveries()
    expect(t.receiver.on('/b24/events').map((r) => [r.form.event, r.form.data])).toEqual([['CATALOG.PRICE.ON.UPDATE', { FIELDS: { ID: String(priceId) } }]])
  })

  it('crm.product.list still answers the legacy shape with the base price', async () => {
    const res = await rest('crm.product.list', { filter: { ID: 2 } })
    expect(res.body.result).toEqual([expect.objectContaining({ ID: '2', PRICE: '28500.00', CURRENCY_ID: 'RUB', VAT_ID: '4', MEASURE: '5' })])
  })

  it('the catalog reads fit in one batch', async () => {
    const res = await rest('batch', {
      halt: 0,
      cmd: {
        catalogs: 'catalog.catalog.list',
        vats: 'catalog.vat.list',
        products: 'catalog.product.list?select[]=id&select[]=iblockId&select[]=name&filter[iblockId]=23&filter[id][]=1&filter[id][]=2',
        prices: 'catalog.price.list?filter[productId][]=1&filter[productId][]=2&filter[catalogGroupId]=1',
      },
    })
    expect(res.body.result.result_error).toEqual([])
    expect(res.body.result.result.products.products).toHaveLength(2)
    expect(res.body.result.result.prices.prices).toHaveLength(2)
    expect(res.body.result.result_total).toMatchObject({ catalogs: 2, vats: 7, products: 2, prices: 2 })
  })
})
