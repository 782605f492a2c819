/** Reading a batch built around one record: gone → not found, anything else missing → a retryable failure. */
import { describe, expect, it } from 'vitest'
import { batchRecord, requireBatchResults } from '@/lib/bitrix24/batch-results'
import type { BatchResult } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'

const answer = (results: Record<string, unknown>, errors: BatchResult['errors'] = {}): BatchResult => ({
  results,
  errors,
  totals: {},
  ok: Object.keys(errors).length === 0,
})

function thrown(fn: () => unknown): Bitrix24Error {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(Bitrix24Error)
    return error as Bitrix24Error
  }
  throw new Error('expected a Bitrix24Error')
}

describe('batchRecord', () => {
  it('returns the record the command read', () => {
    expect(batchRecord(answer({ deal: { ID: '7', TITLE: 'Поставка' } }), 'deal', 'crm.deal.get')).toEqual({ ID: '7', TITLE: 'Поставка' })
  })

  it('is undefined when Bitrix24 says the record does not exist (crm.*.get: an empty code, "Not found")', () => {
    const gone = (key: string) => answer({}, { [key]: { key, code: '', description: 'Not found' } })
    expect(batchRecord(gone('deal'), 'deal', 'crm.deal.get')).toBeUndefined()
    expect(batchRecord(gone('company'), 'company', 'crm.company.get')).toBeUndefined()
  })

  it('throws a retryable server error naming the method when the command failed otherwise', () => {
    const error = thrown(() => batchRecord(answer({}, { deal: { key: 'deal', code: 'INTERNAL_SERVER_ERROR', description: 'Сбой' } }), 'deal', 'crm.deal.get'))
    expect(error).toMatchObject({ kind: 'server', code: 'INTERNAL_SERVER_ERROR', method: 'crm.deal.get', retryable: true })
  })

  it('throws when the command returned no record and no error', () => {
    for (const value of [undefined, null, false, 'deal']) {
      const error = thrown(() => batchRecord(answer({ deal: value }), 'deal', 'crm.deal.get'))
      expect(error).toMatchObject({ kind: 'server', code: 'NO_RESULT', method: 'crm.deal.get', retryable: true })
    }
  })
})

describe('requireBatchResults', () => {
  it('passes when the commands succeeded, whatever else failed', () => {
    expect(() => requireBatchResults(answer({ rows: [] }, { link: { key: 'link', code: 'ERROR', description: '' } }), ['rows', 'presets'])).not.toThrow()
  })

  it('throws a retryable error for the first failed command', () => {
    const batch = answer({}, { presets: { key: 'presets', code: 'PRESETS_DOWN', description: '' }, rows: { key: 'rows', code: '', description: 'Сбой' } })
    expect(thrown(() => requireBatchResults(batch, ['rows', 'presets']))).toMatchObject({ kind: 'server', code: 'NO_RESULT', method: 'batch', retryable: true })
    expect(thrown(() => requireBatchResults(batch, ['presets', 'rows']))).toMatchObject({ code: 'PRESETS_DOWN' })
  })
})
