/** The error contract: duck-typed retryability, service and user message. */
import { describe, expect, it } from 'vitest'
import { AppError, GENERIC_USER_MESSAGE, isContractError, isRetryable, serviceOf, userMessageOf } from '@/lib/errors'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { MoeDeloError } from '@/lib/moedelo/errors'

describe('error contract', () => {
  it('AppError carries a Russian user message, retryability, service and details', () => {
    const e = new AppError('HTTP 503 from restapi.moedelo.org', {
      userMessage: 'Сервис «Моё дело» временно недоступен.',
      retryable: true,
      service: 'moedelo',
      details: { status: 503 },
      cause: new Error('socket hang up'),
    })
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('AppError')
    expect(e.message).toBe('HTTP 503 from restapi.moedelo.org')
    expect(isRetryable(e)).toBe(true)
    expect(serviceOf(e)).toBe('moedelo')
    expect(userMessageOf(e)).toBe('Сервис «Моё дело» временно недоступен.')
    expect(e.details).toEqual({ status: 503 })
    expect((e.cause as Error).message).toBe('socket hang up')
    expect(isRetryable(new AppError('x', { userMessage: 'y' }))).toBe(false)
  })

  it('subclasses keep their own name', () => {
    class RegistryError extends AppError {}
    const e = new RegistryError('dadata 500', { userMessage: 'Справочник недоступен.', retryable: true })
    expect(e.name).toBe('RegistryError')
    expect(serviceOf(e)).toBe('registry')
  })

  it('is duck-typed: vendor errors with the same fields count', () => {
    const vendor = { name: 'SomeError', message: 'x', retryable: true, service: 'bitrix24', userMessage: 'Битрикс24 недоступен.' }
    expect(isRetryable(vendor)).toBe(true)
    expect(serviceOf(vendor)).toBe('bitrix24')
    expect(userMessageOf(vendor)).toBe('Битрикс24 недоступен.')
    expect(isRetryable({ retryable: 'yes' })).toBe(false)
    expect(isContractError({ retryable: false })).toBe(true)
    expect(isContractError(new TypeError('bug'))).toBe(false)
  })

  it('works with the vendor modules’ error classes', () => {
    const md = new MoeDeloError({ kind: 'unavailable', message: 'HTTP 503' })
    expect(isRetryable(md)).toBe(true)
    expect(serviceOf(md)).toBe('moedelo')
    expect(userMessageOf(md)).not.toMatch(/503/)
    const b24 = new Bitrix24Error({ kind: 'access-denied', code: 'ACCESS_DENIED' })
    expect(isRetryable(b24)).toBe(false)
    expect(serviceOf(b24)).toBe('bitrix24')
    expect(userMessageOf(b24)).toMatch(/прав/)
  })

  it('never shows a raw error to users', () => {
    expect(userMessageOf(new Error('ECONNREFUSED 127.0.0.1:5432'))).toBe(GENERIC_USER_MESSAGE)
    expect(userMessageOf('boom')).toBe(GENERIC_USER_MESSAGE)
    expect(userMessageOf(undefined)).toBe(GENERIC_USER_MESSAGE)
    expect(userMessageOf({ userMessage: '   ' })).toBe(GENERIC_USER_MESSAGE)
    expect(GENERIC_USER_MESSAGE).toMatch(/^Внутренняя ошибка приложения/)
  })
})
