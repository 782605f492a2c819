import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMoeDeloEmulator, type MoeDeloEmulator } from './index'
import { call, K, KEY_A, KEY_B, SAMPLE_FIELDS } from './test-helpers'

let emu: MoeDeloEmulator
const api = (method: string, path: string, options: Parameters<typeof call>[3] = {}) =>
  call(emu.url, method, path, { key: KEY_A, ...options })

beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'ООО "Альфа"', [KEY_B]: 'ООО "Бета"' } })
})
afterAll(() => emu.close())
beforeEach(async () => {
  await call(emu.url, 'DELETE', `/__emulator/firms/${KEY_A}/kontragents`)
  await call(emu.url, 'DELETE', `/__emulator/firms/${KEY_B}/kontragents`)
  await call(emu.url, 'PATCH', '/__emulator/config', {
    body: { validationErrorsShape: 'map', unknownInn: 'validation', pageSizeCap: null, pageSizeOverCap: 'clamp', deleteStatus: 204 },
  })
})

describe('create by INN (POST /kontragent/inn)', () => {
  it('returns 201 with the counterparty filled from the register, PascalCase, every §3.2 field', async () => {
    const res = await api('POST', `${K}/inn`, { body: { Inn: '7707083893', Type: 2 } })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(SAMPLE_FIELDS)
    expect(res.body).toMatchObject({
      Inn: '7707083893',
      Name: 'ПАО СБЕРБАНК',
      ShortName: 'ПАО СБЕРБАНК',
      Ogrn: '1027700132195',
      Kpp: '773601001',
      Type: 2,
      Form: 1,
      IsArchived: false,
      SignerFio: 'ГРЕФ ГЕРМАН ОСКАРОВИЧ',
      InReason: 'Устава',
    })
    expect(res.body.LegalAddress).toContain('Вавилова')
    expect(res.body.InFace).toContain('Грефа')
    expect(res.body.Id).toBeGreaterThanOrEqual(18_000_000)
    expect(typeof res.body.SubcontoId).toBe('number')
  })

  it('gives Form 2 to a 12-digit INN, defaults Type to 1 and keeps leading zeros', async () => {
    const ip = await api('POST', `${K}/inn`, { body: { Inn: '770123456703' } })
    expect(ip.status).toBe(201)
    expect(ip.body).toMatchObject({ Form: 2, Type: 1, Kpp: null, Ogrn: '321774600123451', Fio: 'Петров Пётр Петрович' })
    const zero = await api('POST', `${K}/inn`, { body: { Inn: '0660534489', Type: 1 } })
    expect(zero.body.Inn).toBe('0660534489')
  })

  it('rejects a malformed INN with the legacy validation shape', async () => {
    const res = await api('POST', `${K}/inn`, { body: { Inn: '12345', Type: 1 } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ Message: expect.any(String), ValidationErrors: { Inn: [expect.any(String)] } })
  })

  it('handles an INN missing from the register according to the unknownInn switch', async () => {
    const inn = '7728168971'
    const asValidation = await api('POST', `${K}/inn`, { body: { Inn: inn, Type: 1 } })
    expect(asValidation.status).toBe(400)
    expect(asValidation.body.ValidationErrors.Inn).toHaveLength(1)

    await call(emu.url, 'PATCH', '/__emulator/config', { body: { unknownInn: 'not_found' } })
    expect((await api('POST', `${K}/inn`, { body: { Inn: inn, Type: 1 } })).status).toBe(404)

    await call(emu.url, 'PATCH', '/__emulator/config', { body: { unknownInn: 'create_minimal' } })
    const created = await api('POST', `${K}/inn`, { body: { Inn: inn, Type: 1 } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ Inn: inn, Form: 1, Ogrn: null })
  })

  it('uses registry entries added over the control route', async () => {
    await call(emu.url, 'POST', '/__emulator/registry', {
      body: { entries: { '7719402047': { Name: 'ООО "МОТОРИКА"', Kpp: '771901001', Ogrn: '1157746875610' } } },
    })
    const res = await api('POST', `${K}/inn`, { body: { Inn: '7719402047', Type: 3 } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ Name: 'ООО "МОТОРИКА"', Kpp: '771901001', Type: 3, Form: 1 })
  })
})

