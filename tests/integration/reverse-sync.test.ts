/**
 * Reverse sync of counterparties, MoeDelo → Bitrix24, through the real parts: the MoeDelo and
 * Bitrix24 emulators over HTTP, the portal client with its shared leaky bucket, the database.
 * New MoeDelo records become companies with requisites (preset by XML_ID, ИП without KPP) and a
 * legal address; an edit is written to the requisite; an unchanged run costs zero Bitrix24
 * requests; archived and invalid-INN records are handled; an INN already in the CRM is linked.
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setDatabase } from '@/db'
import { counterparties, fieldProvenance, syncJournal } from '@/db/schema'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { startJobRunner, type JobRunner } from '@/lib/jobs'
import {
  PENDING_HASH,
  reverseCounterpartySyncJob,
  runReverseCounterpartySync,
  scheduleReverseSync,
} from '@/lib/sync/reverse-counterparties'
import { kppFor, seedCompanies, validInn } from '../bench/bulk-first-sync'
import { setTestEnv, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../bitrix24/support/env'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type KontragentDto, type MoeDeloEmulator } from '../emulators/moedelo'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { waitFor } from '../support/ports'

const KEY = '4d2e6a10-1111-4c3c-9d4d-reverse00001'
// The emulator drains 20/s here (the test stays short); the client gets the same drain rate with a margin.
const EMULATOR_BUCKET = { enabled: true, drainRate: 20, burst: 50 }
const FAST = { drainRate: 20, burst: 25 }

let database: TestDatabase
let receiver: Receiver
let b24: Bitrix24Emulator
let md: MoeDeloEmulator
let memberId: string

const ORG_INN = validInn(101)
const IP_INN = validInn(102, 12)
const ARCHIVED_INN = validInn(103)
const PERSON_INN = validInn(105, 12)
const BAD_INN = `${validInn(104).slice(0, 9)}${(Number(validInn(104)[9]) + 1) % 10}`

interface Logged {
  path: string
  status: number
}

async function restRequests(): Promise<Logged[]> {
  const response = await fetch(`${b24.url}/__emulator/requests`)
  return ((await response.json()) as { requests: Logged[] }).requests.filter((r) => r.path.startsWith('/rest/'))
}
const clearRequests = () => fetch(`${b24.url}/__emulator/requests`, { method: 'DELETE' })

async function seedMoeDelo(list: Partial<KontragentDto>[]): Promise<KontragentDto[]> {
  const response = await fetch(`${md.url}/__emulator/firms/${KEY}/kontragents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(list),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { created: KontragentDto[] }).created
}

const companyOf = (companyId: number) => b24.state.companies.get(companyId)
const requisitesOf = (companyId: number) => [...b24.state.requisites.values()].filter((r) => r.ENTITY_TYPE_ID === 4 && r.ENTITY_ID === companyId)
const legalAddressOf = (requisiteId: number) => b24.state.addresses.find((a) => a.ENTITY_TYPE_ID === 8 && a.ENTITY_ID === requisiteId && a.TYPE_ID === 6)
const rowOf = async (moedeloId: number) =>
  (await database.db.select().from(counterparties).where(and(eq(counterparties.memberId, memberId), eq(counterparties.moedeloId, moedeloId))))[0]
const journal = () => database.db.select().from(syncJournal).where(eq(syncJournal.memberId, memberId))

let org: KontragentDto
let ip: KontragentDto

beforeAll(async () => {
  receiver = await startReceiver()
  md = await startMoeDeloEmulator({ apiKeys: { [KEY]: 'ООО "Бухгалтерия"' } })
  setTestEnv({ APP_URL: receiver.url, MOEDELO_API_URL: md.url })
  setDefaultRateLimit(FAST)
  database = await createTestDatabase()
  setDatabase(database)
  b24 = await startBitrix24Emulator({
    seed: false,
    app: { clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET, installUrl: `${receiver.url}/b24/install`, appUrl: `${receiver.url}/b24/app` },
    rateLimit: EMULATOR_BUCKET,
  })
  // Presets with ids that are not 1/2/3: the app must look them up by XML_ID.
  for (const preset of b24.state.presets) preset.ID += 40
  memberId = b24.memberId
  await b24.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
  await connectWithApiKey(database.db, memberId, KEY)
  ;[org, ip] = await seedMoeDelo([
    {
      Inn: ORG_INN,
      Kpp: kppFor(ORG_INN),
      Ogrn: '1027700132195',
      Name: 'ООО "Северный ветер"',
      ShortName: 'ООО "Северный ветер"',
      Form: 1,
      Type: 2,
      LegalAddress: '119021, г. Москва, ул. Льва Толстого, д. 16',
      SignerFio: 'Петров Пётр Петрович',
    },
    { Inn: IP_INN, Name: 'ИП Сидорова Анна Викторовна', Form: 2, Type: 2, Ogrn: '321774600123451', Fio: 'Сидорова Анна Викторовна', RegistrationAddress: 'г. Тверь' },
    { Inn: ARCHIVED_INN, Name: 'ООО "Архив"', Form: 1, Type: 2, IsArchived: true },
    // A private person (e.g. the buyer of a contact's invoice): not a company.
    { Inn: PERSON_INN, Name: 'Кузнецова Мария Ивановна', Form: 3, Type: 2, Fio: 'Кузнецова Мария Ивановна' },
    { Inn: BAD_INN, Name: 'ООО "Опечатка"', Form: 1, Type: 2 },
    // A duplicate of the first (MoeDelo allows them): never a second company.
    { Inn: ORG_INN, Kpp: kppFor(ORG_INN), Name: 'ООО "Северный ветер" (дубль)', Form: 1, Type: 2 },
  ]) as [KontragentDto, KontragentDto]
})

afterAll(async () => {
  setDefaultRateLimit(undefined)
  setDatabase(undefined)
  await b24?.close()
  await md?.close()
  await receiver?.close()
  await database?.drop()
})

beforeEach(async () => {
  await clearRequests()
})

describe('reverse sync MoeDelo → Bitrix24', () => {
  it('creates companies with requisites and a legal address for new MoeDelo counterparties', async () => {
    const companiesBefore = b24.state.companies.size
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ status: 'done', scanned: 6, created: 2, updated: 0, skippedArchived: 1, skippedPersons: 1, skippedInvalid: 1, duplicates: 1, failed: 0 })
    expect(b24.state.companies.size).toBe(companiesBefore + 2)

    const orgRow = (await rowOf(org.Id))!
    expect(orgRow).toMatchObject({ inn: ORG_INN, kpp: '', kind: 'legal_entity', moedeloHash: expect.stringMatching(/^[0-9a-f]{40}$/) })
    const company = companyOf(orgRow.companyId!)!
    expect(company.TITLE).toBe('ООО "Северный ветер"')
    expect(company.UF_CRM_MD_KONTRAGENT_ID).toBe(String(org.Id))
    const [requisite] = requisitesOf(orgRow.companyId!)
    const orgPreset = b24.state.presets.find((p) => p.XML_ID === '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#')!
    expect(requisite).toMatchObject({
      ID: orgRow.requisiteId,
      PRESET_ID: orgPreset.ID,
      RQ_INN: ORG_INN,
      RQ_KPP: kppFor(ORG_INN),
      RQ_OGRN: '1027700132195',
      RQ_COMPANY_NAME: 'ООО "Северный ветер"',
      RQ_DIRECTOR: 'Петров Пётр Петрович',
    })
    expect(legalAddressOf(requisite!.ID)?.ADDRESS_1).toBe('119021, г. Москва, ул. Льва Толстого, д. 16')

    const ipRow = (await rowOf(ip.Id))!
    expect(ipRow).toMatchObject({ inn: IP_INN, kind: 'sole_trader' })
    const [ipRequisite] = requisitesOf(ipRow.companyId!)
    const ipPreset = b24.state.presets.find((p) => p.XML_ID === '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#')!
    expect(ipRequisite).toMatchObject({ PRESET_ID: ipPreset.ID, RQ_INN: IP_INN, RQ_OGRNIP: '321774600123451', RQ_KPP: null })

    // Provenance: the values came from MoeDelo.
    const provenance = await database.db.select().from(fieldProvenance).where(eq(fieldProvenance.counterpartyId, orgRow.id))
    expect(provenance.find((p) => p.field === 'kpp')).toMatchObject({ value: kppFor(ORG_INN), source: 'moedelo' })

    // The archived one and the one with a bad INN are not in the CRM; the bad INN is in the journal, in Russian.
    const inns = [...b24.state.requisites.values()].map((r) => r.RQ_INN)
    expect(inns).not.toContain(ARCHIVED_INN)
    expect(inns).not.toContain(BAD_INN)
    const entries = await journal()
    expect(entries.filter((e) => e.message.includes('«ООО "Опечатка"»'))).toHaveLength(1)
    expect(entries.find((e) => e.message.includes('Опечатка'))!.message).toMatch(/ИНН .* неверной контрольной цифрой/)
    expect(entries.map((e) => e.message)).toContain('Из «Моё дело» добавлено компаний: 2, обновлено: 0.')

    // All of it cost a handful of batch requests (lookups, presets, creation), not one call per field.
    const used = await restRequests()
    expect(used.length).toBeLessThanOrEqual(4)
    expect(used.every((r) => r.status === 200)).toBe(true)
  })

  it('an unchanged second run costs zero Bitrix24 requests and journals nothing new', async () => {
    const before = (await journal()).length
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ created: 0, updated: 0, linked: 0, unchanged: 2, bitrix24Requests: 0 })
    expect(await restRequests()).toEqual([])
    expect((await journal()).length).toBe(before)
  })

  it('an edit in MoeDelo updates the requisite and the legal address, in one batch request', async () => {
    const stored = md.firm(KEY).kontragents.get(org.Id)!
    stored.SignerFio = 'Иванова Мария Сергеевна'
    stored.LegalAddress = '190000, г. Санкт-Петербург, Невский пр., д. 1'
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 1, failed: 0, bitrix24Requests: 1 })
    const used = await restRequests()
    expect(used.map((r) => r.path.replace(/\/+/g, '/'))).toEqual(['/rest/batch'])

    const row = (await rowOf(org.Id))!
    const [requisite] = requisitesOf(row.companyId!)
    expect(requisite!.RQ_DIRECTOR).toBe('Иванова Мария Сергеевна')
    expect(requisite!.RQ_KPP).toBe(kppFor(ORG_INN))
    expect(legalAddressOf(requisite!.ID)?.ADDRESS_1).toBe('190000, г. Санкт-Петербург, Невский пр., д. 1')
    expect((await journal()).map((e) => e.message)).toContain('Из «Моё дело» добавлено компаний: 0, обновлено: 1.')

    await clearRequests()
    expect(await runReverseCounterpartySync(database.db, memberId)).toMatchObject({ updated: 0, unchanged: 2, bitrix24Requests: 0 })
    expect(await restRequests()).toEqual([])
  })

  it('a registry value is not overwritten by MoeDelo (registry > MoeDelo), and nothing is written for it', async () => {
    const row = (await rowOf(org.Id))!
    await database.db
      .update(fieldProvenance)
      .set({ value: 'ООО "СЕВЕРНЫЙ ВЕТЕР"', source: 'registry' })
      .where(and(eq(fieldProvenance.counterpartyId, row.id), eq(fieldProvenance.field, 'shortName')))
    md.firm(KEY).kontragents.get(org.Id)!.ShortName = 'ООО "Ветер Севера"'
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ updated: 0, unchangedAfterMerge: 1, bitrix24Requests: 0 })
    expect(await restRequests()).toEqual([])
    const [requisite] = requisitesOf(row.companyId!)
    expect(requisite!.RQ_COMPANY_NAME).toBe('ООО "Северный ветер"')
  })

  it('an INN already on a CRM company is linked to it instead of creating a duplicate company', async () => {
    const [existing] = seedCompanies(b24, 1, { from: 700, prefix: 'ООО «Старый клиент' })
    const companiesBefore = b24.state.companies.size
    const [created] = await seedMoeDelo([{ Inn: existing!.inn, Kpp: kppFor(existing!.inn), Name: 'ООО "Старый клиент"', Form: 1, Type: 2, SignerFio: 'Кузнецов Олег Ильич' }])
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ created: 0, linked: 1, failed: 0 })
    expect(b24.state.companies.size).toBe(companiesBefore)
    const row = (await rowOf(created!.Id))!
    expect(row).toMatchObject({ companyId: existing!.companyId, requisiteId: existing!.requisiteId })
    expect(companyOf(existing!.companyId)!.UF_CRM_MD_KONTRAGENT_ID).toBe(String(created!.Id))
    // MoeDelo outranks the CRM: its director lands on the existing requisite.
    expect(b24.state.requisites.get(existing!.requisiteId)!.RQ_DIRECTOR).toBe('Кузнецов Олег Ильич')
  })

  it('an INN fixed in MoeDelo and an unarchived record are created on the next run; a failed write is retried', async () => {
    const firm = md.firm(KEY)
    const bad = [...firm.kontragents.values()].find((k) => k.Inn === BAD_INN)!
    bad.Inn = validInn(105)
    const archived = [...firm.kontragents.values()].find((k) => k.Inn === ARCHIVED_INN)!
    archived.IsArchived = false
    // The first attempt at writing fails inside the batch (the requisite method is refused once).
    b24.portal.operatingLimited.add('crm.requisite.add')
    const failed = await runReverseCounterpartySync(database.db, memberId)
    expect(failed.failed).toBe(2)
    expect((await rowOf(bad.Id))?.moedeloHash).toBe(PENDING_HASH)
    b24.portal.operatingLimited.delete('crm.requisite.add')

    const companiesBefore = b24.state.companies.size
    const summary = await runReverseCounterpartySync(database.db, memberId)
    expect(summary).toMatchObject({ failed: 0, skippedInvalid: 0, skippedArchived: 0 })
    // The companies made by the first attempt get their requisites; no further companies.
    expect(b24.state.companies.size).toBe(companiesBefore)
    for (const k of [bad, archived]) {
      const row = (await rowOf(k.Id))!
      expect(row.moedeloHash).not.toBe(PENDING_HASH)
      expect(requisitesOf(row.companyId!).map((r) => r.RQ_INN)).toEqual([k.Inn])
    }
    expect(await runReverseCounterpartySync(database.db, memberId)).toMatchObject({ bitrix24Requests: 0 })
  })

  it('runs as a periodic job that schedules its next run', async () => {
    let runner: JobRunner | undefined
    try {
      runner = await startJobRunner({ handle: database, definitions: [reverseCounterpartySyncJob], pollingIntervalSeconds: 0.5, superviseIntervalSeconds: 1 })
      const [k] = await seedMoeDelo([{ Inn: validInn(106), Name: 'ООО "Из задачи"', Form: 1, Type: 2 }])
      expect(await scheduleReverseSync(memberId, { intervalSeconds: 3600 })).toEqual(expect.any(String))
      await waitFor('the job to create the company', async () => Boolean((await rowOf(k!.Id))?.companyId), 30_000)
      // The next run is queued an hour ahead, once; scheduling again adds nothing.
      const queuedAhead = async () => {
        const queued = (await database.db.execute(
          sql`select count(*)::int as n from pgboss.job where name = ${reverseCounterpartySyncJob.name} and state = 'created' and start_after > now() + interval '30 minutes'`,
        )) as unknown
        const list = Array.isArray(queued) ? queued : (queued as { rows: { n: number }[] }).rows
        return (list[0] as { n: number }).n
      }
      await waitFor('the next run to be queued', async () => (await queuedAhead()) === 1)
      await scheduleReverseSync(memberId, { intervalSeconds: 3600 })
      const all = (await database.db.execute(sql`select count(*)::int as n from pgboss.job where name = ${reverseCounterpartySyncJob.name} and state = 'created'`)) as unknown
      const rows = Array.isArray(all) ? all : (all as { rows: { n: number }[] }).rows
      expect((rows[0] as { n: number }).n).toBe(1)
    } finally {
      await runner?.stop()
    }
  })
})
