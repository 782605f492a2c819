/**
 * One INN — one record: duplicates in Bitrix24 are reported with a link and never sent to MoeDelo;
 * duplicates already in MoeDelo are resolved by the rule (matching KPP, non-archived, lowest Id) with no
 * create; concurrent syncs of one INN create exactly one MoeDelo counterparty; `/kontragent/inn` refused
 * → full create; MoeDelo down → retryable, nothing recorded, done on the next run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { UF } from '@/lib/bitrix24/app-manifest'
import { MoeDeloError } from '@/lib/moedelo'
import { syncCompany, type SyncCompanyOutcome } from '@/lib/sync/counterparties'
import { SEED } from '../emulators/registry'
import {
  commentsOn,
  companyOf,
  createCompany,
  MANAGER,
  MD_KEY,
  moedeloCounterparties,
  notificationsFor,
  resetApp,
  startWorld,
  useRegistry,
  type World,
} from '../counterparties/support'

let world: World

beforeAll(async () => {
  world = await startWorld()
})

afterAll(async () => {
  await world?.close()
})

beforeEach(async () => {
  await resetApp(world)
  await useRegistry(world, 'dadata')
})

const sync = (companyId: number) => syncCompany(world.database.db, world.memberId, companyId, { trigger: 'event' })

async function seedMoeDelo(kontragents: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/kontragents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kontragents),
  })
  expect(response.ok).toBe(true)
}

describe('duplicates', () => {
  it('a second company with an INN already mapped is reported to its manager with a link, and never sent to MoeDelo', async () => {
    const first = await createCompany(world, { title: 'Яндекс', requisite: { RQ_INN: SEED.yandex.inn, RQ_KPP: SEED.yandex.kpp } })
    const second = await createCompany(world, { title: 'Яндекс (дубль)', requisite: { RQ_INN: SEED.yandex.inn } })
    expect((await sync(first.companyId)).kind).toBe('created')
    const outcome = await sync(second.companyId)
    expect(outcome).toMatchObject({ kind: 'duplicate', existingCompanyId: first.companyId, notified: true })
    const link = `[URL=/crm/company/details/${first.companyId}/]Яндекс[/URL]`
    expect(notificationsFor(world, MANAGER).some((n) => n.message.includes(link))).toBe(true)
    expect(commentsOn(world, second.companyId)[0]?.COMMENT).toContain(link)
    expect(moedeloCounterparties(world)).toHaveLength(1)
    expect(companyOf(world, second.companyId)[UF.companyKontragentId] ?? '').toBe('')

    // Reported once.
    expect(await sync(second.companyId)).toMatchObject({ kind: 'duplicate', notified: false })
    expect(commentsOn(world, second.companyId)).toHaveLength(1)

    // The first company is deleted: the second one takes the record over.
    await world.asManager('crm.company.delete', { id: first.companyId })
    const taken = await sync(second.companyId)
    expect(taken.kind).toBe('linked')
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })

  it('duplicates already in MoeDelo: the non-archived one with the same KPP and the lowest Id is picked, nothing is created', async () => {
    const base = { Inn: SEED.sberbank.inn, Name: 'ПАО СБЕРБАНК', ShortName: 'ПАО СБЕРБАНК', Type: 2, Form: 1 }
    await seedMoeDelo([
      { ...base, Id: 18_000_100, Kpp: SEED.sberbank.kpp, IsArchived: true },
      { ...base, Id: 18_000_150, Kpp: SEED.sberbank.branchKpp, IsArchived: false },
      { ...base, Id: 18_000_300, Kpp: SEED.sberbank.kpp, IsArchived: false },
      { ...base, Id: 18_000_200, Kpp: SEED.sberbank.kpp, IsArchived: false },
    ])
    const { companyId } = await createCompany(world, { title: 'Сбер', requisite: { RQ_INN: SEED.sberbank.inn, RQ_KPP: SEED.sberbank.kpp } })
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'linked', moedeloId: 18_000_200 })
    expect(moedeloCounterparties(world)).toHaveLength(4)
    expect(companyOf(world, companyId)[UF.companyKontragentId]).toBe('18000200')
  })

  it('10 concurrent syncs of one company create exactly one MoeDelo counterparty', async () => {
    const { companyId } = await createCompany(world, { title: 'Контур', requisite: { RQ_INN: SEED.kontur.inn, RQ_KPP: SEED.kontur.kpp } })
    // Slow MoeDelo writes widen the race window.
    world.moedelo.faults.add({ kind: 'latency', delayMs: 300, pathPrefix: '/kontragents', method: 'POST' })
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => sync(companyId)))
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1)
    expect(outcomes.every((o) => o.kind === 'created' || o.kind === 'linked')).toBe(true)
    const inMd = moedeloCounterparties(world)
    expect(inMd).toHaveLength(1)
    expect(new Set(outcomes.map((o) => (o as Extract<SyncCompanyOutcome, { kind: 'linked' }>).moedeloId))).toEqual(new Set([inMd[0]!.Id]))
  })

  it('10 companies with one INN synced at once: one MoeDelo counterparty, nine duplicates reported', async () => {
    const companies = []
    for (let i = 0; i < 10; i++) {
      companies.push(await createCompany(world, { title: `Альфа №${i}`, requisite: { RQ_INN: SEED.alfaBank.inn, RQ_KPP: SEED.alfaBank.kpp } }))
    }
    world.moedelo.faults.add({ kind: 'latency', delayMs: 200, pathPrefix: '/kontragents', method: 'POST' })
    const outcomes = await Promise.all(companies.map((c) => sync(c.companyId)))
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1)
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(9)
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })
})

describe('creating in MoeDelo', () => {
  it('MoeDelo refuses /kontragent/inn: a full create from the registry data', async () => {
    const { companyId } = await createCompany(world, { title: 'Банкрот', requisite: { RQ_INN: SEED.bankrupt.inn } })
    const outcome = await sync(companyId)
    expect(outcome.kind).toBe('created')
    const [md] = moedeloCounterparties(world)
    expect(md?.Inn).toBe(SEED.bankrupt.inn)
    expect(md?.Name).toMatch(/СТРОЙ-БАНКРОТ/i)
    expect(md?.Kpp).toBeTruthy()
  })

  it('without a registry the CRM data is used, and MoeDelo fills the rest', async () => {
    await useRegistry(world, null)
    const { companyId } = await createCompany(world, { title: 'ООО «Ромашка»', requisite: { RQ_INN: '7721581040', RQ_KPP: '772101001' } })
    const outcome = await sync(companyId)
    expect(outcome.kind).toBe('created')
    expect(moedeloCounterparties(world)[0]).toMatchObject({ Inn: '7721581040', Kpp: '772101001', Name: 'ООО «Ромашка»' })
  })

  it('MoeDelo down: the error is retryable, nothing is recorded, the next run creates it once', async () => {
    const { companyId } = await createCompany(world, { title: 'Яндекс', requisite: { RQ_INN: SEED.yandex.inn, RQ_KPP: SEED.yandex.kpp } })
    world.moedelo.faults.add({ kind: 'status', status: 503, pathPrefix: '/kontragents', times: 1 })
    const error = await sync(companyId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MoeDeloError)
    expect((error as MoeDeloError).retryable).toBe(true)
    expect(moedeloCounterparties(world)).toHaveLength(0)
    expect((await sync(companyId)).kind).toBe('created')
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })
})
