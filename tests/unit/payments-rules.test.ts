import { describe, expect, it } from 'vitest'
import { parseMoney } from '@/lib/domain/money'
import { paymentMessages } from '@/lib/domain/messages'
import type { MoneyOperation } from '@/lib/moedelo'
import { overdueDays } from '@/lib/payments/overdue'
import { billsTouchedBy, numberTokens, type MatchCandidate } from '@/lib/payments/registry-match'
import { decidePaidStage, type PipelineStage } from '@/lib/payments/stage'
import { addDays, daysBetween, localDate, localTime, nextDailyRun, safeTimeZone, zonedInstant } from '@/lib/payments/time'

const STAGES: PipelineStage[] = [
  { id: 'NEW', name: 'Новая', sort: 10, semantics: 'process' },
  { id: 'PREPAYMENT_INVOICE', name: 'Счёт на предоплату', sort: 30, semantics: 'process' },
  { id: 'EXECUTING', name: 'В работе', sort: 40, semantics: 'process' },
  { id: 'FINAL_INVOICE', name: 'Финальный счёт', sort: 50, semantics: 'process' },
  { id: 'WON', name: 'Сделка успешна', sort: 60, semantics: 'success' },
  { id: 'LOSE', name: 'Сделка провалена', sort: 70, semantics: 'failure' },
]

describe('decidePaidStage', () => {
  const at = (stageId: string, semanticId: string | null = 'P') => ({ stageId, semanticId })

  it('moves a deal that is before the «Оплачено» stage', () => {
    expect(decidePaidStage(at('PREPAYMENT_INVOICE'), STAGES, 'EXECUTING')).toEqual({ kind: 'move', to: 'EXECUTING' })
    expect(decidePaidStage(at('NEW'), STAGES, 'WON')).toEqual({ kind: 'move', to: 'WON' })
  })

  it('keeps a won or lost deal, and one further along, with the stage names for the note', () => {
    expect(decidePaidStage(at('WON', 'S'), STAGES, 'EXECUTING')).toEqual({ kind: 'deal_closed', stageName: 'Сделка успешна', paidStageName: 'В работе' })
    expect(decidePaidStage(at('LOSE', 'F'), STAGES, 'EXECUTING')).toMatchObject({ kind: 'deal_closed', stageName: 'Сделка провалена' })
    expect(decidePaidStage(at('FINAL_INVOICE'), STAGES, 'EXECUTING')).toEqual({ kind: 'later_stage', stageName: 'Финальный счёт', paidStageName: 'В работе' })
  })

  it('does nothing when already there or no stage is chosen, and reports a stage that vanished', () => {
    expect(decidePaidStage(at('EXECUTING'), STAGES, 'EXECUTING')).toEqual({ kind: 'already_there' })
    expect(decidePaidStage(at('NEW'), STAGES, undefined)).toEqual({ kind: 'no_paid_stage' })
    expect(decidePaidStage(at('NEW'), STAGES, 'C1:GONE')).toEqual({ kind: 'paid_stage_missing', stageId: 'C1:GONE' })
  })
})

describe('registry matching', () => {
  const op = (over: Partial<MoneyOperation>): MoneyOperation => ({
    id: 1,
    date: '2026-02-03',
    number: '1',
    amount: parseMoney('10'),
    operationType: 16,
    description: null,
    kontragentId: 18000001,
    modifiedAt: null,
    ...over,
  })
  const c = (billId: number, number: string, kontragentId: number | null = 18000001): MatchCandidate => ({ billId, number, kontragentId })

  it('takes words with digits from the purpose of payment', () => {
    expect(numberTokens('Оплата по счёту № 12-А от 2026-02-01, НДС не облагается')).toEqual(['12-А', '2026-02-01'])
    expect(numberTokens('Оплата по сч.№45/2 за услуги')).toEqual(['45/2'])
    expect(numberTokens(null)).toEqual([])
  })

  it('re-reads the bills the purpose names (same payer), else the payer’s open bills', () => {
    const byNumber = [c(1, '12-а'), c(2, '12-А', 18000002), c(3, '7')]
    const byPayer = [c(4, '30'), c(5, '31'), c(6, '32', 18000009)]
    expect(billsTouchedBy([op({ description: 'Оплата по счёту № 12-А' })], byNumber, byPayer)).toEqual([1])
    expect(billsTouchedBy([op({ description: 'Аванс по договору' })], byNumber, byPayer)).toEqual([4, 5])
    expect(billsTouchedBy([op({ description: 'Аванс', kontragentId: null })], byNumber, byPayer)).toEqual([])
    expect(billsTouchedBy([op({ description: 'счёт 7', kontragentId: null })], byNumber, byPayer)).toEqual([3])
  })
})

