/** The logger never writes tokens or personal data, whatever the shape of what is logged. */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AppError } from '@/lib/errors'
import { CENSOR, childLogger, createLogger, log, maskPersonalData, maskSecretsInText, sanitizeForLog } from '@/lib/security/log'

const TOKEN = 'tok_9f8e7d6c5b4a3f2e1d0c'
const REFRESH = 'ref_1a2b3c4d5e6f7a8b9c0d'
const APP_TOKEN = 'app_5e5e5e5e5e5e5e5e5e5e'
const MD_KEY = 'mdkey-0123456789abcdef0123'
const SECRET_VALUES = [TOKEN, REFRESH, APP_TOKEN, MD_KEY, 'cs_topsecret_42', 'hunter2-password']

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  const logger = createLogger({ level: 'trace', destination: stream })
  return { logger, lines, text: () => lines.join('\n') }
}

function expectClean(text: string, extra: string[] = []) {
  for (const secret of [...SECRET_VALUES, ...extra]) expect(text).not.toContain(secret)
}

describe('log redaction', () => {
  it('censors tokens in Bitrix24 event payloads, OAuth responses and headers at any depth', () => {
    const { logger, lines, text } = capture()
    logger.info(
      {
        event: 'ONCRMDEALUPDATE',
        data: { FIELDS: { ID: '15' } },
        auth: { access_token: TOKEN, refresh_token: REFRESH, application_token: APP_TOKEN, domain: 'portal.bitrix24.ru' },
      },
      'event received',
    )
    logger.info({ response: { body: { access_token: TOKEN, refresh_token: REFRESH, expires_in: 3600 } } }, 'oauth refresh')
    logger.info({ placement: { AUTH_ID: TOKEN, REFRESH_ID: REFRESH, APPLICATION_TOKEN: APP_TOKEN } }, 'placement')
    logger.info({ request: { headers: { 'md-api-key': MD_KEY, Authorization: `Bearer ${TOKEN}` } } }, 'moedelo call')
    logger.info({ a: { b: { c: { d: { e: { client_secret: 'cs_topsecret_42', password: 'hunter2-password' } } } } } }, 'deep')
    logger.info({ list: [{ apiKey: MD_KEY }, { nested: [{ access_token: TOKEN }] }] }, 'arrays')

    expectClean(text())
    expect(lines).toHaveLength(6)
    const first = JSON.parse(lines[0]!)
    expect(first.auth).toEqual({ access_token: CENSOR, refresh_token: CENSOR, application_token: CENSOR, domain: CENSOR })
    expect(first.data).toEqual({ FIELDS: { ID: '15' } }) // ordinary data is kept
    expect(first.event).toBe('ONCRMDEALUPDATE')
    expect(JSON.parse(lines[1]!).response.body).toEqual({ access_token: CENSOR, refresh_token: CENSOR, expires_in: 3600 })
    expect(JSON.parse(lines[3]!).request.headers).toEqual({ 'md-api-key': CENSOR, Authorization: CENSOR })
  })

  it('masks tokens inside messages, URLs, interpolation arguments and errors', () => {
    const { logger, lines, text } = capture()
    logger.warn(`GET https://portal.bitrix24.ru/rest/crm.deal.get?auth=${TOKEN}&access_token=${TOKEN}&id=5 failed`)
    logger.warn('refresh with %s', `refresh_token=${REFRESH}`)
    logger.error({ err: new Error(`request failed: Authorization: Bearer ${TOKEN}`) }, 'boom')
    const appError = new AppError(`MoeDelo rejected md-api-key=${MD_KEY}`, {
      userMessage: 'Моё дело отклонило ключ.',
      details: { apiKey: MD_KEY, url: `https://restapi.moedelo.org/?client_secret=cs_topsecret_42` },
      cause: { access_token: TOKEN },
    })
    logger.error({ err: appError }, 'with details')
    logger.error(appError)
    const plain = JSON.parse(lines.at(-1)!)
    expect(plain.msg).toBe(`MoeDelo rejected md-api-key=${CENSOR}`)
    expect(plain.err.userMessage).toBe('Моё дело отклонило ключ.')
    logger.info({ url: new URL(`https://example.test/cb?application_token=${APP_TOKEN}`) }, 'url object')
    expectClean(text())
    expect(text()).toContain('id=5') // the rest of the text survives
  })

  it('censors personal data: phones, e-mails, names of persons, individuals INNs', () => {
    const { logger, lines, text } = capture()
    logger.info(
      {
        contact: {
          NAME: 'Иван',
          LAST_NAME: 'Петров',
          PHONE: [{ VALUE: '+7 (912) 345-67-89', VALUE_TYPE: 'WORK' }],
          EMAIL: [{ VALUE: 'ivan.petrov@example.ru' }],
        },
        person: { fio: 'Петров Иван Сергеевич', phone: '89123456789', email: 'a@b.ru', inn: '500100732259' },
        company: { TITLE: 'ООО Ромашка', inn: '7707083893' },
      },
      'contact synced',
    )
    logger.info('Звонок с номера +7 912 345 67 89, письмо от ivan.petrov@example.ru, ИНН ИП 500100732259')
    const out = text()
    for (const pd of ['Иван', 'Петров', '345-67-89', '912 345 67 89', 'ivan.petrov@example.ru', '89123456789', '500100732259', 'a@b.ru']) {
      expect(out).not.toContain(pd)
    }
    const obj = JSON.parse(lines[0]!)
    expect(obj.company).toEqual({ TITLE: 'ООО Ромашка', inn: '7707083893' }) // a company INN is public
    expect(obj.person.inn).toBe(CENSOR)
    expect(obj.contact.NAME).toBe(CENSOR)
  })

  it('censors child logger bindings and never mutates the logged object', () => {
    const { logger, text } = capture()
    const payload = { auth: { access_token: TOKEN }, dealId: 5 }
    logger.child({ access_token: TOKEN, memberId: 'm1' }).info(payload, 'child')
    expect(payload.auth.access_token).toBe(TOKEN)
    expectClean(text())
    expect(text()).toContain('"memberId":"m1"')

    expect(() => childLogger({ refresh_token: REFRESH })).not.toThrow()
    expect(typeof log.info).toBe('function')
  })

  it('handles cycles, dates and buffers', () => {
    const a: Record<string, unknown> = { when: new Date('2030-01-01T00:00:00Z'), buf: Buffer.from('secret bytes') }
    a.self = a
    const out = sanitizeForLog(a) as Record<string, unknown>
    expect(out.self).toBe('[Circular]')
    expect(out.when).toEqual(new Date('2030-01-01T00:00:00Z'))
    expect(out.buf).toBe('[Buffer 12]')
  })

  it('maskPersonalData masks e-mails, phones and 12-digit INNs in free text, and keeps other numbers', () => {
    expect(maskPersonalData('пишите на info@firma.ru')).toBe(`пишите на ${CENSOR}`)
    expect(maskPersonalData('тел. +7 (495) 123-45-67 или 8 912 345 67 89')).toBe(`тел. ${CENSOR} или ${CENSOR}`)
    expect(maskPersonalData('+79123456789')).toBe(CENSOR)
    expect(maskPersonalData('ИНН 500100732259')).toBe(`ИНН ${CENSOR}`)
    expect(maskPersonalData('ИНН организации 7707083893, КПП 773601001, сделка 1234, сумма 15000.00')).toBe(
      'ИНН организации 7707083893, КПП 773601001, сделка 1234, сумма 15000.00',
    )
    expect(maskPersonalData('ОГРН 1027700132195, р/с 40702810900000012345')).toBe('ОГРН 1027700132195, р/с 40702810900000012345')
    expect(maskSecretsInText(`x?access_token=${TOKEN}&y=1`)).toBe(`x?access_token=${CENSOR}&y=1`)
    expect(maskSecretsInText(`{"refresh_token":"${REFRESH}"}`)).toBe(`{"refresh_token":"${CENSOR}"}`)
  })
})
