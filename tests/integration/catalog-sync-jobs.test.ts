/**
 * The catalog sync's triggers through the real job queue: product and price events delivered by the
 * emulated portal (bound at install) → b24.event → catalog.product → the good in MoeDelo; and the
 * settings page's «Выгрузить каталог» route (POST starts a run, GET reports progress and the result).
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EVENTS_PATH } from '@/lib/bitrix24/app-manifest'
import { b24EventJob, b24EventJobInput, handleB24Event } from '@/lib/bitrix24/event-jobs'
import { parseEventBody } from '@/lib/bitrix24/events'
import { startCatalogSync, type CatalogRun } from '@/lib/catalog'
import { openCatalogRun } from '@/lib/catalog/runs'
import { resetConfigForTests } from '@/lib/config'
import { connectWithApiKey, disconnect } from '@/lib/connections/moedelo'
import { catalogMessages } from '@/lib/domain/messages'
import { enqueue } from '@/lib/jobs'
import { getRuntime } from '@/lib/runtime'
import { issueSession } from '@/lib/security/session'
import { addProduct, links, moedeloGoods, resetCatalog, setPrice, updateProduct, VAT } from '../catalog/support'
import { MD_KEY, startWorld, type World } from '../counterparties/support'
import { rows, waitFor } from '../support/jobs/helpers'
import { serveRoutes } from '../support/route-server'

let world: World
let app: { url: string; close(): Promise<void> }
let admin: string

beforeAll(async () => {
  world = await startWorld()
  Object.assign(process.env, { RUN_WORKERS_IN_APP: 'yes', RETRY_DELAYS_SECONDS: '1,1,1' })
  resetConfigForTests()
  await getRuntime()
  app = await serveRoutes({ '/api/portal/catalog-sync': await import('@/app/api/portal/catalog-sync/route') })
  admin = issueSession({ memberId: world.memberId, userId: 1, isAdmin: true })
})

afterAll(async () => {
  await (await getRuntime()).jobs.stop()
  await app?.close()
  await world?.close()
})

beforeEach(async () => {
  await resetCatalog(world)
  await world.database.db.execute(sql`delete from sync_journal`)
})

/** Events the portal delivered to the app since `from`, handed to the app's job as the events route does. */
async function deliverEvents(from: number, names: string[]): Promise<number> {
  await world.portal.waitForDeliveries()
  const bodies = world.receiver.bodiesAt(EVENTS_PATH).slice(from)
  let delivered = 0
  for (const body of bodies) {
    const parsed = parseEventBody(body)
    if (!parsed.ok || !names.includes(parsed.event.event)) continue
    const { payload, singletonKey } = b24EventJobInput(parsed.event)
    await enqueue(b24EventJob, payload, { singletonKey })
    delivered += 1
  }
  return delivered
}

const eventsSoFar = () => world.receiver.bodiesAt(EVENTS_PATH).length

describe('product events', () => {
  it('the app is bound to the catalog events at install', () => {
    const bound = world.portal.state.bindings.map((b) => b.event)
    expect(bound).toEqual(expect.arrayContaining(['CATALOG.PRODUCT.ON.ADD', 'CATALOG.PRODUCT.ON.UPDATE', 'CATALOG.PRICE.ON.ADD', 'CATALOG.PRICE.ON.UPDATE']))
  })

  it('a new product and then its change reach MoeDelo by themselves', async () => {
    let from = eventsSoFar()
    const productId = await addProduct(world, { name: 'Кресло офисное', price: 12000, vatId: VAT.twentyTwo })
    expect(await deliverEvents(from, ['CATALOG.PRODUCT.ON.ADD', 'CATALOG.PRICE.ON.ADD'])).toBe(2)
    const good = await waitFor('the good to be created', async () => (await links(world)).get(productId))
    await waitFor('the price to be sent', () => world.moedelo.firm(MD_KEY).goods.get(good)?.SalePrice === 12000)
    expect(moedeloGoods(world)).toHaveLength(1)

    from = eventsSoFar()
    await updateProduct(world, productId, { name: 'Кресло офисное эргономичное' })
    expect(await deliverEvents(from, ['CATALOG.PRODUCT.ON.UPDATE'])).toBe(1)
    await waitFor('the name to be updated', () => world.moedelo.firm(MD_KEY).goods.get(good)?.Name === 'Кресло офисное эргономичное')

    from = eventsSoFar()
    await setPrice(world, productId, 11500.5)
    expect(await deliverEvents(from, ['CATALOG.PRICE.ON.UPDATE'])).toBe(1)
    await waitFor('the new price', () => world.moedelo.firm(MD_KEY).goods.get(good)?.SalePrice === 11500.5)
    expect(moedeloGoods(world)).toHaveLength(1)
    const journal = await rows<{ message: string }>(world.database.db, sql`select message from sync_journal where topic = 'catalog' order by id`)
    expect(journal.map((j) => j.message)).toEqual(
      expect.arrayContaining([
        catalogMessages.goodCreated('Кресло офисное', good),
        catalogMessages.goodUpdated('Кресло офисное эргономичное', good),
      ]),
    )
  })

  it('a service event queues the product job, which sends nothing', async () => {
    const queued: number[] = []
    const serviceId = await addProduct(world, { name: 'Доставка', price: 500, vatId: VAT.none }, 'service')
    const outcome = await handleB24Event(
      world.database.db,
      { memberId: world.memberId, event: 'CATALOG.PRODUCT.ON.ADD', entityId: serviceId, ts: 1 },
      { enqueueProduct: async (p) => (queued.push(p.productId), true) },
    )
    expect(outcome).toEqual({ kind: 'product', productId: serviceId, queued: true })
    const completed = async () =>
      (await rows<{ n: number }>(world.database.db, sql`select count(*)::int as n from pgboss.job where name = 'catalog.product' and state = 'completed'`))[0]!.n
    const before = await completed()
    const from = eventsSoFar()
    await updateProduct(world, serviceId, { name: 'Доставка по городу' }, 'service')
    expect(await deliverEvents(from, ['CATALOG.PRODUCT.ON.UPDATE'])).toBe(1)
    await waitFor('the product job to finish', async () => (await completed()) > before)
    expect(moedeloGoods(world)).toHaveLength(0)
    expect(await links(world)).toEqual(new Map())
  })

  it('a price event is routed to its product; an unknown price is ignored', async () => {
    const productId = await addProduct(world, { name: 'Стол', price: 7000 })
    const priceId = world.portal.state.prices.find((p) => p.productId === productId)!.id
    const seen: number[] = []
    const deps = { enqueueProduct: async (p: { productId: number }) => (seen.push(p.productId), true) }
    const routed = await handleB24Event(world.database.db, { memberId: world.memberId, event: 'CATALOG.PRICE.ON.UPDATE', entityId: priceId, ts: 2 }, deps)
    expect(routed).toEqual({ kind: 'product', productId, queued: true })
    const unknown = await handleB24Event(world.database.db, { memberId: world.memberId, event: 'CATALOG.PRICE.ON.UPDATE', entityId: 99_999, ts: 3 }, deps)
    expect(unknown).toEqual({ kind: 'ignored' })
    expect(seen).toEqual([productId])
  })
})