describe('calendar in the portal time zone', () => {
  it('dates and times follow the zone', () => {
    const instant = new Date('2026-03-10T23:30:00Z')
    expect(localDate(instant, 'Asia/Vladivostok')).toBe('2026-03-11')
    expect(localTime(instant, 'Asia/Vladivostok')).toBe('09:30')
    expect(localDate(instant, 'Europe/Moscow')).toBe('2026-03-11')
    expect(localTime(instant, 'Europe/Moscow')).toBe('02:30')
    expect(localDate(instant, 'Europe/Kaliningrad')).toBe('2026-03-11')
    expect(localDate(instant, 'America/New_York')).toBe('2026-03-10')
  })

  it('finds the instant of a local wall-clock time, across daylight saving changes', () => {
    expect(zonedInstant('2026-03-11', '09:00', 'Asia/Vladivostok').toISOString()).toBe('2026-03-10T23:00:00.000Z')
    expect(zonedInstant('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z')
    expect(zonedInstant('2026-01-15', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-01-15T08:00:00.000Z')
    // 02:30 does not exist in Berlin on 29 March 2026: the instant just after the jump.
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z')
    // 02:30 happens twice on 25 October 2026: the first one (still summer time).
    expect(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z')
  })

  it('days between dates and the overdue count', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3)
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(overdueDays('2026-03-10', '2026-03-11')).toBe(1)
    expect(overdueDays('2026-03-10', '2026-03-10')).toBe(0)
  })

  it('the next daily run: today if still ahead or missed, else tomorrow', () => {
    const tz = 'Asia/Vladivostok'
    const morning = new Date('2026-03-10T21:00:00Z') // 07:00 local, 11 March
    expect(nextDailyRun(morning, tz, '09:00', '2026-03-10').toISOString()).toBe('2026-03-10T23:00:00.000Z')
    const noon = new Date('2026-03-11T02:00:00Z') // 12:00 local
    expect(nextDailyRun(noon, tz, '09:00', '2026-03-10')).toEqual(noon)
    expect(nextDailyRun(noon, tz, '09:00', '2026-03-11').toISOString()).toBe('2026-03-11T23:00:00.000Z')
  })

  it('a broken zone name falls back to Moscow', () => {
    expect(safeTimeZone('Mars/Olympus')).toBe('Europe/Moscow')
    expect(safeTimeZone('Asia/Omsk')).toBe('Asia/Omsk')
    expect(safeTimeZone(null)).toBe('Europe/Moscow')
  })
})

describe('payment texts', () => {
  it('overdue notification and digest', () => {
    const line = { dealId: 5, dealTitle: 'Поставка', invoiceNumber: '12', invoiceDate: '2026-02-01', due: '6000.00', daysOverdue: 3 }
    expect(paymentMessages.overdue(line)).toBe(
      'Просрочена оплата: счёт № 12 от 01.02.2026 по сделке [URL=/crm/deal/details/5/]Поставка[/URL] — к оплате 6\u00a0000,00\u00a0₽, просрочен на 3 дня.',
    )
    const digest = paymentMessages.overdueDigest([line, { ...line, dealId: 6, daysOverdue: 1 }, { ...line, dealId: 7, daysOverdue: 21 }], '18000.00', 2)
    expect(digest.split('\n')).toEqual([
      'Просрочена оплата 3 счетов по вашим сделкам, всего к оплате 18\u00a0000,00\u00a0₽:',
      '— счёт № 12 от 01.02.2026, [URL=/crm/deal/details/5/]Поставка[/URL]: 6\u00a0000,00\u00a0₽, просрочен на 3 дня',
      '— счёт № 12 от 01.02.2026, [URL=/crm/deal/details/6/]Поставка[/URL]: 6\u00a0000,00\u00a0₽, просрочен на 1 день',
      '…и ещё 1 счёт.',
    ])
  })

  it('cancellation and kept-stage notes', () => {
    expect(paymentMessages.cancelled('12', '2026-02-01', '10000.00')).toBe(
      'Счёт № 12 от 01.02.2026 на 10\u00a0000,00\u00a0₽ удалён в «Моё дело» — счёт аннулирован. Сделка осталась на своей стадии.',
    )
    expect(paymentMessages.stageKeptLater('12', 'Финальный счёт', 'В работе')).toBe(
      'Счёт № 12 оплачен полностью. Сделка уже на стадии «Финальный счёт», которая идёт после стадии «В работе», поэтому стадия не изменена.',
    )
  })
})