describe('full create, read, update, delete', () => {
  it('creates from a full body (201), reads the bare object, 404 for a missing id', async () => {
    const created = await api('POST', K, {
      body: { Name: 'ИП Сидоров', Form: 2, Type: 2, Inn: '773165008890', Fio: 'Сидоров Сидор Сидорович', SiteUrl: 'https://example.ru' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ Name: 'ИП Сидоров', Form: 2, Type: 2, Inn: '773165008890', Fio: 'Сидоров Сидор Сидорович' })
    const got = await api('GET', `${K}/${created.body.Id}`)
    expect(got.status).toBe(200)
    expect(got.body).toEqual(created.body)
    expect(emu.firm(KEY_A).kontragentHidden.get(created.body.Id)).toEqual({ SiteUrl: 'https://example.ru' })
    expect((await api('GET', `${K}/99999999`)).status).toBe(404)
  })

  it('accepts enum names on input and answers numbers; binds a form-urlencoded body too', async () => {
    const named = await api('POST', K, { body: { Name: 'ООО "Имена"', Form: 'UL', Type: 'Client', Inn: '7736050003' } })
    expect(named.status).toBe(201)
    expect(named.body).toMatchObject({ Form: 1, Type: 2 })
    const form = await api('POST', K, { form: 'Name=%D0%A4%D0%BE%D1%80%D0%BC%D0%B0&Form=1&Type=3&Inn=7721581040' })
    expect(form.status).toBe(201)
    expect(form.body).toMatchObject({ Name: 'Форма', Form: 1, Type: 3, Inn: '7721581040' })
  })

  it('validates a full create with a field → messages map', async () => {
    const res = await api('POST', K, { body: { Form: 9, Inn: '123', Kpp: 'x' } })
    expect(res.status).toBe(400)
    expect(res.body.Message).toEqual(expect.any(String))
    expect(Object.keys(res.body.ValidationErrors).sort()).toEqual(['Form', 'Inn', 'Kpp', 'Name'])
    for (const messages of Object.values(res.body.ValidationErrors)) expect(messages).toEqual([expect.any(String)])
  })

  it('returns a flat list of messages when validationErrorsShape is "list"', async () => {
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { validationErrorsShape: 'list' } })
    const res = await api('POST', K, { body: { Type: 1 } })
    expect(res.status).toBe(400)
    expect(res.body.ValidationErrors).toEqual([expect.any(String)])
  })

  it('updates with PUT (Name required), keeping fields that were not sent', async () => {
    const created = await api('POST', `${K}/inn`, { body: { Inn: '7736207543', Type: 2 } })
    const id = created.body.Id
    const missingName = await api('PUT', `${K}/${id}`, { body: { Kpp: '770501002' } })
    expect(missingName.status).toBe(400)
    expect(missingName.body.ValidationErrors.Name).toBeDefined()
    const updated = await api('PUT', `${K}/${id}`, { body: { Name: 'ООО "ЯНДЕКС" (филиал)', Kpp: '770501002' } })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ Id: id, Name: 'ООО "ЯНДЕКС" (филиал)', Kpp: '770501002', Ogrn: '1027700229193', Type: 2 })
    expect((await api('PUT', `${K}/123`, { body: { Name: 'x' } })).status).toBe(404)
  })

  it('deletes with the configured status, then 404', async () => {
    const a = await api('POST', K, { body: { Name: 'Удаляемый' } })
    expect((await api('DELETE', `${K}/${a.body.Id}`)).status).toBe(204)
    expect((await api('GET', `${K}/${a.body.Id}`)).status).toBe(404)
    expect((await api('DELETE', `${K}/${a.body.Id}`)).status).toBe(404)
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { deleteStatus: 200 } })
    const b = await api('POST', K, { body: { Name: 'Удаляемый 2' } })
    expect((await api('DELETE', `${K}/${b.body.Id}`)).status).toBe(200)
  })

  it('adds a bank account and contacts to a counterparty', async () => {
    const k = await api('POST', K, { body: { Name: 'С реквизитами' } })
    const account = await api('POST', `${K}/${k.body.Id}/account`, { body: { Bik: '044525225', Number: '40702810938000000001' } })
    expect(account.status).toBe(201)
    expect(account.body).toMatchObject({ Id: expect.any(Number), KontragentId: k.body.Id, Bik: '044525225', Number: '40702810938000000001' })
    const badAccount = await api('POST', `${K}/${k.body.Id}/account`, { body: { Bik: '04452', Number: '1' } })
    expect(badAccount.status).toBe(400)
    expect(Object.keys(badAccount.body.ValidationErrors).sort()).toEqual(['Bik', 'Number'])
    const contact = await api('POST', `${K}/${k.body.Id}/contact`, { body: { Fio: 'Иванова Анна', Phone: '+79990000000' } })
    expect(contact.status).toBe(201)
    const changed = await api('PUT', `${K}/${k.body.Id}/contact/${contact.body.Id}`, { body: { Phone: '+79991111111' } })
    expect(changed.body).toMatchObject({ Fio: 'Иванова Анна', Phone: '+79991111111', KontragentId: k.body.Id })
    expect((await api('POST', `${K}/424242/account`, { body: { Bik: '044525225', Number: '40702810938000000001' } })).status).toBe(404)
  })
})

