/**
 * Company and requisite events through the real job queue: b24.event → counterparty.company → syncCompany
 * against the Bitrix24, MoeDelo and registry emulators. Invalid requisites are never sent anywhere; the
 * manager is told in plain Russian, once per distinct wrong value; a registry quota or outage is
 * journalled clearly and the work is retried later, nothing lost; our own writes converge.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { b24EventJob, handleB24Event } from '@/lib/bitrix24/event-jobs'
import { EVENTS_PATH, UF } from '@/lib/bitrix24/app-manifest'
import { parseEventBody } from '@/lib/bitrix24/events'
import { requisiteProblemMessage, validateRequisites } from '@/lib/domain'
import { enqueue, startJobRunner, type JobRunner } from '@/lib/jobs'
import { allJobDefinitions } from '@/lib/jobs/definitions'
import { syncCompany } from '@/lib/sync/counterparties'
import { SEED } from '../emulators/registry'
import { count, sql, waitFor } from '../support/jobs/helpers'
import {
  clearRegistryLog,
  commentsOn,
  companyOf,
  createCompany,
  journal,
  MANAGER,
  moedeloCounterparties,
  notificationsFor,
  registryHits,
  resetApp,
  startWorld,
  useRegistry,
  type World,
} from '../counterparties/support'

let world: World
let runner: JobRunner
let ts = 1

beforeAll(async () => {
  world = await startWorld()
  runner = await startJobRunner({
    handle: world.database,
    definitions: allJobDefinitions,
    retryDelaysSeconds: [1, 1, 1],
    pollingIntervalSeconds: 0.5,
    concurrency: 4,
  })
})

afterAll(async () => {
  await runner?.stop()
  await world?.close()
})

beforeEach(async () => {
  await resetApp(world)
  await useRegistry(world, 'dadata')
  await clearRegistryLog(world)
})

const completed = (name: string) =>
  count(world.database.db, sql`select count(*)::int as n from pgboss.job where name = ${name} and state = 'completed'`)

async function deliver(event: string, entityId: number): Promise<void> {
  await enqueue(b24EventJob, { memberId: world.memberId, event, entityId, ts: ts++ })
}

describe('INN check through the event flow', () => {
  it('a wrong check digit: the manager is told exactly what is wrong, nothing goes to MoeDelo or the registry, and only once', async () => {
    const { companyId, requisiteId } = await createCompany(world, {
      title: 'ООО «Опечатка»',
      requisite: { RQ_INN: '7707083894', RQ_KPP: '773601001' },
    })
    const before = await completed('counterparty.company')
    await deliver('ONCRMREQUISITEUPDATE', requisiteId!)
    const expected = 'ИНН 7707083894: неверная контрольная цифра — проверьте последнюю цифру'
    await waitFor('the manager to be notified', () => notificationsFor(world, MANAGER).some((n) => n.message.includes(expected)))
    expect(commentsOn(world, companyId).map((c) => c.COMMENT).join('\n')).toContain(expected)
    expect(notificationsFor(world, MANAGER)[0]!.message).toContain(`[URL=/crm/company/details/${companyId}/]`)
    expect(moedeloCounterparties(world)).toHaveLength(0)
    expect(await registryHits(world)).toBe(0)
    await waitFor('the first job to complete', async () => (await completed('counterparty.company')) >= before + 1)

    // The same wrong value again (another event for the same edit, or an unrelated edit): no second message.
    await deliver('ONCRMCOMPANYUPDATE', companyId)
    await waitFor('the second job to complete', async () => (await completed('counterparty.company')) >= before + 2)
    expect(notificationsFor(world, MANAGER).filter((n) => n.message.includes(expected))).toHaveLength(1)
    expect(commentsOn(world, companyId)).toHaveLength(1)
    expect(moedeloCounterparties(world)).toHaveLength(0)
    expect((await journal(world, 'counterparty')).filter((j) => j.message.includes(expected))).toHaveLength(1)
  })

  it('every kind of wrong requisite gets its own plain-Russian sentence', async () => {
    const vectors: { title: string; preset?: 'Организация' | 'ИП'; requisite: Record<string, string>; kind: 'legal_entity' | 'sole_trader' }[] = [
      { title: 'Короткий ИНН', requisite: { RQ_INN: '77070838', RQ_KPP: '773601001' }, kind: 'legal_entity' },
      { title: 'Буква О', requisite: { RQ_INN: 'О707083893', RQ_KPP: '773601001' }, kind: 'legal_entity' },
      { title: 'Нули', requisite: { RQ_INN: '0000000000', RQ_KPP: '773601001' }, kind: 'legal_entity' },
      { title: 'КПП 8 знаков', requisite: { RQ_INN: '7707083893', RQ_KPP: '77360100' }, kind: 'legal_entity' },
      { title: 'ОГРН с ошибкой', requisite: { RQ_INN: '7707083893', RQ_KPP: '773601001', RQ_OGRN: '1027700132194' }, kind: 'legal_entity' },
      { title: 'ИНН ИП в организации', requisite: { RQ_INN: '770123456703' }, kind: 'legal_entity' },
      { title: 'ИП с КПП', preset: 'ИП', requisite: { RQ_INN: '770123456703', RQ_KPP: '773601001' }, kind: 'sole_trader' },
      { title: 'ИП, ОГРНИП с ошибкой', preset: 'ИП', requisite: { RQ_INN: '770123456703', RQ_OGRNIP: '321774600123452' }, kind: 'sole_trader' },
    ]
    const created = []
    for (const v of vectors) created.push({ v, ...(await createCompany(world, { title: v.title, preset: v.preset ?? 'Организация', requisite: v.requisite })) })
    for (const c of created) await deliver('ONCRMREQUISITEADD', c.requisiteId!)
    for (const { v, companyId } of created) {
      const result = validateRequisites({ inn: v.requisite.RQ_INN, kpp: v.requisite.RQ_KPP, ogrn: v.requisite.RQ_OGRN, ogrnip: v.requisite.RQ_OGRNIP, kind: v.kind })
      expect(result.ok).toBe(false)
      if (result.ok) continue
      const sentence = requisiteProblemMessage(result.problems.find((p) => p.code !== 'kpp_missing')!)
      await waitFor(`a message for «${v.title}»`, () => commentsOn(world, companyId).some((c) => c.COMMENT.includes(sentence)))
      expect(notificationsFor(world, MANAGER).some((n) => n.message.includes(sentence))).toBe(true)
    }
    expect(moedeloCounterparties(world)).toHaveLength(0)
    expect(await registryHits(world)).toBe(0)
  })

  it('a valid company via its requisite event: enriched, created in MoeDelo once, and our own echo changes nothing', async () => {
    const { companyId, requisiteId } = await createCompany(world, {
      title: 'Сбер',
      requisite: { RQ_INN: SEED.sberbank.inn, RQ_KPP: SEED.sberbank.kpp },
    })
    await deliver('ONCRMREQUISITEUPDATE', requisiteId!)
    await waitFor('the company to get its MoeDelo id', () => companyOf(world, companyId)[UF.companyKontragentId])
    expect(moedeloCounterparties(world)).toHaveLength(1)
    expect(String(companyOf(world, companyId)[UF.companyKontragentId])).toBe(String(moedeloCounterparties(world)[0]!.Id))
    expect(companyOf(world, companyId)[UF.companyRegistryStatus]).toBe('Действующая')

    // Everything our writes fired comes back as events: they must converge (no writes, no new events).
    await world.portal.waitForDeliveries()
    const echoes = world.receiver.bodiesAt(EVENTS_PATH).map((b) => parseEventBody(b)).filter((p) => p.ok)
    expect(echoes.length).toBeGreaterThan(0)
    const deliveriesBefore = world.portal.state.deliveries.length
    for (const parsed of echoes) {
      if (!parsed.ok) continue
      await handleB24Event(world.database.db, { memberId: world.memberId, event: parsed.event.event, entityId: parsed.event.entityId, ts: parsed.event.ts }, {
        enqueueCompany: async (p) => {
          const outcome = await syncCompany(world.database.db, p.memberId, p.companyId, { trigger: 'event' })
          if (outcome.kind === 'linked' || outcome.kind === 'created') {
            expect(outcome.crmUpdated).toBe(false)
            expect(outcome.moedeloUpdated).toBe(false)
          }
          return true
        },
      })
    }
    await world.portal.waitForDeliveries()
    expect(world.portal.state.deliveries.length).toBe(deliveriesBefore)
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })
})

describe('registry failures through the event flow', () => {
  it.each(['dadata', 'kontur_focus'] as const)('%s quota exhausted: a clear journal message, retried later, nothing lost', async (provider) => {
    await useRegistry(world, provider)
    const { companyId, requisiteId } = await createCompany(world, { title: `Яндекс (${provider})`, requisite: { RQ_INN: SEED.yandex.inn, RQ_KPP: SEED.yandex.kpp } })
    if (provider === 'dadata') world.dadata.setUsage(await dadataKey(), world.dadata.switches.dailyQuota)
    else world.focus.switches.quota = world.focus.usage(await focusKey())
    await deliver('ONCRMREQUISITEUPDATE', requisiteId!)
    await waitFor('a journal entry about the quota', async () =>
      (await journal(world, 'counterparty')).find((j) => j.level === 'warning' && /лимит/i.test(j.message) && j.entity_id === String(companyId)),
    )
    const entry = (await journal(world, 'counterparty')).find((j) => /лимит/i.test(j.message))!
    expect(entry.message).toContain(`компании №${companyId}`)
    expect(entry.message).not.toMatch(/403|Forbidden|quota/i)
    expect(moedeloCounterparties(world)).toHaveLength(0)

    // The limit is renewed: the scheduled retry finishes the work.
    if (provider === 'dadata') world.dadata.setUsage(await dadataKey(), 0)
    else world.focus.switches.quota = null
    await waitFor('the retry to create the counterparty', () => companyOf(world, companyId)[UF.companyKontragentId], { timeoutMs: 60_000 })
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })

  it('provider down (5xx): journalled, retried, done when it answers again', async () => {
    const { companyId, requisiteId } = await createCompany(world, { title: 'Контур', requisite: { RQ_INN: SEED.kontur.inn, RQ_KPP: SEED.kontur.kpp } })
    world.dadata.faults.add({ kind: 'status', status: 503, pathPrefix: '/suggestions', times: 1 })
    await deliver('ONCRMREQUISITEUPDATE', requisiteId!)
    await waitFor('a journal entry about the outage', async () =>
      (await journal(world, 'counterparty')).find((j) => j.entity_id === String(companyId) && /не отвечает|недоступна/.test(j.message)),
    )
    await waitFor('the retry to finish', () => companyOf(world, companyId)[UF.companyKontragentId], { timeoutMs: 60_000 })
    expect(moedeloCounterparties(world)).toHaveLength(1)
  })
})

async function dadataKey(): Promise<string> {
  const { DADATA_DEMO_API_KEY } = await import('../emulators/registry')
  return DADATA_DEMO_API_KEY
}

async function focusKey(): Promise<string> {
  const { FOCUS_DEMO_KEY } = await import('../emulators/registry')
  return FOCUS_DEMO_KEY
}
