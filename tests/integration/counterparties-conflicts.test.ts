/**
 * Conflicts, field by field: registry > MoeDelo > CRM. `mergeFields` on its own, then through the flow:
 * the registry beats MoeDelo and the CRM; MoeDelo beats the CRM; a registry-backed value the manager edits
 * in the CRM is put back and the manager told why; the journal has old value, new value and reason.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { counterparties } from '@/db/schema/counterparties'
import { loadProvenance, mergeFields } from '@/lib/counterparties/provenance'
import { companyCounterpartyView, syncCompany } from '@/lib/sync/counterparties'
import { SEED } from '../emulators/registry'
import {
  commentsOn,
  createCompany,
  journal,
  legalAddressOf,
  MANAGER,
  MD_KEY,
  moedeloCounterparties,
  notificationsFor,
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

beforeEach(async () => {
  await resetApp(world)
})

const sync = (companyId: number) => syncCompany(world.database.db, world.memberId, companyId, { trigger: 'event' })

async function newRow(inn: string): Promise<number> {
  const [row] = await world.database.db
    .insert(counterparties)
    .values({ memberId: world.memberId, inn, kpp: '', kind: 'legal_entity' })
    .returning({ id: counterparties.id })
  return row!.id
}

async function seedMoeDelo(kontragents: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}/kontragents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kontragents),
  })
  expect(response.ok).toBe(true)
}

describe('mergeFields', () => {
  it('never lets a lower source replace a higher one, and journals every overwrite with old, new and reason', async () => {
    const id = await newRow('7707083893')
    const merge = (source: 'registry' | 'moedelo' | 'crm', kpp: string) =>
      mergeFields(world.database.db, { memberId: world.memberId, counterpartyId: id, source, fields: { kpp } })

    expect(await merge('crm', '773601001')).toEqual({ accepted: { kpp: '773601001' }, rejected: {}, overwrites: [] })
    const md = await merge('moedelo', '773601002')
    expect(md.overwrites).toEqual([{ field: 'kpp', oldValue: '773601001', newValue: '773601002', oldSource: 'crm', source: 'moedelo' }])
    expect(await merge('crm', '773601003')).toEqual({ accepted: {}, rejected: { kpp: '773601003' }, overwrites: [] })
    const reg = await merge('registry', '773601004')
    expect(reg.overwrites[0]).toMatchObject({ oldValue: '773601002', newValue: '773601004', oldSource: 'moedelo', source: 'registry' })
    expect(await merge('moedelo', '773601005')).toMatchObject({ rejected: { kpp: '773601005' }, overwrites: [] })
    expect(await merge('crm', '773601006')).toMatchObject({ rejected: { kpp: '773601006' } })
    expect((await loadProvenance(world.database.db, id)).kpp).toMatchObject({ value: '773601004', source: 'registry' })

    const entries = await journal(world, 'counterparty-conflict')
    expect(entries).toHaveLength(2)
    expect(entries[0]!.details).toMatchObject({ field: 'kpp', oldValue: '773601001', newValue: '773601002', oldSource: 'crm', source: 'moedelo' })
    expect(entries[0]!.message).toBe('КПП: «773601001» заменено на «773601002» — данные «Моё дело» важнее, чем данные CRM.')
    expect(entries[1]!.details).toMatchObject({ reason: 'данные ЕГРЮЛ/ЕГРИП важнее, чем данные «Моё дело»' })
  })

  it('case, quotes and punctuation are no conflict; empty values erase nothing; a higher source takes over an equal value', async () => {
    const id = await newRow('7736207543')
    await mergeFields(world.database.db, { memberId: world.memberId, counterpartyId: id, source: 'crm', fields: { shortName: 'ООО «Яндекс»', legalAddress: 'г. Москва, ул. Льва Толстого, д. 16' } })
    const reg = await mergeFields(world.database.db, {
      memberId: world.memberId,
      counterpartyId: id,
      source: 'registry',
      fields: { shortName: 'ООО "ЯНДЕКС"', legalAddress: 'г Москва, ул Льва Толстого, д 16', kpp: '' },
    })
    expect(reg.overwrites).toEqual([])
    expect(reg.accepted).toEqual({ shortName: 'ООО «Яндекс»', legalAddress: 'г. Москва, ул. Льва Толстого, д. 16' })
    const p = await loadProvenance(world.database.db, id)
    expect(p.shortName).toMatchObject({ value: 'ООО «Яндекс»', source: 'registry' })
    expect(p.kpp).toBeUndefined()
  })
})

describe('conflicts through the flow', () => {
  it('the registry beats MoeDelo and the CRM; MoeDelo is brought in line; the journal says why', async () => {
    await useRegistry(world, 'dadata')
    await seedMoeDelo([
      { Id: 18_000_500, Inn: SEED.yandex.inn, Kpp: SEED.yandex.kpp, Name: 'ООО "ЯНДЕКС"', ShortName: 'ООО "ЯНДЕКС"', Type: 2, Form: 1, IsArchived: false, LegalAddress: 'г. Москва, где-то', SignerFio: 'ИВАНОВ ИВАН' },
    ])
    const { companyId, requisiteId } = await createCompany(world, {
      title: 'Яндекс',
      requisite: { RQ_INN: SEED.yandex.inn, RQ_KPP: '770401001', RQ_DIRECTOR: 'Петров Пётр' },
      legalAddress: { ADDRESS_1: 'ул. Старая, д. 1', CITY: 'Москва' },
    })
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'linked', moedeloId: 18_000_500, moedeloUpdated: true })
    const rq = requisiteOf(world, companyId)
    expect(rq.RQ_KPP).toBe(SEED.yandex.kpp)
    expect(String(rq.RQ_DIRECTOR)).not.toContain('Петров')
    const address = String(legalAddressOf(world, requisiteId!)?.ADDRESS_1)
    expect(address).toMatch(/Льва Толстого/)

    const [md] = moedeloCounterparties(world)
    expect(md?.LegalAddress).toBe(address)

    const conflicts = await journal(world, 'counterparty-conflict')
    const kpp = conflicts.find((j) => j.details?.field === 'kpp')
    expect(kpp?.details).toMatchObject({ oldValue: '770401001', newValue: SEED.yandex.kpp, oldSource: 'crm', source: 'registry' })
    expect(kpp?.details?.reason).toBe('данные ЕГРЮЛ/ЕГРИП важнее, чем данные CRM')
    expect(conflicts.some((j) => j.details?.field === 'legalAddress' && j.details?.oldValue === 'Москва, ул. Старая, д. 1')).toBe(true)
    const view = await companyCounterpartyView(world.database.db, world.memberId, companyId)
    expect(view?.recentConflicts.some((c) => c.field === 'kpp' && c.oldValue === '770401001')).toBe(true)
  })

  it('MoeDelo beats the CRM when no registry is connected', async () => {
    await useRegistry(world, null)
    await seedMoeDelo([
      { Id: 18_000_600, Inn: '7721581040', Kpp: '772101001', Name: 'ООО «Дейта Кью»', ShortName: 'ООО «Дейта Кью»', Type: 2, Form: 1, IsArchived: false, LegalAddress: '115035, г. Москва, ул. Садовническая, д. 82, стр. 2' },
    ])
    const { companyId, requisiteId } = await createCompany(world, {
      title: 'Дейта Кью',
      requisite: { RQ_INN: '7721581040', RQ_KPP: '772101001', RQ_COMPANY_NAME: 'Дейта Кью' },
      legalAddress: { ADDRESS_1: 'ул. Другая, д. 5', CITY: 'Москва' },
    })
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'linked', moedeloId: 18_000_600 })
    expect(legalAddressOf(world, requisiteId!)?.ADDRESS_1).toBe('115035, г. Москва, ул. Садовническая, д. 82, стр. 2')
    expect(requisiteOf(world, companyId).RQ_COMPANY_NAME).toBe('ООО «Дейта Кью»')
    const conflicts = await journal(world, 'counterparty-conflict')
    expect(conflicts.find((j) => j.details?.field === 'legalAddress')?.details).toMatchObject({
      oldValue: 'Москва, ул. Другая, д. 5',
      oldSource: 'crm',
      source: 'moedelo',
      reason: 'данные «Моё дело» важнее, чем данные CRM',
    })
  })

  it('a registry-backed value the manager edits in the CRM is restored, and the manager is told why (once)', async () => {
    await useRegistry(world, 'kontur_focus')
    const { companyId, requisiteId } = await createCompany(world, { title: 'Сбер', requisite: { RQ_INN: SEED.sberbank.inn } })
    expect((await sync(companyId)).kind).toBe('created')
    const before = notificationsFor(world, MANAGER).length

    await world.asManager('crm.requisite.update', { id: requisiteId, fields: { RQ_KPP: '773699999', RQ_OGRN: '1027700132195' } })
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'linked', restored: ['kpp'], crmUpdated: true, moedeloUpdated: false })
    expect(requisiteOf(world, companyId).RQ_KPP).toBe(SEED.sberbank.kpp)
    const told = notificationsFor(world, MANAGER).slice(before)
    expect(told).toHaveLength(1)
    expect(told[0]!.message).toContain(`КПП: значение «773699999» заменено обратно на «${SEED.sberbank.kpp}»`)
    expect(told[0]!.message).toContain('ЕГРЮЛ')
    expect(commentsOn(world, companyId).at(-1)?.COMMENT).toContain('773699999')
    const restored = (await journal(world, 'counterparty-conflict')).find((j) => j.details?.reason === 'restored')
    expect(restored?.details).toMatchObject({ field: 'kpp', oldValue: '773699999', newValue: SEED.sberbank.kpp, source: 'registry' })

    // The echo of our own write: nothing more to do, nobody told again.
    expect(await sync(companyId)).toMatchObject({ kind: 'linked', restored: [], crmUpdated: false })
    expect(notificationsFor(world, MANAGER).length).toBe(before + 1)
  })

  it('a CRM edit of a field no higher source holds is accepted and goes to MoeDelo', async () => {
    await useRegistry(world, null)
    const { companyId, requisiteId } = await createCompany(world, { title: 'ООО «Ромашка»', requisite: { RQ_INN: '7721581040', RQ_KPP: '772101001' } })
    expect((await sync(companyId)).kind).toBe('created')
    await world.asManager('crm.requisite.update', { id: requisiteId, fields: { RQ_COMPANY_FULL_NAME: 'Общество с ограниченной ответственностью «Ромашка»' } })
    const outcome = await sync(companyId)
    expect(outcome).toMatchObject({ kind: 'linked', moedeloUpdated: true, restored: [] })
    const dump = (await (await fetch(`${world.moedelo.url}/__emulator/firms/${MD_KEY}`)).json()) as { hidden?: Record<string, { FullName?: string }> }
    expect(JSON.stringify(dump)).toContain('Общество с ограниченной ответственностью «Ромашка»')
  })
})
