/** batch conformance (spec §1.10). */
import qs from 'qs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, postForm, startInstalled, type Installed } from './test-helpers'

let t: Installed

beforeAll(async () => {
  t = await startInstalled({ rateLimit: { enabled: false } })
})
afterAll(async () => {
  await t.emu.close()
  await t.receiver.close()
})

describe('batch', () => {
  it('runs named commands, substitutes $result[key][FIELD], reports totals/next/time', async () => {
    const { status, body } = await call(
      t.emu,
      'batch',
      {
        halt: 0,
        cmd: {
          deal: 'crm.deal.get?id=1',
          rows: 'crm.deal.productrows.get?id=1',
          company: 'crm.company.get?id=$result[deal][COMPANY_ID]',
          list: `crm.deal.list?${qs.stringify({ filter: { '>ID': 0 }, select: ['ID', 'COMPANY_ID'] })}`,
          first: 'crm.company.get?id=$result[list][0][COMPANY_ID]',
        },
      },
      t.token,
    )
    expect(status).toBe(200)
    const r = body.result
    expect(r.result.deal.ID).toBe('1')
    expect(r.result.company.ID).toBe(r.result.deal.COMPANY_ID)
    expect(r.result.first.ID).toBe(r.result.list[0].COMPANY_ID)
    expect(r.result_error).toEqual([])
    expect(r.result_total).toMatchObject({ list: expect.any(Number) })
    expect(r.result_next).toEqual([])
    expect(Object.keys(r.result_time).sort()).toEqual(['company', 'deal', 'first', 'list', 'rows'])
    expect(body.time).toHaveProperty('duration')
  })

  it('keeps going with halt=0 and stops at the first error with halt=1; legacy errors keep error:""', async () => {
    const cmd = { a: 'crm.deal.get?id=1', b: 'crm.deal.get?id=999', c: 'crm.deal.get?id=2' }
    const all = (await call(t.emu, 'batch', { halt: 0, cmd }, t.token)).body.result
    expect(Object.keys(all.result)).toEqual(['a', 'c'])
    expect(all.result_error).toEqual({ b: { error: '', error_description: 'Not found' } })
    const halted = (await call(t.emu, 'batch', { halt: 1, cmd }, t.token)).body.result
    expect(Object.keys(halted.result)).toEqual(['a'])
    expect(Object.keys(halted.result_error)).toEqual(['b'])
  })

  it('array-mode cmd returns position-keyed arrays (PHP serialisation)', async () => {
    const body = (await call(t.emu, 'batch', { cmd: ['crm.deal.get?id=1', 'crm.deal.get?id=2'] }, t.token)).body
    expect(Array.isArray(body.result.result)).toBe(true)
    expect(body.result.result.map((d: any) => d.ID)).toEqual(['1', '2'])
    const gap = (await call(t.emu, 'batch', { cmd: ['crm.deal.get?id=1', 'crm.deal.get?id=999', 'crm.deal.get?id=2'] }, t.token)).body
    expect(gap.result.result).toEqual({ 0: expect.anything(), 2: expect.anything() })
    expect(gap.result.result_error).toEqual({ 1: { error: '', error_description: 'Not found' } })
  })

  it('works over a form-encoded body with doubly-encoded commands and long arrays', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1)
    const form = qs.stringify({
      auth: t.token,
      halt: 0,
      cmd: { list: `crm.deal.list?${qs.stringify({ filter: { '@ID': ids }, select: ['ID'] })}` },
    })
    const { body } = await postForm(`${t.emu.url}/rest/batch.json`, form)
    expect(body.result.result.list.map((d: any) => Number(d.ID))).toEqual(ids.filter((id) => id <= 5))
  })

  it('rejects > 50 commands, nested batch, unknown methods; scope errors have empty descriptions', async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'profile']))
    const tooMany = await call(t.emu, 'batch', { cmd: many }, t.token)
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED')
    const nested = (await call(t.emu, 'batch', { cmd: { x: 'batch?cmd[a]=profile', y: 'no.such.method' } }, t.token)).body.result
    expect(nested.result_error.x.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED')
    expect(nested.result_error.y.error).toBe('ERROR_METHOD_NOT_FOUND')
    const hook = t.emu.addWebhook(1, 'crm')
    const scoped = (await (await fetch(`${hook}batch?${qs.stringify({ cmd: { n: 'im.notify.system.add?USER_ID=1&MESSAGE=x' } })}`)).json()) as any
    expect(scoped.result.result_error.n).toEqual({ error: 'insufficient_scope', error_description: '' })
  })

  it('an empty batch serialises every map as []', async () => {
    const body = (await call(t.emu, 'batch', { cmd: {} }, t.token)).body
    expect(body.result).toEqual({ result: [], result_error: [], result_total: [], result_next: [], result_time: [] })
  })
})
