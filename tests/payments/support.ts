/**
 * A world for the payment tests: a fresh database, the Bitrix24 portal emulator with the app installed
 * (its pipelines and the «Оплачено» field), the MoeDelo emulator connected by API key — all over HTTP
 * through the app's real clients. Invoices are made the way the invoice flow leaves them: a bill
 * created over MoeDelo's API and an `invoices` row in state `created`.
 */
import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { setDatabase } from '@/db'
import { invoicePayments, invoices, paymentEffects, paymentPollState, portals } from '@/db/schema'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { forgetBitrix24Client } from '@/lib/bitrix24/client'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { runPaymentPoll, type PaymentPollOptions, type PaymentPollSummary } from '@/lib/payments'
import { setTestEnv, startPortalFor } from '../bitrix24/support/env'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import type { Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import { createTestDatabase, type TestDatabase } from '../support/database'

export const MD_KEY = '6a7b8c9d-0000-4e1f-9a2b-pay000000001'
export const MANAGER = 2
export const BILL_PATH = '/accounting/api/v1/sales/bill'
/** Default pipeline: a deal waiting for its prepayment moves to «В работе» when paid. */
export const PAID_STAGE = 'EXECUTING'
export const WHOLESALE_PAID_STAGE = 'C1:WON'

export interface InvoiceInput {
  sum: string
  docDate?: string
  deadline?: string
  number?: string
}

export interface PaymentsWorld {
  database: TestDatabase
  portal: Bitrix24Emulator
  moedelo: MoeDeloEmulator
  receiver: Receiver
  memberId: string
  kontragentId: number
  /** A deal in the CRM (default pipeline, stage «Счёт на предоплату», manager 2). */
  createDeal(fields?: Record<string, unknown>): number
  /** A bill in MoeDelo for the deal and the invoice row the invoice flow writes. */
  issueInvoice(dealId: number, input: InvoiceInput): Promise<{ invoiceId: string; billId: number; number: string }>
  /** A bank receipt imported in MoeDelo, linked to the bill (or left unlinked). */
  pay(billId: number | null, sum: string, options?: { number?: string; date?: string; description?: string }): Promise<number>
  /** What an accountant does in MoeDelo: «Оплачен» by hand, no payment document. */
  markPaidByHand(billId: number): Promise<void>
  deleteBill(billId: number): Promise<void>
  poll(options?: PaymentPollOptions): Promise<PaymentPollSummary>
  comments(dealId: number): string[]
  deal(dealId: number): Record<string, unknown>
  /** MoeDelo requests on vendor routes since the last `clearMoeDeloLog`. */
  moedeloRequests(): Promise<{ method: string; path: string; query: Record<string, unknown>; status: number }[]>
  clearMoeDeloLog(): Promise<void>
  /** Forgets invoices, receipts, effects and the cursor, the portal's timeline and notifications, MoeDelo's bills. */
  reset(): Promise<void>
  close(): Promise<void>
}

async function json(response: Response): Promise<any> {
  const text = await response.text()
  if (!response.ok) throw new Error(`${response.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

export async function startPaymentsWorld(options: { env?: Record<string, string> } = {}): Promise<PaymentsWorld> {
  const receiver = await startReceiver()
  const moedelo = await startMoeDeloEmulator({ apiKeys: { [MD_KEY]: 'ООО "Продавец"' } })
  setTestEnv({ APP_URL: receiver.url, MOEDELO_API_URL: moedelo.url, RETRY_DELAYS_SECONDS: '1,1,1', ...(options.env ?? {}) })
  setDefaultRateLimit({ drainRate: 500, burst: 1000 })
  const database = await createTestDatabase()
  setDatabase(database)
  const portal = await startPortalFor(receiver.url, { rateLimit: { enabled: false }, eventDelayMs: 5 })
  await portal.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
  await connectWithApiKey(database.db, portal.memberId, MD_KEY)
  const memberId = portal.memberId
  await database.db
    .update(portals)
    .set({ settings: { pipelines: { '0': { paidStageId: PAID_STAGE }, '1': { paidStageId: WHOLESALE_PAID_STAGE } }, adminUserId: 1 } })
    .where(eq(portals.memberId, memberId))

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${moedelo.url}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${moedelo.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'md-api-key': MD_KEY },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const [kontragent] = (await json(await control('POST', `/firms/${MD_KEY}/kontragents`, { Name: 'ООО "Покупатель"', Inn: '7707083893', Form: 1, Type: 2 })))
    .created as { Id: number }[]
  const kontragentId = kontragent!.Id

  const world: PaymentsWorld = {
    database,
    portal,
    moedelo,
    receiver,
    memberId,
    kontragentId,
    createDeal(fields = {}) {
      return portal.uiCreate('deal', { TITLE: 'Поставка оборудования', STAGE_ID: 'PREPAYMENT_INVOICE', ASSIGNED_BY_ID: MANAGER, ...fields }, 1).ID
    },
    async issueInvoice(dealId, input) {
      const bill = await json(
        await api('POST', BILL_PATH, {
          KontragentId: kontragentId,
          DocDate: input.docDate ?? moedelo.clock.now().toISOString().slice(0, 10),
          DeadLine: input.deadline,
          Number: input.number,
          NdsPositionType: 1,
          Items: [{ Name: 'Оборудование', Count: 1, Unit: 'шт', Type: 1, Price: input.sum, NdsType: -1 }],
        }),
      )
      const invoiceId = randomUUID()
      await database.db.insert(invoices).values({
        id: invoiceId,
        memberId,
        dealId,
        trigger: 'button',
        state: 'created',
        kontragentId,
        billId: bill.Id,
        number: bill.Number,
        docDate: bill.DocDate,
        deadline: bill.DeadLine,
        sum: Number(bill.Sum).toFixed(2),
        paidSum: '0.00',
        billStatus: bill.Status,
        billModifiedAt: bill.Context.ModifyDate,
      })
      return { invoiceId, billId: bill.Id as number, number: bill.Number as string }
    },
    async pay(billId, sum, opts = {}) {
      const body = await json(
        await control('POST', `/firms/${MD_KEY}/payments`, {
          Sum: sum,
          ...(billId === null ? { KontragentId: kontragentId } : { BillId: billId }),
          ...(opts.number ? { Number: opts.number } : {}),
          ...(opts.date ? { Date: opts.date } : {}),
          ...(opts.description ? { Description: opts.description } : {}),
        }),
      )
      return body.payment.DocumentBaseId as number
    },
    async markPaidByHand(billId) {
      const response = await fetch(`${moedelo.url}/__emulator/ui/mark-paid`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ firm: MD_KEY, billId: String(billId) }).toString(),
        redirect: 'manual',
      })
      if (response.status !== 303) throw new Error(`mark paid: ${response.status}`)
    },
    async deleteBill(billId) {
      const response = await api('DELETE', `${BILL_PATH}/${billId}`)
      if (!response.ok) throw new Error(`delete bill: ${response.status}`)
    },
    poll: (opts = {}) => runPaymentPoll(database.db, memberId, opts),
    comments: (dealId) => portal.state.timeline.filter((c) => c.ENTITY_TYPE === 'deal' && c.ENTITY_ID === dealId).map((c) => c.COMMENT),
    deal: (dealId) => portal.state.deals.get(dealId) as Record<string, unknown>,
    async moedeloRequests() {
      const { requests } = await json(await control('GET', '/requests'))
      return (requests as { method: string; path: string; query: Record<string, unknown>; status: number }[]).filter((r) => !r.path.startsWith('/__emulator'))
    },
    async clearMoeDeloLog() {
      await control('DELETE', '/requests')
    },
    async reset() {
      const db = database.db
      await db.delete(paymentEffects).where(eq(paymentEffects.memberId, memberId))
      await db.delete(invoicePayments).where(eq(invoicePayments.memberId, memberId))
      await db.delete(invoices).where(eq(invoices.memberId, memberId))
      await db.delete(paymentPollState).where(eq(paymentPollState.memberId, memberId))
      await db.execute(sql`delete from effects where member_id = ${memberId} and key like 'payments:%'`)
      await control('DELETE', `/firms/${MD_KEY}/bills`)
      await control('DELETE', '/faults')
      await fetch(`${portal.url}/__emulator/faults`, { method: 'DELETE' })
      await control('PATCH', '/config', { paymentLinkBumpsModifyDate: true })
      portal.state.timeline = []
      portal.state.notifications = []
      moedelo.clock.reset()
    },
    async close() {
      setDefaultRateLimit(undefined)
      forgetBitrix24Client(database.db)
      await portal.close()
      await Promise.all([moedelo.close(), receiver.close()])
      setDatabase(undefined)
      await database.drop()
    },
  }
  return world
}

/**
 * One world for a test file: started before its tests (handed over through `onStart`), reset before
 * each test, closed after the file. A file's own `beforeEach` registered after this runs after the reset.
 */
export function setUpPaymentsWorld(onStart: (world: PaymentsWorld) => void): void {
  let world: PaymentsWorld | undefined
  beforeAll(async () => {
    world = await startPaymentsWorld()
    onStart(world)
  })
  afterAll(async () => {
    await world?.close()
  })
  beforeEach(async () => {
    await world!.reset()
  })
}

/** The invoice row and its receipts, for assertions. */
export async function invoiceOf(world: PaymentsWorld, invoiceId: string) {
  const [row] = await world.database.db.select().from(invoices).where(eq(invoices.id, invoiceId))
  const receipts = await world.database.db
    .select()
    .from(invoicePayments)
    .where(and(eq(invoicePayments.memberId, world.memberId), eq(invoicePayments.invoiceId, invoiceId)))
  return { row: row!, receipts }
}
