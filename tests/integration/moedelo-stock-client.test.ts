/**
 * The MoeDelo client's stock methods against the emulator over HTTP (spec §7): goods CRUD in app
 * types, exact prices, lookup by name, groups in either list shape, Russian validation messages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseMoney } from '@/lib/domain/money'
import type { MoeDeloClient, StockGoodInput } from '@/lib/moedelo'
import type { MoeDeloEmulator } from '@/tests/emulators/moedelo'
import type { EmulatorControl } from '../support/emulator-control'
import { moedeloError, startEmulatedClient } from '../support/moedelo-client'

const KEY = '7d2c9e01-5b1a-4c3e-9f00-c222c222c222'

let emu: MoeDeloEmulator
let client: MoeDeloClient
let control: EmulatorControl
let groupId: number

const input = (over: Partial<StockGoodInput> = {}): StockGoodInput => ({
  groupId,
  name: 'Монитор 27"',
  article: 'B24-2',
  unit: 'шт',
  vatRate: 22,
  vatMode: 'included',
  salePrice: parseMoney('28500.50'),
  ...over,
})

beforeAll(async () => {
  ;({ emu, client, control } = await startEmulatedClient({ apiKeys: { [KEY]: 'ООО "Продавец"' } }, { apiKey: KEY }))
})
afterAll(() => emu.close())
beforeEach(async () => {
  await control('DELETE', `/firms/${KEY}/goods`)
  await control('PATCH', '/config', { nomenclatureListShape: 'envelope', goodPutSemantics: 'replace' })
  groupId = (await client.listGoodsGroups())[0]!.id
})

describe('MoeDelo client: stock goods', () => {
  it('creates, reads, updates and deletes a good in app types, prices exact to the kopeck', async () => {
    const created = await client.createGood(input())
    expect(created).toMatchObject({
      groupId,
      name: 'Монитор 27"',
      article: 'B24-2',
      unit: 'шт',
      vatRate: 22,
      ndsCode: 22,
      vatMode: 'included',
      salePrice: parseMoney('28500.50'),
      kind: 'goods',
    })
    const stored = (await control('GET', `/firms/${KEY}/stock`)).body.goods[0]
    expect(stored).toMatchObject({ Nds: 22, NdsPositionType: 3, SalePrice: 28500.5, Type: 0 })
    expect(await client.getGood(created.id)).toEqual(created)

    const updated = await client.updateGood(created.id, input({ name: 'Монитор 27" Dell', vatRate: 'none', vatMode: 'none', salePrice: null }))
    expect(updated).toMatchObject({ name: 'Монитор 27" Dell', vatRate: 'none', ndsCode: -1, vatMode: 'none', salePrice: null })
    expect(await client.deleteGood(created.id)).toBe(true)
    expect(await client.deleteGood(created.id)).toBe(false)
    expect(await client.getGood(created.id)).toBeNull()
    expect((await moedeloError(client.updateGood(created.id, input()))).kind).toBe('not_found')
  })

  it('finds goods by exact name across pages, ignoring the looser server-side filter', async () => {
    await control('POST', `/firms/${KEY}/goods`, [
      { Name: 'Бумага А4' },
      { Name: 'Бумага А4, 500 листов' },
      { Name: '  бумага а4 ' },
      ...Array.from({ length: 120 }, (_, i) => ({ Name: `Бумага А4 №${i}` })),
    ])
    const found = await client.findGoodsByName('Бумага А4')
    expect(found.map((g) => g.name)).toEqual(['Бумага А4', '  бумага а4 '])
    const page = await client.listGoods({ name: 'бумага', pageSize: 10, pageNo: 2 })
    expect(page).toMatchObject({ pageNo: 2, count: 10, totalCount: 123 })
  })

  it('lists only goods changed after a moment', async () => {
    await control('POST', '/clock', { set: '2025-06-01T10:00:00Z' })
    await client.createGood(input({ name: 'Старый' }))
    await control('POST', '/clock', { set: '2025-06-02T10:00:00Z' })
    await client.createGood(input({ name: 'Новый' }))
    const page = await client.listGoods({ afterDate: new Date('2025-06-02T00:00:00Z') })
    expect(page.items.map((g) => g.name)).toEqual(['Новый'])
    await control('POST', '/clock', { reset: true })
  })

  it('reads the goods groups from the envelope or a bare array', async () => {
    await control('POST', `/firms/${KEY}/nomenclature`, { Name: 'Материалы', NomenclatureType: 1 })
    const envelope = await client.listGoodsGroups()
    expect(envelope.map((g) => g.name)).toEqual(['Товары', 'Материалы'])
    await control('PATCH', '/config', { nomenclatureListShape: 'array' })
    expect(await client.listGoodsGroups()).toEqual(envelope)
  })

  it('turns a refused good into plain Russian with field labels', async () => {
    const error = await moedeloError(client.createGood(input({ groupId: 1 })))
    expect(error.kind).toBe('validation')
    expect(error.retryable).toBe(false)
    expect(error.userMessage).toBe('«Моё дело» не приняло данные: Группа товаров — Группа товаров не найдена.')
    expect(error.issues).toEqual([{ field: 'NomenclatureId', message: 'Группа товаров не найдена.' }])
  })

  it('a tariff without stock is a 403 forbidden error', async () => {
    await control('PUT', `/firms/${KEY}/forbidden`, { services: ['stock'] })
    const error = await moedeloError(client.listGoodsGroups())
    expect(error.kind).toBe('forbidden')
    await control('PUT', `/firms/${KEY}/forbidden`, { services: [] })
  })
})
