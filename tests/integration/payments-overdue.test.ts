/**
 * Daily overdue reminders to the deal's responsible manager, through the real parts: invoices in the
 * database (paid amounts from real polls of the MoeDelo emulator), deals and notifications in the
 * Bitrix24 emulator. Day boundaries are the portal's time zone; one notification per invoice per day;
 * a digest for a manager with many.
 */
import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'
import { portals } from '@/db/schema'
import { runOverdueReminders, secondsUntilOverdueRun } from '@/lib/payments'
import { MANAGER, setUpPaymentsWorld, type PaymentsWorld } from '../payments/support'

let world: PaymentsWorld

const VLADIVOSTOK = 'Asia/Vladivostok'
/** 09:30 on 11 March in Vladivostok (UTC+10); 02:30 the same day in Moscow. */
const MORNING = new Date('2026-03-10T23:30:00Z')
const hours = (n: number) => new Date(MORNING.getTime() + n * 3600_000)

const setTimeZone = (timeZone: string) => world.database.db.update(portals).set({ timeZone }).where(eq(portals.memberId, world.memberId))
const remind = (now: Date, extra: Parameters<typeof runOverdueReminders>[2] = {}) =>
  runOverdueReminders(world.database.db, world.memberId, { now, reminderTime: '09:00', ...extra })
const notificationsOf = (userId: number) => world.portal.state.notifications.filter((n) => n.userId === userId)

setUpPaymentsWorld((started) => (world = started))
beforeEach(async () => {
  await setTimeZone(VLADIVOSTOK)
})

describe('when reminders run', () => {
  it('at the local time in the portal’s zone, once a day, counting days there', async () => {
    const dealId = world.createDeal({ TITLE: 'Поставка' })
    const late = await world.issueInvoice(dealId, { sum: '1000.00', deadline: '2026-03-10' })
    await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-11' })

    await setTimeZone('Europe/Moscow')
    expect(await remind(MORNING)).toMatchObject({ status: 'not-yet', date: '2026-03-11' })
    await setTimeZone(VLADIVOSTOK)
    expect(await remind(hours(-1))).toMatchObject({ status: 'not-yet', date: '2026-03-11' })
    expect(notificationsOf(MANAGER)).toEqual([])

    expect(await remind(MORNING)).toMatchObject({ status: 'done', date: '2026-03-11', invoices: 1, notifications: 1, digests: 0 })
    const [first] = notificationsOf(MANAGER)
    expect(first!.message).toBe(
      `Просрочена оплата: счёт № ${late.number} от ${world.moedelo.clock.now().toISOString().slice(0, 10).split('-').reverse().join('.')} ` +
        `по сделке [URL=/crm/deal/details/${dealId}/]Поставка[/URL] — к оплате 1\u00a0000,00\u00a0₽, просрочен на 1 день.`,
    )
    expect(first!.tag).toBe(`moedelo-overdue|${late.invoiceId}|2026-03-11`)

    expect(await remind(hours(3))).toMatchObject({ status: 'already-done' })
    expect(notificationsOf(MANAGER)).toHaveLength(1)

    // The next local day: the invoice due on the 11th is overdue now too, the first one by 2 days.
    const next = await remind(hours(24))
    expect(next).toMatchObject({ status: 'done', date: '2026-03-12', invoices: 2 })
    expect(notificationsOf(MANAGER)).toHaveLength(3)
    expect(notificationsOf(MANAGER).filter((n) => n.tag === `moedelo-overdue|${late.invoiceId}|2026-03-12`)[0]!.message).toContain('просрочен на 2 дня')
  })

  it('two runs at once notify once', async () => {
    await world.issueInvoice(world.createDeal(), { sum: '10.00', deadline: '2026-03-01' })
    const runs = await Promise.all([remind(MORNING), remind(MORNING), remind(MORNING)])
    expect(runs.filter((r) => r.status === 'done')).toHaveLength(1)
    expect(notificationsOf(MANAGER)).toHaveLength(1)
  })

  it('the next run is today at the local time if still ahead or missed, else tomorrow', async () => {
    // 08:30 local; PAYMENT_REMINDER_TIME is 09:00 (the default).
    expect(await secondsUntilOverdueRun(world.database.db, world.memberId, hours(-1))).toBe(1800)
    expect(await secondsUntilOverdueRun(world.database.db, world.memberId, MORNING)).toBe(0)
    await remind(MORNING)
    expect(await secondsUntilOverdueRun(world.database.db, world.memberId, MORNING)).toBe(23.5 * 3600)
  })
})

describe('what reminders say', () => {
  it('only unpaid and partly paid invoices past their deadline; a partly paid one reminds of what is left', async () => {
    const unpaid = await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-05' })
    const partly = await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-05' })
    const paid = await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-05' })
    const byHand = await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-05' })
    const deleted = await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-03-05' })
    await world.issueInvoice(world.createDeal(), { sum: '1000.00', deadline: '2026-04-01' })
    await world.pay(partly.billId, '400.00')
    await world.pay(paid.billId, '1000.00')
    await world.markPaidByHand(byHand.billId)
    await world.deleteBill(deleted.billId)
    await world.poll({ reconcile: true })

    expect(await remind(MORNING)).toMatchObject({ status: 'done', invoices: 2 })
    const tags = notificationsOf(MANAGER).map((n) => n.tag)
    expect(tags.sort()).toEqual([`moedelo-overdue|${partly.invoiceId}|2026-03-11`, `moedelo-overdue|${unpaid.invoiceId}|2026-03-11`].sort())
    const partlyMessage = notificationsOf(MANAGER).find((n) => n.tag!.includes(partly.invoiceId))!.message
    expect(partlyMessage).toContain('к оплате 600,00\u00a0₽, просрочен на 6 дней')
  })

  it('a manager with many overdue invoices gets one digest; one with few gets one each', async () => {
    const many = []
    for (let i = 0; i < 5; i += 1) {
      many.push(await world.issueInvoice(world.createDeal({ TITLE: `Сделка ${i + 1}` }), { sum: `${100 + i}.00`, deadline: `2026-03-0${i + 1}` }))
    }
    const admin = 1
    await world.issueInvoice(world.createDeal({ ASSIGNED_BY_ID: admin }), { sum: '50.00', deadline: '2026-03-09' })

    expect(await remind(MORNING)).toMatchObject({ status: 'done', invoices: 6, managers: 2, digests: 1, notifications: 2 })
    const [digest] = notificationsOf(MANAGER)
    expect(notificationsOf(MANAGER)).toHaveLength(1)
    expect(digest!.tag).toBe(`moedelo-overdue-digest|${MANAGER}|2026-03-11`)
    const lines = digest!.message.split('\n')
    expect(lines[0]).toBe('Просрочена оплата 5 счетов по вашим сделкам, всего к оплате 510,00\u00a0₽:')
    // Most overdue first.
    expect(lines[1]).toContain(`счёт № ${many[0]!.number}`)
    expect(lines[1]).toContain('просрочен на 10 дней')
    expect(lines).toHaveLength(6)
    expect(notificationsOf(admin)).toHaveLength(1)
    expect(notificationsOf(admin)[0]!.message).toContain('просрочен на 2 дня')
  })
})
