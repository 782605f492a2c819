/**
 * Helpers for the catalog tests, on top of the counterparty test world (database, emulated portal
 * with the app installed, MoeDelo emulator connected by API key): products made the way a person
 * makes them (REST as the manager), MoeDelo's goods and request log, the app's product → good links.
 */
import { sql } from 'drizzle-orm'
import { bitrix24For } from '@/lib/bitrix24/client'
import type { CatalogClients } from '@/lib/catalog'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import type { GoodRecord } from '../emulators/moedelo'
import { MD_KEY, type World } from '../counterparties/support'
import { rows } from '../support/jobs/helpers'

export const CRM_IBLOCK = 23
export const BASE_PRICE = 1
/** VAT ids of the emulated portal (tests/emulators/bitrix24/seed.ts). */
export const VAT = { none: 1, zero: 2, ten: 3, twentyTwo: 4, twenty: 5 } as const
/** Measure ids: 3 «ч», 4 «кг», 5 «шт». */
export const MEASURE = { hour: 3, kg: 4, piece: 5 } as const

export interface ProductInput {
  name: string
  price?: number
  currency?: string
  vatId?: number | null
  vatIncluded?: 'Y' | 'N'
  measure?: number
  active?: 'Y' | 'N'
}

/** The manager adds a product (or a service) with its base price to the CRM catalog. */
export async function addProduct(world: World, input: ProductInput, kind: 'product' | 'service' = 'product'): Promise<number> {
  const method = kind === 'service' ? 'catalog.product.service.add' : 'catalog.product.add'
  const fields = {
    iblockId: CRM_IBLOCK,
    name: input.name,
    vatId: input.vatId === undefined ? VAT.twentyTwo : input.vatId,
    vatIncluded: input.vatIncluded ?? 'Y',
    measure: input.measure ?? MEASURE.piece,
    active: input.active ?? 'Y',
  }
  const added = await world.asManager<{ element: { id: number } }>(method, { fields })
  const productId = added.element.id
  if (input.price !== undefined) {
    await world.asManager('catalog.price.add', { fields: { productId, catalogGroupId: BASE_PRICE, price: input.price, currency: input.currency ?? 'RUB' } })
  }
  return productId
}

export async function updateProduct(world: World, productId: number, fields: Record<string, unknown>, kind: 'product' | 'service' = 'product'): Promise<void> {
  await world.asManager(kind === 'service' ? 'catalog.product.service.update' : 'catalog.product.update', { id: productId, fields })
}

export async function setPrice(world: World, productId: number, price: number): Promise<void> {
  const prices = await world.asManager<{ prices: { id: number }[] }>('catalog.price.list', { filter: { productId, catalogGroupId: BASE_PRICE } })
  await world.asManager('catalog.price.update', { id: prices.prices[0]!.id, fields: { price, currency: 'RUB' } })
}

export async function clients(world: World): Promise<CatalogClients> {
  const moedelo = await moedeloClientFor(world.database.db, world.memberId)
  if (!moedelo) throw new Error('MoeDelo is not connected in the test world')
  return { bitrix: await bitrix24For(world.database.db, world.memberId), moedelo }
}

export const moedeloGoods = (world: World): GoodRecord[] => [...world.moedelo.firm(MD_KEY).goods.values()].sort((a, b) => a.Id - b.Id)

interface Logged {
  method: string
  path: string
  status: number
}

/** Requests MoeDelo received on its vendor routes since the log was last cleared. */
export async function moedeloRequests(world: World): Promise<Logged[]> {
  const response = await fetch(`${world.moedelo.url}/__emulator/requests`)
  return ((await response.json()) as { requests: Logged[] }).requests
}

export async function clearMoedeloRequests(world: World): Promise<void> {
  await fetch(`${world.moedelo.url}/__emulator/requests`, { method: 'DELETE' })
}

/** The app's links, product id → good id. */
export async function links(world: World): Promise<Map<number, number>> {
  const found = await rows<{ product_id: number; good_id: number | string }>(
    world.database.db,
    sql`select product_id, good_id from catalog_goods where member_id = ${world.memberId} order by product_id`,
  )
  return new Map(found.map((r) => [Number(r.product_id), Number(r.good_id)]))
}

/** Forgets the catalog: goods in MoeDelo, the app's links, the CRM products and their prices. */
export async function resetCatalog(world: World): Promise<void> {
  await world.database.db.execute(sql`delete from catalog_goods`)
  await world.database.db.execute(sql`delete from sync_runs`)
  world.moedelo.firm(MD_KEY).goods.clear()
  world.portal.state.products = []
  world.portal.state.prices = []
  await fetch(`${world.moedelo.url}/__emulator/config`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ goodPutSemantics: 'replace', goodNdsValues: [-1, 0, 5, 7, 10, 18, 20, 22, 105, 107, 110, 118, 120, 122] }),
  })
  await clearMoedeloRequests(world)
}