describe('the settings page route', () => {
  const call = (method: 'GET' | 'POST', session?: string) =>
    fetch(`${app.url}/api/portal/catalog-sync`, { method, headers: session ? { authorization: `Bearer ${session}` } : {} })

  async function finished(): Promise<CatalogRun> {
    return waitFor('the run to finish', async () => {
      const body = (await (await call('GET', admin)).json()) as { run: CatalogRun | null }
      return body.run && body.run.status !== 'running' ? body.run : undefined
    })
  }

  it('only the portal admin may start or read a run', async () => {
    expect((await call('POST')).status).toBe(401)
    const manager = issueSession({ memberId: world.memberId, userId: 2, isAdmin: false })
    expect((await call('POST', manager)).status).toBe(403)
    expect((await call('GET', manager)).status).toBe(403)
    expect(await (await call('GET', admin)).json()).toEqual({ run: null })
  })

  it('POST starts a run; GET reports its progress and the result; a repeat run finds nothing to send', async () => {
    await addProduct(world, { name: 'Монитор', price: 28500 })
    await addProduct(world, { name: 'Клавиатура', price: 2500, vatId: VAT.twenty, vatIncluded: 'N' })
    await addProduct(world, { name: 'Настройка рабочего места', price: 1500 }, 'service')
    const started = await call('POST', admin)
    expect(started.status).toBe(202)
    expect(await started.json()).toMatchObject({ started: true, run: { status: 'running' } })

    const run = await finished()
    expect(run).toMatchObject({ status: 'done', total: 2, done: 2, failed: 0, error: null, waiting: null, failures: [] })
    expect(run.summary).toMatchObject({ created: 2, updated: 0, unchanged: 0, services: 1 })
    expect(moedeloGoods(world).map((g) => g.Name)).toEqual(['Монитор', 'Клавиатура'])
    const journal = await rows<{ message: string }>(world.database.db, sql`select message from sync_journal where topic = 'catalog'`)
    expect(journal.map((j) => j.message)).toContain(catalogMessages.runDone({ created: 2, updated: 0, unchanged: 0, services: 1, failed: 0 }))

    expect((await call('POST', admin)).status).toBe(202)
    const again = await finished()
    expect(again.runId).toBeGreaterThan(run.runId)
    expect(again.summary).toMatchObject({ created: 0, unchanged: 2 })
  })

  it('a second start while a run is going returns that run', async () => {
    const launched: number[] = []
    const first = await openCatalogRun(world.database.db, world.memberId, async (id) => launched.push(id))
    const second = await openCatalogRun(world.database.db, world.memberId, async (id) => launched.push(id))
    expect(first.started).toBe(true)
    expect(second).toMatchObject({ started: false, runId: first.runId })
    expect(launched).toEqual([first.runId])
  })

  it('a firm without goods groups ends the run with a plain reason', async () => {
    await addProduct(world, { name: 'Лампа', price: 900 })
    await fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/nomenclature`, { method: 'DELETE' })
    try {
      await startCatalogSync(world.database.db, world.memberId)
      const run = await finished()
      expect(run).toMatchObject({ status: 'failed', error: catalogMessages.noGoodsGroup })
      const journal = await rows<{ level: string; message: string }>(world.database.db, sql`select level, message from sync_journal where topic = 'catalog'`)
      expect(journal).toContainEqual({ level: 'error', message: catalogMessages.runFailed(catalogMessages.noGoodsGroup) })
    } finally {
      await fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/nomenclature`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Name: 'Товары' }),
      })
    }
  })

  it('without MoeDelo connected the button explains what to do', async () => {
    await disconnect(world.database.db, world.memberId)
    try {
      const res = await call('POST', admin)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: 'Сначала подключите «Моё дело».' })
    } finally {
      await connectWithApiKey(world.database.db, world.memberId, MD_KEY)
    }
  })
})
