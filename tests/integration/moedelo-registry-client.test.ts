/**
 * The MoeDelo client's Registry read (spec §6.1) against the emulator over HTTP: incoming payments of
 * type 16, linked to a bill or not, exact amounts, the counterparty from `Contractor.Id`, paging by
 * Offset/Limit even when the server clamps Limit, and either member casing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { formatMoney } from '@/lib/domain/money'
import { ApiKeyCredentials, MoeDeloClient, MoeDeloError } from '@/lib/moedelo'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '@/tests/emulators/moedelo'

const KEY = '5e1d0a44-7a1b-4c3e-9f00-4e9157e70001'

let emu: MoeDeloEmulator
let client: MoeDeloClient
let kontragentId: number

const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emu.url}/__emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

const registryRequests = async () =>
  ((await control('GET', '/requests')).body.requests as { path: string; query: Record<string, string> }[]).filter((r) => r.path === '/money/api/v1/Registry')

beforeAll(async () => {
  emu = await startMoeDeloEmulator({ apiKeys: { [KEY]: 'ООО "Продавец"' } })
  client = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials(KEY), timeoutMs: 10_000 })
  const created = await control('POST', `/firms/${KEY}/kontragents`, { Name: 'ООО "Покупатель"', Inn: '7707083893', Form: 1, Type: 2 })
  kontragentId = created.body.created[0].Id
})
afterAll(async () => {
  await emu?.close()
})
beforeEach(async () => {
  await control('DELETE', `/firms/${KEY}/bills`)
  await control('DELETE', '/requests')
  await control('PATCH', '/config', { moneyJsonCase: 'camel', registryLimitCap: null })
})

describe('MoeDeloClient.incomingPayments', () => {
  it('reads linked and unlinked payments with exact amounts, dates, numbers and the counterparty', async () => {
    const [bill] = emu.seedBills(KEY, [{ Number: '41', DocDate: '2026-02-01', KontragentId: kontragentId, Sum: '1000.10' }])
    await control('POST', `/firms/${KEY}/payments`, { Sum: '600.05', BillId: bill!.Id, Number: '901', Date: '2026-02-03' })
    await control('POST', `/firms/${KEY}/payments`, { Sum: '0.01', KontragentId: kontragentId, Number: '902', Date: '2026-02-04', Description: 'Аванс' })
    await control('POST', `/firms/${KEY}/payments`, { Sum: '5', KontragentId: kontragentId, Number: '903', Date: '2026-03-01' })

    const ops = await client.incomingPayments({ startDate: '2026-02-01', endDate: '2026-02-28' })
    expect(ops.map((o) => [o.number, o.date, formatMoney(o.amount), o.kontragentId, o.operationType])).toEqual([
      ['901', '2026-02-03', '600.05', kontragentId, 16],
      ['902', '2026-02-04', '0.01', kontragentId, 16],
    ])
    expect(ops[0]!.description).toBe('Оплата по счёту № 41 от 2026-02-01')
    expect(ops[0]!.modifiedAt).toMatch(/\+03:00$/)
    const [request] = await registryRequests()
    expect(request!.query).toMatchObject({ StartDate: '2026-02-01', EndDate: '2026-02-28', OperationSource: '1', OperationTypes: '16', Offset: '0' })
  })

  it('pages by Offset += what came back until totalCount, also when the server clamps Limit', async () => {
    for (let i = 0; i < 7; i += 1) {
      await control('POST', `/firms/${KEY}/payments`, { Sum: 1 + i, KontragentId: kontragentId, Number: `p${i}`, Date: '2026-05-05' })
    }
    await control('PATCH', '/config', { registryLimitCap: 3 })
    const ops = await client.incomingPayments({ startDate: '2026-05-05', endDate: '2026-05-05' })
    expect(ops.map((o) => o.number)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'])
    expect((await registryRequests()).map((r) => r.query.Offset)).toEqual(['0', '3', '6'])
  })

  it('reads PascalCase members as well', async () => {
    await control('POST', `/firms/${KEY}/payments`, { Sum: '12.34', KontragentId: kontragentId, Number: '77', Date: '2026-06-01' })
    await control('PATCH', '/config', { moneyJsonCase: 'pascal' })
    const [op] = await client.incomingPayments({ startDate: '2026-06-01', endDate: '2026-06-01' })
    expect(op).toMatchObject({ number: '77', date: '2026-06-01', kontragentId })
    expect(formatMoney(op!.amount)).toBe('12.34')
  })

  it('fails with a typed error for a refused key and a tariff without the Money service', async () => {
    const stranger = new MoeDeloClient({ baseUrl: emu.url, credentials: new ApiKeyCredentials('no-such-key'), timeoutMs: 5_000 })
    await expect(stranger.incomingPayments({ startDate: '2026-01-01', endDate: '2026-01-31' })).rejects.toMatchObject({ kind: 'unauthorized' })
    await control('PUT', `/firms/${KEY}/forbidden`, { services: ['money'] })
    try {
      const error = await client.incomingPayments({ startDate: '2026-01-01', endDate: '2026-01-31' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MoeDeloError)
      expect(error).toMatchObject({ kind: 'forbidden', retryable: false })
    } finally {
      await control('PUT', `/firms/${KEY}/forbidden`, { services: [] })
    }
  })
})
