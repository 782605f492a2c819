/**
 * The Bitrix24 side of the counterparty flow: the company with its requisites, legal address and the
 * requisite presets read in ONE batch; write-back of merged values (only what differs, so our own
 * writes, echoed back as ONCRMCOMPANYUPDATE/ONCRMREQUISITEUPDATE, change nothing the next time);
 * messages to the manager (notification + timeline comment).
 */
import { UF } from '@/lib/bitrix24/app-manifest'
import { batchRecord, requireBatchResults } from '@/lib/bitrix24/batch-results'
import type { Bitrix24Client } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import type { RequisitesKind } from '@/lib/domain'
import {
  addressLine,
  comparable,
  CRM_REQUISITE_FIELD,
  crmAddressFields,
  LEGAL_ADDRESS_TYPE,
  type CounterpartyField,
  type CounterpartyFields,
  type CrmAddress,
  type CrmRequisite,
} from '@/lib/counterparties/fields'

export interface CrmCompany {
  ID: string | number
  TITLE?: string | null
  ASSIGNED_BY_ID?: string | number | null
  MODIFY_BY_ID?: string | number | null
  DATE_MODIFY?: string | null
  [key: string]: unknown
}

export interface CrmPreset {
  ID: string | number
  NAME?: string | null
  XML_ID?: string | null
  COUNTRY_ID?: string | number | null
  ACTIVE?: string | null
}

export interface CompanySnapshot {
  company: CrmCompany
  /** The requisite the app works with: the first one with an INN, else the first one. */
  requisite: CrmRequisite | undefined
  legalAddress: CrmAddress | undefined
  presets: CrmPreset[]
}

const num = (v: unknown): number | null => {
  const n = Number(v)
  return Number.isFinite(n) && n > 0 ? n : null
}

/** Reads the company, its requisites, the first requisite's legal address and the presets in one batch. */
export async function readCompany(client: Bitrix24Client, companyId: number): Promise<CompanySnapshot | undefined> {
  const batch = await client.batch({
    company: ['crm.company.get', { id: companyId }],
    requisites: ['crm.requisite.list', { filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: companyId }, order: { ID: 'ASC' } }],
    addresses: [
      'crm.address.list',
      { filter: { ENTITY_TYPE_ID: 8, TYPE_ID: LEGAL_ADDRESS_TYPE, ENTITY_ID: '$result[requisites][0][ID]' } },
    ],
    presets: ['crm.requisite.preset.list', { select: ['ID', 'NAME', 'XML_ID', 'COUNTRY_ID', 'ACTIVE'] }],
  })
  const company = batchRecord<CrmCompany>(batch, 'company', 'crm.company.get')
  if (!company) return undefined
  requireBatchResults(batch, ['requisites', 'presets'])
  const requisites = asList<CrmRequisite>(batch.results.requisites)
  const requisite = requisites.find((r) => String(r.RQ_INN ?? '').trim() !== '') ?? requisites[0]
  let legalAddress: CrmAddress | undefined
  if (requisite && requisites[0] && String(requisite.ID) === String(requisites[0].ID)) {
    legalAddress = asList<CrmAddress>(batch.results.addresses).find((a) => Number(a.TYPE_ID) === LEGAL_ADDRESS_TYPE)
  } else if (requisite) {
    const list = await client.call<CrmAddress[]>('crm.address.list', {
      filter: { ENTITY_TYPE_ID: 8, TYPE_ID: LEGAL_ADDRESS_TYPE, ENTITY_ID: requisite.ID },
    })
    legalAddress = asList<CrmAddress>(list)[0]
  }
  return { company, requisite, legalAddress, presets: asList<CrmPreset>(batch.results.presets) }
}

function asList<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[]
  if (value && typeof value === 'object') return Object.values(value) as T[]
  return []
}

const PRESET_XML: Record<RequisitesKind, string> = {
  legal_entity: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#',
  sole_trader: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#',
  individual: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#',
}
const PRESET_NAME: Record<RequisitesKind, string[]> = {
  legal_entity: ['организация', 'юр. лицо', 'юридическое лицо'],
  sole_trader: ['ип', 'индивидуальный предприниматель'],
  individual: ['физ. лицо', 'физическое лицо', 'физлицо'],
}

/** Which kind a preset is, by XML_ID first, then by name (never by id). */
export function presetKind(presets: readonly CrmPreset[], presetId: unknown): RequisitesKind | null {
  const preset = presets.find((p) => String(p.ID) === String(presetId))
  if (!preset) return null
  for (const kind of Object.keys(PRESET_XML) as RequisitesKind[]) {
    if (preset.XML_ID === PRESET_XML[kind]) return kind
  }
  const name = String(preset.NAME ?? '').trim().toLowerCase()
  for (const kind of Object.keys(PRESET_NAME) as RequisitesKind[]) {
    if (PRESET_NAME[kind].includes(name)) return kind
  }
  return null
}

export function presetIdFor(presets: readonly CrmPreset[], kind: RequisitesKind): number | null {
  const active = presets.filter((p) => p.ACTIVE === undefined || p.ACTIVE === null || p.ACTIVE === 'Y')
  const byXml = active.find((p) => p.XML_ID === PRESET_XML[kind])
  const byName = active.find((p) => PRESET_NAME[kind].includes(String(p.NAME ?? '').trim().toLowerCase()))
  return num((byXml ?? byName)?.ID)
}

/**
 * The user who last touched the company or its requisite (the later of the two; on a tie the requisite),
 * skipping the app's own user (our write-backs); the responsible manager otherwise.
 */
