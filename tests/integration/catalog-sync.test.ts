/**
 * CRM catalog goods → MoeDelo stock goods through the real parts: the Bitrix24 portal emulator (catalog
 * REST), the MoeDelo emulator over HTTP, the app's database. Goods are created once and linked,
 * services never leave the CRM, an unchanged product costs no MoeDelo call, a changed one is updated
 * in place, a crash between creating a good and recording it makes no duplicate, and the invoice
 * path (`ensureStockGoods`) reads only the products it is given.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CatalogSyncError, ensureStockGoods, forgetStockGoods, syncCatalog, syncCatalogProduct } from '@/lib/catalog'
import { catalogMessages } from '@/lib/domain/messages'
import { MoeDeloError } from '@/lib/moedelo'
import { sql } from 'drizzle-orm'
import { MD_KEY, startWorld, type World } from '../counterparties/support'
import {
  addProduct,
  clearMoedeloRequests,
  clients,
  links,
  MEASURE,
  moedeloGoods,
  moedeloRequests,
  resetCatalog,
  setPrice,
  updateProduct,
  VAT,
} from '../catalog/support'
import { caught } from '../support/caught'
import { emulatorControl, type EmulatorControl } from '../support/emulator-control'

let world: World
const sync = async () => syncCatalog(world.database.db, world.memberId, await clients(world))
const ensure = async (ids: number[]) => ensureStockGoods(world.database.db, world.memberId, await clients(world), ids)
let control: EmulatorControl

beforeAll(async () => {
  world = await startWorld()
  control = emulatorControl(world.moedelo.url)
})
afterAll(async () => {
  await world?.close()
})
beforeEach(async () => {
  await resetCatalog(world)
})

async function seedCatalog() {
  const laptop = await addProduct(world, { name: 'Ноутбук Lenovo ThinkPad E14', price: 95000, vatId: VAT.twentyTwo, vatIncluded: 'Y' })
  const book = await addProduct(world, { name: 'Книга «Бухучёт для всех»', price: 880.5, vatId: VAT.ten, vatIncluded: 'N' })
  const flour = await addProduct(world, { name: 'Мука ржаная', price: 54.9, vatId: VAT.none, measure: MEASURE.kg })
  const consulting = await addProduct(world, { name: 'Консультация бухгалтера', price: 3000, vatId: VAT.none, measure: MEASURE.hour }, 'service')
  return { laptop, book, flour, consulting }
}

describe('whole catalog', () => {
  it('creates each good once with its link; services and inactive products stay in the CRM', async () => {
    const p = await seedCatalog()
    const archived = await addProduct(world, { name: 'Снятый с продажи товар', price: 10, active: 'N' })
    const summary = await sync()
    expect(summary).toMatchObject({ total: 3, created: 3, updated: 0, unchanged: 0, failed: 0, services: 1, inactive: 1 })

    const goods = moedeloGoods(world)
    expect(goods.map((g) => [g.Name, g.Article, g.UnitOfMeasurement, g.Nds, g.NdsPositionType, g.SalePrice, g.Type])).toEqual([
      ['Ноутбук Lenovo ThinkPad E14', `B24-${p.laptop}`, 'шт', 22, 3, 95000, 0],
      ['Книга «Бухучёт для всех»', `B24-${p.book}`, 'шт', 10, 2, 880.5, 0],
      ['Мука ржаная', `B24-${p.flour}`, 'кг', -1, 1, 54.9, 0],
    ])
    const group = [...world.moedelo.firm(MD_KEY).nomenclatures.values()][0]!
    expect(goods.every((g) => g.NomenclatureId === group.Id)).toBe(true)
    expect(await links(world)).toEqual(new Map([[p.laptop, goods[0]!.Id], [p.book, goods[1]!.Id], [p.flour, goods[2]!.Id]]))
    expect((await links(world)).has(p.consulting)).toBe(false)
    expect((await links(world)).has(archived)).toBe(false)
  })

  it('a second run with nothing changed sends nothing to MoeDelo', async () => {
    await seedCatalog()
    await sync()
    await clearMoedeloRequests(world)
    const summary = await sync()
    expect(summary).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 3 })
    expect(await moedeloRequests(world)).toEqual([])
    expect(moedeloGoods(world)).toHaveLength(3)
  })

  it('a changed product is updated in place, and what the accountant filled in on the good is kept', async () => {
    const p = await seedCatalog()
    await sync()
    const laptopGood = (await links(world)).get(p.laptop)!
    world.moedelo.firm(MD_KEY).goods.get(laptopGood)!.Producer = 'Lenovo'
    await updateProduct(world, p.laptop, { name: 'Ноутбук Lenovo ThinkPad E14 Gen 5' })
    await setPrice(world, p.laptop, 99990.99)
    await clearMoedeloRequests(world)

    const summary = await sync()
    expect(summary).toMatchObject({ updated: 1, unchanged: 2, created: 0 })
    expect((await moedeloRequests(world)).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /stock/api/v1/good/${laptopGood}`,
      `PUT /stock/api/v1/good/${laptopGood}`,
    ])
    const good = world.moedelo.firm(MD_KEY).goods.get(laptopGood)!
    expect(good).toMatchObject({ Name: 'Ноутбук Lenovo ThinkPad E14 Gen 5', SalePrice: 99990.99, Producer: 'Lenovo', Article: `B24-${p.laptop}` })
    expect(moedeloGoods(world)).toHaveLength(3)
  })

  it('a good deleted in MoeDelo is made again and relinked', async () => {
    const p = await seedCatalog()
    await sync()
    const old = (await links(world)).get(p.book)!
    world.moedelo.firm(MD_KEY).goods.delete(old)
    await updateProduct(world, p.book, { name: 'Книга «Бухучёт для всех», 2-е изд.' })
    expect(await sync()).toMatchObject({ created: 1, unchanged: 2 })
    const relinked = (await links(world)).get(p.book)!
    expect(relinked).not.toBe(old)
    expect(world.moedelo.firm(MD_KEY).goods.get(relinked)?.Name).toBe('Книга «Бухучёт для всех», 2-е изд.')
  })

  it('a crash between creating a good and recording the link makes no duplicate', async () => {
    const p = await seedCatalog()
    await sync()
    const before = await links(world)
    // The goods exist in MoeDelo, but the run stopped before the links were written.
    await world.database.db.execute(sql`delete from catalog_goods`)
    const summary = await sync()
    expect(summary).toMatchObject({ created: 3, failed: 0 })
    expect(moedeloGoods(world)).toHaveLength(3)
    expect(await links(world)).toEqual(before)
    expect((await links(world)).get(p.flour)).toBe(before.get(p.flour))
  })

  it('a good whose VAT rate MoeDelo lacks, or that MoeDelo refuses, is reported in plain Russian; the others go', async () => {
    world.portal.state.vats.push({ id: 90, name: 'НДС 13%', active: 'Y', rate: 13, sort: 900, timestampX: new Date() })
    const odd = await addProduct(world, { name: 'Товар со ставкой 13 %', price: 100, vatId: 90 })
    await addProduct(world, { name: 'Обычный товар', price: 100, vatId: VAT.none })
    const summary = await sync()
    expect(summary).toMatchObject({ total: 2, created: 1, failed: 1 })
    expect(summary.failures).toEqual([{ productId: odd, name: 'Товар со ставкой 13 %', message: catalogMessages.unsupportedVat('Товар со ставкой 13 %', '13') }])
    expect(summary.failures[0]!.message).toBe('Товар «Товар со ставкой 13 %»: ставки НДС 13 % нет в «Моё дело» — выберите в карточке товара 0, 5, 7, 10, 20, 22 % или «Без НДС»')

    await control('PATCH', '/config', { goodNdsValues: [-1, 0, 10, 20] })
    const modern = await addProduct(world, { name: 'Товар 22 %', price: 100, vatId: VAT.twentyTwo })
    const refused = await syncCatalogProduct(world.database.db, world.memberId, await clients(world), modern)
    expect(refused).toMatchObject({ kind: 'failed', message: 'Товар «Товар 22 %»: «Моё дело» не приняло данные: Ставка НДС — Недопустимая ставка НДС.' })
  })

  it('without a goods group in MoeDelo nothing is created and the reason is plain', async () => {
    await control('DELETE', `/firms/${MD_KEY}/nomenclature`)
    try {
      await addProduct(world, { name: 'Товар без группы', price: 1 })
      const error = await caught(sync(), CatalogSyncError)
      expect(error.userMessage).toBe(catalogMessages.noGoodsGroup)
      expect(error.retryable).toBe(false)
      expect(moedeloGoods(world)).toHaveLength(0)
    } finally {
      await control('POST', `/firms/${MD_KEY}/nomenclature`, { Name: 'Товары' })
    }
  })

  it('a MoeDelo outage stops the run with a retryable error; the next run finishes the work', async () => {
    await seedCatalog()
    await control('POST', '/faults', { kind: 'status', status: 503, pathPrefix: '/stock/api/v1/good', method: 'POST', times: 1 })
    const error = await caught(sync(), MoeDeloError)
    expect(error.retryable).toBe(true)
    expect(await sync()).toMatchObject({ created: 3 })
    expect(moedeloGoods(world)).toHaveLength(3)
  })
})

describe('ensureStockGoods (the invoice path)', () => {
  it('maps goods to MoeDelo ids, leaves services and unknown products out, and creates what is missing', async () => {
    const p = await seedCatalog()
    const map = await ensure([p.laptop, p.consulting, p.book, 9999, p.laptop])
    const goods = moedeloGoods(world)
    expect(goods.map((g) => g.Name).sort()).toEqual(['Ноутбук Lenovo ThinkPad E14', 'Книга «Бухучёт для всех»'].sort())
    expect(map).toEqual(new Map([[p.laptop, (await links(world)).get(p.laptop)!], [p.book, (await links(world)).get(p.book)!]]))
    expect(map.has(p.consulting)).toBe(false)
    expect(map.has(9999)).toBe(false)
    expect(map.has(p.flour)).toBe(false)
  })

  it('an already linked, unchanged product costs no MoeDelo call; a changed one is updated', async () => {
    const p = await seedCatalog()
    const first = await ensure([p.laptop, p.book])
    await clearMoedeloRequests(world)
    expect(await ensure([p.laptop, p.book])).toEqual(first)
    expect(await moedeloRequests(world)).toEqual([])

    await setPrice(world, p.book, 990)
    const again = await ensure([p.laptop, p.book])
    expect(again).toEqual(first)
    expect((await moedeloRequests(world)).map((r) => r.method)).toEqual(['GET', 'PUT'])
    expect(world.moedelo.firm(MD_KEY).goods.get(first.get(p.book)!)?.SalePrice).toBe(990)
  })

  it('reads only the given products from Bitrix24, not the whole catalog', async () => {
    await seedCatalog()
    for (let i = 0; i < 60; i += 1) await addProduct(world, { name: `Товар №${i}`, price: 1 })
    const wanted = await addProduct(world, { name: 'Нужный товар', price: 5 })
    await fetch(`${world.portal.url}/__emulator/requests`, { method: 'DELETE' })
    const map = await ensure([wanted])
    expect([...map.keys()]).toEqual([wanted])
    const rest = ((await (await fetch(`${world.portal.url}/__emulator/requests`)).json()) as { requests: { path: string }[] }).requests
    expect(rest.filter((r) => r.path.startsWith('/rest/'))).toHaveLength(2)
    expect(moedeloGoods(world).map((g) => g.Name)).toEqual(['Нужный товар'])
  })

  it('a good deleted in MoeDelo behind an unchanged product: forgetting its link makes it again', async () => {
    const p = await seedCatalog()
    const first = await ensure([p.laptop])
    const stale = first.get(p.laptop)!
    world.moedelo.firm(MD_KEY).goods.delete(stale)
    expect(await ensure([p.laptop])).toEqual(first)
    expect(await forgetStockGoods(world.database.db, world.memberId, [stale])).toBe(1)
    const fresh = (await ensure([p.laptop])).get(p.laptop)!
    expect(fresh).not.toBe(stale)
    expect(world.moedelo.firm(MD_KEY).goods.get(fresh)?.Article).toBe(`B24-${p.laptop}`)
  })

  it('a good MoeDelo refuses stops the invoice path with a plain reason', async () => {
    world.portal.state.vats.push({ id: 91, name: 'НДС 15%', active: 'Y', rate: 15, sort: 910, timestampX: new Date() })
    const odd = await addProduct(world, { name: 'Странный товар', price: 10, vatId: 91 })
    const error = await caught(ensure([odd]), CatalogSyncError)
    expect(error.userMessage).toBe(`Не все товары счёта выгружены в «Моё дело»:\n${catalogMessages.unsupportedVat('Странный товар', '15')}`)
  })
})
