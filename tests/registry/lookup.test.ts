/**
 * Lookups by INN through BOTH providers against the emulators over HTTP: the same entities must map to
 * the same app-level `RegistryRecord` facts whichever vendor answered.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SEED } from '@/tests/emulators/registry'
import { selectRecord, type RegistryProvider } from '@/lib/registry'
import { PROVIDERS, registryError, resetEmulators, startEmulators, stopEmulators, type Emulators } from './helpers'

let emus: Emulators
beforeAll(async () => {
  emus = await startEmulators()
})
afterAll(async () => {
  await stopEmulators(emus)
})
beforeEach(async () => {
  await resetEmulators(emus)
})

describe.each(PROVIDERS)('$name provider', ({ name, make, emulator }) => {
  let provider: RegistryProvider
  beforeEach(() => {
    provider = make(emus)
  })

  it('legal entity: head office + branches; the head maps every card field', async () => {
    const records = await provider.findByInn(SEED.sberbank.inn)
    expect(provider.kind).toBe(name)
    expect(records.map((r) => [r.branchType, r.kpp])).toEqual([
      ['main', '773601001'],
      ['branch', '540602001'],
    ])
    const head = selectRecord(records, { inn: SEED.sberbank.inn })
    expect(head).toMatchObject({
      provider: name,
      kind: 'legal_entity',
      inn: '7707083893',
      kpp: '773601001',
      ogrn: '1027700132195',
      ogrnip: null,
      ogrnDate: '2002-08-16',
      fullName: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"',
      shortName: 'ПАО СБЕРБАНК',
      legalAddressPrecision: 'full',
      status: 'active',
      branchType: 'main',
      branchName: null,
      registeredAt: '1991-06-20',
      liquidatedAt: null,
      okved: '64.19',
      okvedName: 'Денежное посредничество прочее',
      okvedVersion: '2014',
      successors: [],
    })
    expect(head.director).toMatchObject({ name: 'Греф Герман Оскарович', isCompany: false })
    expect(head.director?.position?.toLowerCase()).toBe('президент, председатель правления')
    expect(head.legalAddress).toMatch(/117312.*Москва.*Вавилова/)
    expect(head.sourceRef).toBeTruthy()
  })

  it('branch: a KPP selects the subdivision (its own name and address)', async () => {
    const records = await provider.findByInn(SEED.sberbank.inn, { kpp: SEED.sberbank.branchKpp })
    expect(records).toHaveLength(1)
    const branch = selectRecord(records, { inn: SEED.sberbank.inn, kpp: SEED.sberbank.branchKpp })
    expect(branch).toMatchObject({ kind: 'legal_entity', branchType: 'branch', kpp: '540602001', ogrn: '1027700132195', branchName: 'СИБИРСКИЙ БАНК ПАО СБЕРБАНК' })
    expect(branch.legalAddress).toMatch(/Новосибирск/)

    const kontur = await provider.findByInn(SEED.kontur.inn)
    expect(kontur.map((r) => r.kpp)).toEqual(['667101001', '590443001', '771543001'])
    expect(selectRecord(kontur, { inn: SEED.kontur.inn, kpp: '590443001' }).legalAddress).toMatch(/Пермь/)
    expect(selectRecord(kontur, { inn: SEED.kontur.inn }).kpp).toBe('667101001')
  })

  it('an unknown KPP of a known company → not_found with a plain message', async () => {
    const records = await provider.findByInn(SEED.sberbank.inn)
    const error = await registryError(async () => selectRecord(records, { inn: SEED.sberbank.inn, kpp: '773601999' }))
    expect(error.kind).toBe('not_found')
    expect(error.userMessage).toBe('У организации с ИНН 7707083893 не найдено подразделение с КПП 773601999.')
  })

  it('ИП: no KPP, ОГРНИП, city-only address, the person as head; the active registration is chosen', async () => {
    const records = await provider.findByInn(SEED.soleTrader.inn)
    expect(records.map((r) => [r.ogrnip, r.status])).toEqual([
      [SEED.soleTrader.ogrnip, 'active'],
      [SEED.soleTrader.closedOgrnip, 'liquidated'],
    ])
    const ip = selectRecord(records, { inn: SEED.soleTrader.inn })
    expect(ip).toMatchObject({
      kind: 'sole_trader',
      inn: '770123456703',
      kpp: null,
      ogrn: null,
      ogrnip: '321774600123451',
      ogrnDate: '2021-03-15',
      fullName: 'Индивидуальный предприниматель Петрова Мария Сергеевна',
      shortName: 'ИП Петрова Мария Сергеевна',
      legalAddressPrecision: 'locality',
      director: { name: 'Петрова Мария Сергеевна', position: 'Индивидуальный предприниматель', isCompany: false },
      status: 'active',
      branchType: 'main',
      registeredAt: '2021-03-15',
      okved: '62.01',
    })
    expect(ip.legalAddress).toMatch(/Москва/)
  })

  it('ceased ИП (Focus docs sample): liquidated with the date', async () => {
    const [ip] = await provider.findByInn(SEED.closedSoleTrader.inn)
    expect(ip).toMatchObject({ kind: 'sole_trader', ogrnip: '309565808600188', status: 'liquidated', liquidatedAt: '2018-01-10', statusDate: '2018-01-10' })
  })

  it('liquidated company: status and liquidation date', async () => {
    const [avaps] = await provider.findByInn(SEED.avaps.inn)
    expect(avaps).toMatchObject({
      inn: '7709809066',
      ogrn: '5087746425509',
      shortName: 'ООО "АВАПС"',
      status: 'liquidated',
      liquidatedAt: '2012-09-17',
      statusDate: '2012-09-17',
      registeredAt: '2008-11-17',
    })
  })

  it('liquidating, bankrupt and reorganising companies (successor linked)', async () => {
    expect((await provider.findByInn(SEED.liquidating.inn))[0]?.status).toBe('liquidating')
    expect((await provider.findByInn(SEED.bankrupt.inn))[0]?.status).toBe('bankrupt')
    const [reorg] = await provider.findByInn(SEED.reorganizing.inn)
    expect(reorg?.status).toBe('reorganizing')
    expect(reorg?.successors).toEqual([{ inn: SEED.successor.inn, ogrn: SEED.successor.ogrn, name: 'ООО "ТД ПРЕЕМНИК"' }])
  })

  it('unknown INN → [] and selectRecord explains it (legal entity vs person without ИП)', async () => {
    expect(await provider.findByInn('1234567894')).toEqual([])
    const legal = await registryError(async () => selectRecord(await provider.findByInn('1234567894'), { inn: '1234567894' }))
    expect(legal.kind).toBe('not_found')
    expect(legal.retryable).toBe(false)
    expect(legal.userMessage).toBe('Организация с ИНН 1234567894 не найдена в ЕГРЮЛ.')
    const person = await registryError(async () => selectRecord(await provider.findByInn('123456789047'), { inn: '123456789047' }))
    expect(person.userMessage).toBe('ИНН 123456789047 не зарегистрирован как индивидуальный предприниматель (в ЕГРИП нет записи).')
  })

  it('normalises spaces/dashes/NBSP; rejects a bad INN or KPP before any HTTP request', async () => {
    expect((await provider.findByInn('7707\u00A0083-893'))[0]?.inn).toBe('7707083893')
    await fetch(`${emulator(emus).url}/__emulator/requests`, { method: 'DELETE' })
    for (const [input, text] of [
      ['7707083894', 'ИНН указан с ошибкой: не сходится контрольная цифра. Проверьте номер.'],
      ['770708389', 'ИНН должен содержать 10 цифр (организация) или 12 цифр (индивидуальный предприниматель).'],
      ['7707O83893', 'ИНН должен состоять только из цифр.'],
      ['0000000000', 'ИНН указан неверно: такого номера не бывает.'],
    ] as const) {
      const error = await registryError(() => provider.findByInn(input))
      expect(error).toMatchObject({ kind: 'invalid_request', retryable: false, service: 'registry', userMessage: text })
    }
    const kpp = await registryError(() => provider.findByInn(SEED.sberbank.inn, { kpp: '773601O01' }))
    expect(kpp.kind).toBe('invalid_request')
    expect(await emulator(emus).requests()).toEqual([])
  })
})