export function editorOf(snapshot: CompanySnapshot, explicit?: number, appUserId?: number | null): number | null {
  if (explicit) return explicit
  const company = snapshot.company
  const requisite = snapshot.requisite
  const companyAt = Date.parse(String(company.DATE_MODIFY ?? '')) || 0
  const requisiteAt = Date.parse(String(requisite?.DATE_MODIFY ?? '')) || 0
  const byRequisite = requisite ? num(requisite.MODIFY_BY_ID) : null
  const byCompany = num(company.MODIFY_BY_ID)
  const ordered = requisiteAt >= companyAt ? [byRequisite, byCompany] : [byCompany, byRequisite]
  const person = ordered.find((id) => id !== null && id !== appUserId)
  return person ?? num(company.ASSIGNED_BY_ID) ?? ordered.find((id) => id !== null) ?? null
}

export interface WriteBackPlan {
  requisite: Record<string, unknown>
  address: { line: string; exists: boolean } | null
  company: Record<string, unknown>
}

export interface DesiredCard {
  fields: Partial<CounterpartyFields>
  kind: RequisitesKind
  presetId: number | null
  moedeloId: number | null
  registryStatusText: string | null
}

/** What has to change in Bitrix24 so it shows the merged values (empty when nothing differs). */
export function planWriteBack(snapshot: CompanySnapshot, desired: DesiredCard): WriteBackPlan {
  const plan: WriteBackPlan = { requisite: {}, address: null, company: {} }
  const requisite = snapshot.requisite
  if (requisite) {
    const soleTrader = desired.kind !== 'legal_entity'
    for (const [field, rq] of Object.entries(CRM_REQUISITE_FIELD) as [CounterpartyField, string][]) {
      if (field === 'inn') continue
      if (soleTrader && (field === 'kpp' || field === 'ogrn' || field === 'directorName')) continue
      if (!soleTrader && field === 'ogrnip') continue
      const want = desired.fields[field]
      if (!want) continue
      if (comparable(String(requisite[rq] ?? '')) !== comparable(want)) plan.requisite[rq] = want
    }
    if (soleTrader && String(requisite.RQ_KPP ?? '').trim() !== '') plan.requisite.RQ_KPP = ''
    if (desired.presetId && String(requisite.PRESET_ID ?? '') !== String(desired.presetId)) plan.requisite.PRESET_ID = desired.presetId
    const line = desired.fields.legalAddress
    if (line && comparable(addressLine(snapshot.legalAddress)) !== comparable(line)) {
      plan.address = { line, exists: Boolean(snapshot.legalAddress) }
    }
  }
  const company = snapshot.company
  if (desired.moedeloId && String(company[UF.companyKontragentId] ?? '') !== String(desired.moedeloId)) {
    plan.company[UF.companyKontragentId] = String(desired.moedeloId)
  }
  if (desired.registryStatusText && String(company[UF.companyRegistryStatus] ?? '') !== desired.registryStatusText) {
    plan.company[UF.companyRegistryStatus] = desired.registryStatusText
  }
  return plan
}

export const planIsEmpty = (plan: WriteBackPlan): boolean =>
  Object.keys(plan.requisite).length === 0 && plan.address === null && Object.keys(plan.company).length === 0

/** Applies a plan in one batch; an address added meanwhile by someone else is updated instead. */
export async function applyWriteBack(client: Bitrix24Client, snapshot: CompanySnapshot, plan: WriteBackPlan): Promise<void> {
  if (planIsEmpty(plan)) return
  const calls: Record<string, readonly [string, Record<string, unknown>]> = {}
  const requisiteId = snapshot.requisite?.ID
  if (requisiteId !== undefined && Object.keys(plan.requisite).length) {
    calls.requisite = ['crm.requisite.update', { id: requisiteId, fields: plan.requisite }]
  }
  const addressKey = { TYPE_ID: LEGAL_ADDRESS_TYPE, ENTITY_TYPE_ID: 8, ENTITY_ID: requisiteId }
  if (plan.address && requisiteId !== undefined) {
    calls.address = [plan.address.exists ? 'crm.address.update' : 'crm.address.add', { fields: { ...addressKey, ...crmAddressFields(plan.address.line) } }]
  }
  if (Object.keys(plan.company).length) calls.company = ['crm.company.update', { id: snapshot.company.ID, fields: plan.company }]
  const result = await client.batch(calls)
  const failures = { ...result.errors }
  if (failures.address && plan.address && !plan.address.exists) {
    // Added by a concurrent run: update it.
    await client.call('crm.address.update', { fields: { ...addressKey, ...crmAddressFields(plan.address.line) } })
    delete failures.address
  }
  const left = Object.values(failures)
  if (left.length) {
    throw new Bitrix24Error({
      kind: 'server',
      code: left[0]!.code || 'BATCH_COMMAND_FAILED',
      description: left.map((f) => `${f.key}: ${f.description}`).join('; '),
      method: 'batch',
      retryable: true,
    })
  }
}

/** A system notification to the manager and a comment on the company's timeline, in one batch. */
export async function tellManager(
  client: Bitrix24Client,
  input: { userId: number | null; companyId: number; notification: string; comment?: string; tag?: string },
): Promise<void> {
  const calls: Record<string, readonly [string, Record<string, unknown>]> = {}
  if (input.userId) {
    calls.notify = ['im.notify.system.add', { USER_ID: input.userId, MESSAGE: input.notification, ...(input.tag ? { TAG: input.tag } : {}) }]
  }
  if (input.comment) {
    calls.comment = ['crm.timeline.comment.add', { fields: { ENTITY_ID: input.companyId, ENTITY_TYPE: 'company', COMMENT: input.comment } }]
  }
  if (Object.keys(calls).length === 0) return
  // A recipient who left the portal must not stop the sync: per-command failures are ignored.
  await client.batch(calls)
}
