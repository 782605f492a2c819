/**
 * Registry enrichment through BOTH providers (DaData, Kontur.Focus emulators over HTTP): a legal entity,
 * an ИП (ИП preset found by XML_ID, no KPP), a branch (a separate record only when the CRM names its
 * KPP), a liquidated company (flagged, and it stays flagged), an unknown INN; the database cache.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { counterparties } from '@/db/schema/counterparties'
import { UF } from '@/lib/bitrix24/app-manifest'
import { DatabaseRegistryCache, registryConnectionStatus, registryProviderFor, saveRegistryConnection } from '@/lib/connections/registry'
import { recordRegistryStatus } from '@/lib/counterparties/store'
import { RegistryError } from '@/lib/registry'
import { companyCounterpartyView, syncCompany, type SyncCompanyOutcome } from '@/lib/sync/counterparties'
import { SEED } from '../emulators/registry'
import {
  clearRegistryLog,
  commentsOn,
  companyOf,
  createCompany,
  legalAddressOf,
  MANAGER,
  moedeloCounterparties,
  notificationsFor,
  registryHits,
  requisiteOf,
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

const sync = (companyId: number, opts: { forceRegistry?: boolean } = {}) =>
  syncCompany(world.database.db, world.memberId, companyId, { trigger: 'event', ...opts })

function expectSynced(outcome: SyncCompanyOutcome): asserts outcome is Extract<SyncCompanyOutcome, { kind: 'created' | 'linked' }> {
  expect(['created', 'linked']).toContain(outcome.kind)
}

describe.each(['dadata', 'kontur_focus'] as const)('enrichment through %s', (provider) => {
  beforeAll(async () => {
    await resetApp(world)
    await useRegistry(world, provider)
  })

  it('a legal entity: names, KPP, OGRN, director and the legal address are filled in from the registry', async () => {
    const { companyId, requisiteId } = await createCompany(world, { title: `Сбер (${provider})`, requisite: { RQ_INN: SEED.sberbank.inn } })
    const outcome = await sync(companyId)
    expectSynced(outcome)
    expect(outcome.unitKpp).toBe('')
    const rq = requisiteOf(world, companyId)
    expect(rq.RQ_KPP).toBe(SEED.sberbank.kpp)
    expect(rq.RQ_OGRN).toBe(SEED.sberbank.ogrn)
    expect(String(rq.RQ_COMPANY_NAME).toUpperCase()).toContain('СБЕРБАНК')
    expect(String(rq.RQ_COMPANY_FULL_NAME).toUpperCase()).toContain('СБЕРБАНК РОССИИ')
    expect(String(rq.RQ_DIRECTOR).toLowerCase()).toBe('греф герман оскарович')
    expect(String(legalAddressOf(world, requisiteId!)?.ADDRESS_1)).toMatch(/117312.*Москва.*Вавилова/)
    expect(companyOf(world, companyId)[UF.companyRegistryStatus]).toBe('Действующая')
    expect(moedeloCounterparties(world)).toHaveLength(1)

    const view = await companyCounterpartyView(world.database.db, world.memberId, companyId)
    expect(view).toMatchObject({ inn: SEED.sberbank.inn, kpp: SEED.sberbank.kpp, registryStatus: 'Действующая', moedeloId: outcome.moedeloId })
    expect(view?.fields.kpp?.source).toBe('registry')
    expect(view?.registryCheckedAt).toBeTruthy()

    // Again: the cached answer (no registry request), nothing written anywhere.
    await clearRegistryLog(world)
    const again = await sync(companyId)
    expectSynced(again)
    expect(again).toMatchObject({ kind: 'linked', crmUpdated: false, moedeloUpdated: false, overwrites: [] })
    expect(await registryHits(world)).toBe(0)
    // «Обновить из ЕГРЮЛ»: asks the registry even though the cache is fresh.
    const refreshed = await sync(companyId, { forceRegistry: true })
    expect(refreshed.kind).toBe('linked')
    expect(await registryHits(world)).toBeGreaterThan(0)
  })

  it('an ИП: the ИП preset (looked up, not assumed), OGRNIP, no KPP', async () => {
    const { companyId } = await createCompany(world, {
      title: `ИП Петрова (${provider})`,
      preset: 'Физ. лицо',
      requisite: { RQ_INN: SEED.soleTrader.inn },
    })
    const outcome = await sync(companyId)
    expectSynced(outcome)
    const rq = requisiteOf(world, companyId)
    const presets = world.portal.state.presets
    expect(rq.PRESET_ID).toBe(presets.find((p) => p.XML_ID === '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#')!.ID)
    expect(rq.RQ_OGRNIP).toBe(SEED.soleTrader.ogrnip)
    expect(rq.RQ_KPP ?? '').toBe('')
    expect(String(rq.RQ_COMPANY_NAME)).toMatch(/^ИП /i)
    const [md] = moedeloCounterparties(world).filter((k) => k.Inn === SEED.soleTrader.inn)
    expect(md?.Form).toBe(2)
    expect(md?.Kpp ?? null).toBeNull()
  })

  it('a branch is a separate record only when the CRM names its KPP; the head office KPP again is a duplicate', async () => {
    const head = await createCompany(world, { title: `Альфа (${provider})`, requisite: { RQ_INN: SEED.alfaBank.inn, RQ_KPP: SEED.alfaBank.kpp } })
    const branch = await createCompany(world, {
      title: `Альфа, Екатеринбург (${provider})`,
      requisite: { RQ_INN: SEED.alfaBank.inn, RQ_KPP: SEED.alfaBank.branchKpp },
    })
    const again = await createCompany(world, { title: `Альфа-Банк ещё раз (${provider})`, requisite: { RQ_INN: SEED.alfaBank.inn } })
    const h = await sync(head.companyId)
    const b = await sync(branch.companyId)
    expectSynced(h)
    expectSynced(b)
    expect(h.unitKpp).toBe('')
    expect(b.unitKpp).toBe(SEED.alfaBank.branchKpp)
    expect(b.counterpartyId).not.toBe(h.counterpartyId)
    expect(b.moedeloId).not.toBe(h.moedeloId)
    expect(requisiteOf(world, branch.companyId).RQ_KPP).toBe(SEED.alfaBank.branchKpp)
    const inMd = moedeloCounterparties(world).filter((k) => k.Inn === SEED.alfaBank.inn)
    expect(inMd.map((k) => k.Kpp).sort()).toEqual([SEED.alfaBank.branchKpp, SEED.alfaBank.kpp].sort())

    const dup = await sync(again.companyId)
    expect(dup).toMatchObject({ kind: 'duplicate', existingCompanyId: head.companyId })
    expect(moedeloCounterparties(world).filter((k) => k.Inn === SEED.alfaBank.inn)).toHaveLength(2)
  })

  it('a liquidated company is flagged on the card and in the table, the manager is told once, and it stays flagged', async () => {
    const { companyId } = await createCompany(world, { title: `АВАПС (${provider})`, requisite: { RQ_INN: SEED.avaps.inn } })
    const outcome = await sync(companyId)
    expectSynced(outcome)
    expect(outcome.registryStatus).toBe('liquidated')
    expect(companyOf(world, companyId)[UF.companyRegistryStatus]).toBe('Внимание: ликвидирована 17.09.2012')
    const [row] = await world.database.db.select().from(counterparties).where(eq(counterparties.id, outcome.counterpartyId))
    expect(row?.registryStatus).toBe('liquidated')
    expect(notificationsFor(world, MANAGER).filter((n) => n.message.includes('ликвидирована'))).toHaveLength(1)
    expect(commentsOn(world, companyId).some((c) => c.COMMENT.includes('ликвидирована'))).toBe(true)

    await sync(companyId, { forceRegistry: true })
    expect(companyOf(world, companyId)[UF.companyRegistryStatus]).toBe('Внимание: ликвидирована 17.09.2012')
    expect(notificationsFor(world, MANAGER).filter((n) => n.message.includes('ликвидирована'))).toHaveLength(1)

    // An answer about another unit (or an unknown status) never clears the flag…
    expect(await recordRegistryStatus(world.database.db, outcome.counterpartyId, 'active', false)).toBe('liquidated')
    expect(await recordRegistryStatus(world.database.db, outcome.counterpartyId, 'unknown', true)).toBe('liquidated')
    // …only the registry saying «active» for this very INN+KPP does.
    expect(await recordRegistryStatus(world.database.db, outcome.counterpartyId, 'active', true)).toBe('active')
  })

  it('bankrupt and liquidating companies are flagged in plain Russian', async () => {
    const bankrupt = await createCompany(world, { title: `Банкрот (${provider})`, requisite: { RQ_INN: SEED.bankrupt.inn } })
    const liquidating = await createCompany(world, { title: `Ликвидация (${provider})`, requisite: { RQ_INN: SEED.liquidating.inn } })
    expect((await sync(bankrupt.companyId)).kind).toMatch(/created|linked/)
    expect((await sync(liquidating.companyId)).kind).toMatch(/created|linked/)
    expect(companyOf(world, bankrupt.companyId)[UF.companyRegistryStatus]).toBe('Внимание: банкротство')
    expect(companyOf(world, liquidating.companyId)[UF.companyRegistryStatus]).toBe('Внимание: в процессе ликвидации')
  })

  it('an INN the registry does not know: the manager is told, nothing goes to MoeDelo', async () => {
    const { companyId } = await createCompany(world, { title: `Неизвестная (${provider})`, requisite: { RQ_INN: '1234567894', RQ_KPP: '773601001' } })
    const before = moedeloCounterparties(world).length
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'not-in-registry', notified: true })
    expect(commentsOn(world, companyId)[0]?.COMMENT).toContain('1234567894')
    expect(moedeloCounterparties(world)).toHaveLength(before)
    expect(await sync(companyId)).toMatchObject({ kind: 'not-in-registry', notified: false })
  })
})

describe('registry connection', () => {
  it('a key is checked live before it is stored (encrypted); a bad key is refused', async () => {
    await expect(
      saveRegistryConnection(world.database.db, world.memberId, { provider: 'kontur_focus', apiKey: 'not-a-valid-key' }),
    ).rejects.toBeInstanceOf(RegistryError)
    await useRegistry(world, 'kontur_focus')
    expect(await registryConnectionStatus(world.database.db, world.memberId)).toMatchObject({ connected: true, provider: 'kontur_focus' })
    const raw = await world.database.db.execute(
      (await import('drizzle-orm')).sql`select credentials_enc from registry_connections where member_id = ${world.memberId}`,
    )
    expect(JSON.stringify(raw)).not.toContain('demo0focus0key')
  })

  it('the database cache serves repeated lookups until the TTL runs out', async () => {
    await resetApp(world)
    await useRegistry(world, 'dadata')
    await clearRegistryLog(world)
    const provider = (await registryProviderFor(world.database.db, world.memberId, { ttlSeconds: 60 }))!
    await provider.findByInn(SEED.yandex.inn)
    await provider.findByInn(SEED.yandex.inn)
    expect(await registryHits(world)).toBe(1)
    // Another process (a new provider) sees the same cache.
    const other = (await registryProviderFor(world.database.db, world.memberId))!
    expect((await other.findByInn(SEED.yandex.inn))[0]?.inn).toBe(SEED.yandex.inn)
    expect(await registryHits(world)).toBe(1)
    // Expired: asked again.
    const later = new DatabaseRegistryCache(world.database.db, { now: () => new Date(Date.now() + 120_000) })
    expect(await later.get(`dadata:${SEED.yandex.inn}:*`)).toBeUndefined()
    expect(await later.purgeExpired()).toBeGreaterThan(0)
    await provider.findByInn(SEED.yandex.inn)
    expect(await registryHits(world)).toBe(2)
  })
})
