import { describe, expect, it } from 'vitest'
import { errorFromResponse, extractValidationIssues, fieldLabel, kindForStatus, MoeDeloError } from './errors'
import { moeDeloMessages } from './messages'

const ctx = { method: 'POST', path: '/x' }

describe('status → kind', () => {
  it.each([
    [400, 'validation', false],
    [422, 'validation', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [409, 'unexpected', false],
    [429, 'rate_limited', true],
    [500, 'unavailable', true],
    [502, 'unavailable', true],
    [503, 'unavailable', true],
    [504, 'unavailable', true],
  ] as const)('%i → %s (retryable %s)', (status, kind, retryable) => {
    expect(kindForStatus(status)).toBe(kind)
    const error = new MoeDeloError({ kind, message: '' })
    expect([error.retryable, error.service, error.name]).toEqual([retryable, 'moedelo', 'MoeDeloError'])
  })
})

describe('validation details (spec §11: whichever member is present)', () => {
  it('reads a ValidationErrors map, a list, ModelState, errors arrays and maps, Message and message', () => {
    expect(extractValidationIssues({ Message: 'The request is invalid.', ValidationErrors: { 'Items[0].Price': ['Цена не может быть отрицательной'] } })).toEqual([
      { field: 'Items[0].Price', message: 'Цена не может быть отрицательной' },
    ])
    expect(extractValidationIssues({ ValidationErrors: ['Неверный ИНН', 'Неверный КПП'] })).toEqual([{ message: 'Неверный ИНН' }, { message: 'Неверный КПП' }])
    expect(extractValidationIssues({ Message: 'x', ModelState: { 'model.Name': ['Обязательное поле'] } })).toEqual([
      { field: 'model.Name', message: 'Обязательное поле' },
    ])
    expect(extractValidationIssues({ errors: [{ key: 'Sum', message: 'Сумма должна быть больше нуля' }] })).toEqual([
      { field: 'Sum', message: 'Сумма должна быть больше нуля' },
    ])
    expect(extractValidationIssues({ errors: { DocDate: ['Дата обязательна'] } })).toEqual([{ field: 'DocDate', message: 'Дата обязательна' }])
    expect(extractValidationIssues({ message: 'Контрагент не найден' })).toEqual([{ message: 'Контрагент не найден' }])
    expect(extractValidationIssues('Текстовая ошибка')).toEqual([{ message: 'Текстовая ошибка' }])
    expect(extractValidationIssues(undefined)).toEqual([])
  })

  it('labels fields in Russian and never shows raw field names or English boilerplate', () => {
    expect(fieldLabel('Items[0].Price')).toBe('Позиция 1: Цена')
    expect(fieldLabel('model.Inn')).toBe('ИНН')
    expect(fieldLabel('SomethingUnknown')).toBeUndefined()
    const error = errorFromResponse(
      400,
      { Message: 'The request is invalid.', ValidationErrors: { 'Items[1].NdsType': ['Недопустимая ставка НДС'], Weird: ['Ошибка в поле'] } },
      ctx,
    )
    expect(error.userMessage).toBe('«Моё дело» не приняло данные: Позиция 2: Ставка НДС — Недопустимая ставка НДС; Ошибка в поле')
    expect(error.message).toContain('HTTP 400')
    const englishOnly = errorFromResponse(400, { Message: 'The request is invalid.' }, ctx)
    expect(englishOnly.userMessage).toBe(moeDeloMessages.validation)
  })

  it('reads Retry-After seconds', () => {
    expect(errorFromResponse(429, undefined, { ...ctx, retryAfter: '7' }).retryAfterMs).toBe(7000)
    expect(errorFromResponse(503, undefined, ctx)).toMatchObject({ kind: 'unavailable', retryable: true, retryAfterMs: undefined })
  })
})