describe('list and search (GET /kontragent)', () => {
  it('returns the {Count, TotalCount, ResourceList} envelope with pageNo/pageSize paging (default 50)', async () => {
    const seed = Array.from({ length: 55 }, (_, i) => ({ Name: `Контрагент ${String(i + 1).padStart(2, '0')}` }))
    const seeded = await call(emu.url, 'POST', `/__emulator/firms/${KEY_A}/kontragents`, { body: { kontragents: seed } })
    expect(seeded.status).toBe(201)
    const first = await api('GET', K)
    expect(Object.keys(first.body)).toEqual(['Count', 'TotalCount', 'ResourceList'])
    expect(first.body).toMatchObject({ Count: 50, TotalCount: 55 })
    const page2 = await api('GET', `${K}?pageNo=2&pageSize=20`)
    expect(page2.body.Count).toBe(20)
    expect(page2.body.ResourceList[0].Name).toBe('Контрагент 21')
    const past = await api('GET', `${K}?pageNo=9&pageSize=20`)
    expect(past.body).toEqual({ Count: 0, TotalCount: 55, ResourceList: [] })
    const bad = await api('GET', `${K}?pageNo=0`)
    expect(bad.status).toBe(400)
    expect(bad.body.ValidationErrors.pageNo).toBeDefined()
  })

  it('filters inn exactly and name as a case-insensitive substring; allows duplicate INNs', async () => {
    await call(emu.url, 'POST', `/__emulator/firms/${KEY_A}/kontragents`, {
      body: [
        { Name: 'ООО "Ромашка"', Inn: '7707083893', Kpp: '773601001' },
        { Name: 'ООО "Ромашка" филиал', Inn: '7707083893', Kpp: '540602001' },
        { Name: 'ЗАО "Лютик"', Inn: '770708389' },
      ],
    })
    const dup = await api('POST', `${K}/inn`, { body: { Inn: '7707083893', Type: 1 } })
    expect(dup.status).toBe(201)
    const byInn = await api('GET', `${K}?inn=7707083893&pageSize=100`)
    expect(byInn.body.TotalCount).toBe(3)
    expect(byInn.body.ResourceList.map((k: { Id: number }) => k.Id)).toEqual(
      [...byInn.body.ResourceList.map((k: { Id: number }) => k.Id)].sort((a, b) => a - b),
    )
    const byName = await api('GET', `${K}?name=${encodeURIComponent('ромаш')}`)
    expect(byName.body.ResourceList.map((k: { Name: string }) => k.Name)).toEqual(['ООО "Ромашка"', 'ООО "Ромашка" филиал'])
    const caseInsensitiveQuery = await api('GET', `${K}?INN=770708389`)
    expect(caseInsensitiveQuery.body.TotalCount).toBe(1)
  })

  it('applies the page-size cap switch: clamp or reject', async () => {
    await call(emu.url, 'POST', `/__emulator/firms/${KEY_A}/kontragents`, { body: Array.from({ length: 12 }, (_, i) => ({ Name: `К${i}` })) })
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { pageSizeCap: 10 } })
    const clamped = await api('GET', `${K}?pageSize=1000`)
    expect(clamped.body).toMatchObject({ Count: 10, TotalCount: 12 })
    await call(emu.url, 'PATCH', '/__emulator/config', { body: { pageSizeOverCap: 'reject' } })
    const rejected = await api('GET', `${K}?pageSize=1000`)
    expect(rejected.status).toBe(400)
    expect(rejected.body.ValidationErrors.pageSize).toBeDefined()
  })

  it('keeps every firm (API key) isolated', async () => {
    await api('POST', K, { body: { Name: 'Только у Альфы' } })
    const b = await call(emu.url, 'GET', K, { key: KEY_B })
    expect(b.body.TotalCount).toBe(0)
    const aList = await api('GET', K)
    expect((await call(emu.url, 'GET', `${K}/${aList.body.ResourceList[0].Id}`, { key: KEY_B })).status).toBe(404)
  })
})

describe('pageSizeCap option', () => {
  it('is taken from the start options', async () => {
    const capped = await startMoeDeloEmulator({ apiKeys: { [KEY_A]: 'x' }, pageSizeCap: 2 })
    try {
      await call(capped.url, 'POST', `/__emulator/firms/${KEY_A}/kontragents`, { body: [{ Name: 'a' }, { Name: 'b' }, { Name: 'c' }] })
      const res = await call(capped.url, 'GET', `${K}?pageSize=50`, { key: KEY_A })
      expect(res.body).toMatchObject({ Count: 2, TotalCount: 3 })
    } finally {
      await capped.close()
    }
  })
})
