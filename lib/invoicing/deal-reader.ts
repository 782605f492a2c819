/**
 * Reads everything an invoice needs from a Bitrix24 deal in ONE batch: the deal, its product rows,
 * the client company or contact with requisites, the requisite chosen for the deal, and the presets.
 * The registry status of a company comes from our counterparty records (lib/counterparties).
 */
import type { Database } from '@/db'
import { batchRecord, requireBatchResults } from '@/lib/bitrix24/batch-results'
import type { Bitrix24Client } from '@/lib/bitrix24/client'
import { counterpartyForCompany } from '@/lib/counterparties/store'
import type { CrmRequisite } from '@/lib/counterparties/fields'
import type { RegistryStatusName } from '@/lib/domain/messages'
import type { BitrixProductRow, ClientRequisite, DealSnapshot } from '@/lib/invoices'
import { presetKind, type CrmPreset } from '@/lib/sync/counterparty-crm'

/** What the flow needs besides the snapshot: where the deal is and who is responsible for it. */
export interface DealMeta {
  id: number
  title: string
  categoryId: number
  stageId: string
  /** `P` in progress, `S` won, `F` lost. */
  stageSemantic: string
  assignedById: number | null
}

export interface DealForInvoice {
  snapshot: DealSnapshot
  meta: DealMeta
}

interface CrmDeal {
  ID: string | number
  TITLE?: string | null
  CATEGORY_ID?: string | number | null
  STAGE_ID?: string | null
  STAGE_SEMANTIC_ID?: string | null
  CURRENCY_ID?: string | null
  OPPORTUNITY?: string | number | null
  IS_MANUAL_OPPORTUNITY?: string | null
  COMPANY_ID?: string | number | null
  CONTACT_ID?: string | number | null
  ASSIGNED_BY_ID?: string | number | null
}

interface CrmContact {
  ID: string | number
  NAME?: string | null
  LAST_NAME?: string | null
  SECOND_NAME?: string | null
}

const positive = (v: unknown): number | null => {
  const n = Number(v)
  return Number.isSafeInteger(n) && n > 0 ? n : null
}

const list = <T>(value: unknown): T[] =>
  Array.isArray(value) ? (value as T[]) : value && typeof value === 'object' ? (Object.values(value) as T[]) : []

const text = (v: unknown): string | null => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim())

function requisiteOf(requisites: CrmRequisite[], chosenId: number | null, presets: CrmPreset[]): ClientRequisite | null {
  const chosen =
    (chosenId !== null ? requisites.find((r) => Number(r.ID) === chosenId) : undefined) ??
    requisites.find((r) => text(r.RQ_INN) !== null) ??
    requisites[0]
  if (!chosen) return null
  return {
    inn: text(chosen.RQ_INN),
    kpp: text(chosen.RQ_KPP),
    ogrn: text(chosen.RQ_OGRN),
    ogrnip: text(chosen.RQ_OGRNIP),
    presetKind: presetKind(presets, chosen.PRESET_ID),
  }
}

const contactName = (c: CrmContact): string =>
  [c.LAST_NAME, c.NAME, c.SECOND_NAME].map((p) => (p ?? '').trim()).filter(Boolean).join(' ') || `Контакт №${c.ID}`

/** The deal as the invoice flow sees it, or `undefined` when the deal no longer exists. */
export async function readDealForInvoice(db: Database, client: Bitrix24Client, memberId: string, dealId: number): Promise<DealForInvoice | undefined> {
  const batch = await client.batch({
    deal: ['crm.deal.get', { id: dealId }],
    rows: ['crm.deal.productrows.get', { id: dealId }],
    company: ['crm.company.get', { id: '$result[deal][COMPANY_ID]' }],
    companyRequisites: ['crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: '$result[deal][COMPANY_ID]' }, order: { ID: 'ASC' } }],
    contact: ['crm.contact.get', { id: '$result[deal][CONTACT_ID]' }],
    contactRequisites: ['crm.requisite.list', { filter: { ENTITY_TYPE_ID: 3, ENTITY_ID: '$result[deal][CONTACT_ID]' }, order: { ID: 'ASC' } }],
    link: ['crm.requisite.link.get', { entityTypeId: 2, entityId: dealId }],
    presets: ['crm.requisite.preset.list', { select: ['ID', 'NAME', 'XML_ID', 'COUNTRY_ID', 'ACTIVE'] }],
  })
  const deal = batchRecord<CrmDeal>(batch, 'deal', 'crm.deal.get')
  if (!deal) return undefined
  requireBatchResults(batch, ['rows', 'presets'])

  const presets = list<CrmPreset>(batch.results.presets)
  const link = batch.results.link as { REQUISITE_ID?: unknown } | undefined
  const chosenRequisite = positive(link?.REQUISITE_ID)

  const companyId = positive(deal.COMPANY_ID)
  const companyRecord = companyId ? (batch.results.company as { ID: unknown; TITLE?: string | null } | undefined) : undefined
  let company: DealSnapshot['company'] = null
  if (companyId && companyRecord && typeof companyRecord === 'object') {
    const registryStatus = ((await counterpartyForCompany(db, memberId, companyId))?.registryStatus ?? null) as RegistryStatusName | null
    company = {
      id: companyId,
      title: text(companyRecord.TITLE) ?? `Компания №${companyId}`,
      requisite: requisiteOf(list<CrmRequisite>(batch.results.companyRequisites), chosenRequisite, presets),
      registryStatus,
    }
  }

  const contactId = positive(deal.CONTACT_ID)
  const contactRecord = contactId ? (batch.results.contact as CrmContact | undefined) : undefined
  const contact: DealSnapshot['contact'] =
    contactId && contactRecord && typeof contactRecord === 'object'
      ? { id: contactId, name: contactName(contactRecord), requisite: requisiteOf(list<CrmRequisite>(batch.results.contactRequisites), chosenRequisite, presets) }
      : null

  const snapshot: DealSnapshot = {
    id: dealId,
    title: text(deal.TITLE) ?? `Сделка №${dealId}`,
    currency: text(deal.CURRENCY_ID) ?? '',
    opportunity: deal.OPPORTUNITY ?? null,
    isManualOpportunity: deal.IS_MANUAL_OPPORTUNITY === 'Y',
    company,
    contact,
    productRows: list<BitrixProductRow>(batch.results.rows),
  }
  const meta: DealMeta = {
    id: dealId,
    title: snapshot.title,
    categoryId: Number(deal.CATEGORY_ID ?? 0) || 0,
    stageId: String(deal.STAGE_ID ?? ''),
    stageSemantic: String(deal.STAGE_SEMANTIC_ID ?? 'P'),
    assignedById: positive(deal.ASSIGNED_BY_ID),
  }
  return { snapshot, meta }
}
