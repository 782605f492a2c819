/**
 * The invoice tests' world: the counterparty world (database, emulated portal with the app installed,
 * MoeDelo connected, registries) plus deals with product rows, made as the manager would make them.
 */
import { sql } from 'drizzle-orm'
import { issueInvoice } from '@/lib/invoicing/issue'
import { SEED } from '../emulators/registry'
import { createCompany, MANAGER, MD_KEY, resetApp, type World } from '../counterparties/support'

export { MANAGER, MD_KEY }

export interface RowInput {
  PRODUCT_NAME?: string
  PRODUCT_ID?: number
  PRICE: number | string
  QUANTITY: number | string
  TAX_RATE?: number | null
  TAX_INCLUDED?: 'Y' | 'N'
  MEASURE_NAME?: string
  DISCOUNT_TYPE_ID?: number
  DISCOUNT_RATE?: number
}

export interface DealInput {
  title?: string
  companyId?: number
  contactId?: number
  currency?: string
  stageId?: string
  rows?: RowInput[]
}

export async function createDeal(world: World, input: DealInput = {}): Promise<number> {
  const dealId = await world.asManager<number>('crm.deal.add', {
    fields: {
      TITLE: input.title ?? 'Поставка оборудования',
      CURRENCY_ID: input.currency ?? 'RUB',
      ASSIGNED_BY_ID: MANAGER,
      ...(input.stageId ? { STAGE_ID: input.stageId } : {}),
      ...(input.companyId ? { COMPANY_ID: input.companyId } : {}),
      ...(input.contactId ? { CONTACT_ID: input.contactId } : {}),
    },
  })
  if (input.rows?.length) await world.asManager('crm.deal.productrows.set', { id: dealId, rows: input.rows })
  return Number(dealId)
}

/** A company the registry knows (Яндекс), so the counterparty flow can create it in MoeDelo. */
export function createBuyer(world: World, title = 'Яндекс'): Promise<{ companyId: number; requisiteId: number | null }> {
  return createCompany(world, { title, requisite: { RQ_INN: SEED.yandex.inn, RQ_KPP: SEED.yandex.kpp } })
}

export const STANDARD_ROWS: RowInput[] = [
  { PRODUCT_NAME: 'Ноутбук', PRICE: 95_000, QUANTITY: 2, TAX_RATE: 22, TAX_INCLUDED: 'Y', MEASURE_NAME: 'шт' },
  { PRODUCT_NAME: 'Настройка', PRICE: 3_000.5, QUANTITY: 1.5, TAX_RATE: 22, TAX_INCLUDED: 'Y', MEASURE_NAME: 'ч' },
]

export const issue = (world: World, invoiceId: string) => issueInvoice(world.database.db, world.memberId, invoiceId)

export const dealOf = (world: World, dealId: number) => world.portal.state.deals.get(dealId)!
export const billsInMoeDelo = (world: World) => [...world.moedelo.firm(MD_KEY).bills.values()]
export const dealComments = (world: World, dealId: number) =>
  world.portal.state.timeline.filter((c) => c.ENTITY_TYPE === 'deal' && c.ENTITY_ID === dealId)

/** Counterparty state plus invoices, and MoeDelo's bills. */
export async function resetInvoices(world: World): Promise<void> {
  await resetApp(world)
  await world.database.db.execute(sql.raw('delete from invoices'))
  world.moedelo.firm(MD_KEY).bills.clear()
}
