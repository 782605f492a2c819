/**
 * Company → counterparty: INN check, registry enrichment, one INN — one record, MoeDelo link or create,
 * field-by-field conflicts (registry > MoeDelo > CRM). Idempotent: running it again with nothing changed
 * writes nothing anywhere, so our own Bitrix24 writes (echoed back as events) converge.
 *
 *   syncCompany(db, memberId, companyId, { trigger: 'event' })
 *
 * Order of work: read the company in one batch → validate (invalid: tell the manager once, stop) →
 * registry lookup (cached) → claim the (portal, INN, branch KPP) row (duplicate: tell the manager, stop)
 * → merge CRM, registry, MoeDelo values → link/create in MoeDelo → write back what differs.
 */
import { createHash } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { getDatabase } from '@/db'
import type { Database } from '@/db/client'
import { syncJournal } from '@/db/schema/operations'
import { bitrix24For, type Bitrix24Client } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { registryProviderFor } from '@/lib/connections/registry'
import {
  fieldsFromCrm,
  fieldsFromMoeDelo,
  fieldsFromRegistry,
  MOEDELO_FIELDS,
  moedeloUpdateFrom,
  sameValue,
  type CounterpartyField,
  type CounterpartyFields,
  type FieldSource,
} from '@/lib/counterparties/fields'
import { currentFields, loadProvenance, mergeFields, type FieldOverwrite } from '@/lib/counterparties/provenance'
import {
  claimCounterparty,
  counterpartiesByInn,
  counterpartyForCompany,
  FLAGGED_STATUSES,
  markSynced,
  rebindCounterparty,
  recordRegistryStatus,
  releaseByPrefix,
  releaseOnce,
  takeOnce,
  type CounterpartyKind,
  type CounterpartyRow,
} from '@/lib/counterparties/store'
import {
  counterpartyMessages,
  normaliseDigits,
  registryStatusRu,
  requisiteProblemMessage,
  validateInn,
  validateRequisites,
  type RegistryStatusName,
  type RequisiteProblem,
  type RequisitesKind,
  type ValidRequisites,
} from '@/lib/domain'
import { defineJob, writeJournal } from '@/lib/jobs'
import { isRegistryError, selectRecord, type RegistryRecord } from '@/lib/registry'
import { getActivePortal, getPortalTokens } from '@/lib/portals/repository'
import { linkInMoeDelo, type MoeDeloLink } from './counterparty-moedelo'
import {
  applyWriteBack,
  editorOf,
  planWriteBack,
  presetIdFor,
  presetKind,
  readCompany,
  tellManager,
  type CompanySnapshot,
} from './counterparty-crm'

export interface SyncCompanyOptions {
  trigger: 'event' | 'bulk' | 'manual'
  /** Who changed the company (defaults to the company's/requisite's MODIFY_BY_ID, then ASSIGNED_BY_ID). */
  editorUserId?: number
  /** Ask the registry even when a cached answer is fresh (the «Обновить из ЕГРЮЛ» button). */
  forceRegistry?: boolean
}

interface Synced {
  companyId: number
  counterpartyId: number
  inn: string
  /** '' for the head office / no KPP; a branch's KPP. */
  unitKpp: string
  moedeloId: number | null
  registryStatus: string | null
  /** Values replaced in this run (also in the journal). */
  overwrites: FieldOverwrite[]
  /** CRM values put back because a higher source holds them (the manager was told). */
  restored: CounterpartyField[]
  crmUpdated: boolean
  moedeloUpdated: boolean
}

export type SyncCompanyOutcome =
  /** The company no longer exists in Bitrix24. */
  | { kind: 'gone'; companyId: number }
  | { kind: 'no-inn'; companyId: number }
  /** Requisites are wrong: nothing was sent anywhere; the manager was told (once per distinct value). */
  | { kind: 'invalid'; companyId: number; problems: string[]; notified: boolean }
  /** The registry has no such organisation / ИП: nothing was sent to MoeDelo. */
  | { kind: 'not-in-registry'; companyId: number; inn: string; message: string; notified: boolean }
  /** Another company of the portal already holds this INN (+ branch KPP). */
  | { kind: 'duplicate'; companyId: number; inn: string; kpp: string; existingCompanyId: number; notified: boolean }
  /** Created in MoeDelo in this run. */
  | ({ kind: 'created' } & Synced)
  /** Bound to a MoeDelo counterparty (found now or earlier). */
  | ({ kind: 'linked' } & Synced)
  /** MoeDelo is not connected: checked and enriched in the CRM only. */
  | ({ kind: 'synced' } & Synced)

const TOPIC = 'counterparty'

const fingerprint = (parts: unknown[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)

const present = (raw: unknown): string | null => {
  const v = normaliseDigits(raw === null || raw === undefined ? '' : String(raw))
  return v === '' ? null : v
}

/**
 * lib/domain's checks, except that a missing KPP of an organisation does not block: the registry fills it.
 */
function checkRequisites(input: { inn: unknown; kpp: unknown; ogrn: unknown; ogrnip: unknown; kind: RequisitesKind | null }):
  | { ok: true; value: ValidRequisites }
  | { ok: false; problems: RequisiteProblem[] } {
  const args = { inn: present(input.inn), kpp: present(input.kpp), ogrn: present(input.ogrn), ogrnip: present(input.ogrnip), kind: input.kind }
  const result = validateRequisites(args)
  if (result.ok) return result
  const blocking = result.problems.filter((p) => p.code !== 'kpp_missing')
  if (blocking.length) return { ok: false, problems: blocking }
  const inn = validateInn(args.inn)
  if (!inn.ok) return { ok: false, problems: [inn.problem] }
  return { ok: true, value: { inn: inn.value, kind: 'legal_entity', kpp: null, ogrn: args.ogrn, ogrnip: args.ogrnip } }
}

/** Tells the manager once per key; the mark is dropped again when telling fails (the retry tells). */
async function tellOnce(
  db: Database,
  client: Bitrix24Client,
  memberId: string,
  key: string,
  message: { userId: number | null; companyId: number; notification: string; comment?: string },
): Promise<boolean> {
  if (!(await takeOnce(db, memberId, key))) return false
  try {
    await tellManager(client, message)
  } catch (error) {
    await releaseOnce(db, memberId, key)
    throw error
  }
  return true
}

/** Tells the manager once per key and, that first time, puts the warning in the sync journal. */
async function warnOnce(
  db: Database,
  client: Bitrix24Client,
  memberId: string,
  key: string,
  message: { userId: number | null; companyId: number; notification: string; comment?: string },
  journal: { message: string; details?: Record<string, unknown> },
): Promise<boolean> {
  const notified = await tellOnce(db, client, memberId, key, message)
  if (notified) {
    await writeJournal(db, {
      memberId,
      level: 'warning',
      topic: TOPIC,
      entityType: 'company',
      entityId: message.companyId,
      message: journal.message,
      ...(journal.details ? { details: journal.details } : {}),
    })
  }
  return notified
}

async function companyExists(client: Bitrix24Client, id: number): Promise<{ title: string } | undefined> {
  try {
    const company = await client.call<{ TITLE?: string } | null>('crm.company.get', { id })
    return company ? { title: String(company.TITLE ?? '') } : undefined
  } catch (error) {
    if (error instanceof Bitrix24Error && error.kind === 'not-found') return undefined
    throw error
  }
}

type RegistryAnswer = { record: RegistryRecord } | { notFound: string } | { unavailable: true } | undefined

async function askRegistry(
  db: Database,
  memberId: string,
  companyId: number,
  valid: ValidRequisites,
  force: boolean,
): Promise<RegistryAnswer> {
  const provider = await registryProviderFor(db, memberId, { fresh: force })
  if (!provider) return undefined
  let records: RegistryRecord[]
  try {
    records = await provider.findByInn(valid.inn)
  } catch (error) {
    if (!isRegistryError(error)) throw error
    const details = { kind: error.kind, provider: error.provider, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) }
    if (error.retryable) {
      // Quota, outage, rate limit: nothing is written; the job layer retries (and parks when it lasts).
      await writeJournal(db, {
        memberId,
        level: 'warning',
        topic: TOPIC,
        entityType: 'company',
        entityId: companyId,
        message: counterpartyMessages.registryDeferred(companyId, valid.inn, error.userMessage),
        details,
      })
      throw error
    }
    await writeJournal(db, {
      memberId,
      level: 'error',
      topic: TOPIC,
      entityType: 'company',
      entityId: companyId,
      message: counterpartyMessages.registryFailed(companyId, valid.inn, error.userMessage),
      details,
    })
    return { unavailable: true }
  }
  const own = records.filter((r) => r.inn === valid.inn)
  if (own.length === 0) {
    if (valid.kind === 'individual') return undefined // a private person is in no register
    try {
      selectRecord(own, { inn: valid.inn })
    } catch (error) {
      return { notFound: isRegistryError(error) ? error.userMessage : String(error) }
    }
  }
  if (valid.kind === 'individual' && !own.some((r) => r.kind === 'sole_trader')) return undefined
  try {
    return { record: selectRecord(own, { inn: valid.inn, ...(valid.kpp ? { kpp: valid.kpp } : {}) }) }
  } catch {
    // A KPP the registry does not know (historic, mistyped): the head office; its KPP wins (registry > CRM).
    return { record: selectRecord(own, { inn: valid.inn }) }
  }
}

/** The record's unit: '' for the head office and every ИП, the KPP for a separate branch. */
const unitOf = (record: RegistryRecord): string => (record.branchType === 'branch' && record.kpp ? record.kpp : '')

/** Without a registry: a KPP other than the head office's known KPP is a separate branch. */
async function unitWithoutRegistry(db: Database, memberId: string, companyId: number, valid: ValidRequisites): Promise<string> {
  if (valid.kind !== 'legal_entity' || !valid.kpp) return ''
  const rows = await counterpartiesByInn(db, memberId, valid.inn)
  if (rows.some((r) => r.kpp === valid.kpp)) return valid.kpp
  const head = rows.find((r) => r.kpp === '')
  if (!head || head.companyId === companyId) return ''
  const headKpp = (await loadProvenance(db, head.id)).kpp?.value
  return headKpp && headKpp !== valid.kpp ? valid.kpp : ''
}

export async function syncCompany(db: Database, memberId: string, companyId: number, opts: SyncCompanyOptions): Promise<SyncCompanyOutcome> {
  const client = await bitrix24For(db, memberId)
  const snapshot = await readCompany(client, companyId)
  if (!snapshot) return { kind: 'gone', companyId }
  const { company, requisite, presets } = snapshot
  const title = String(company.TITLE ?? '')
  if (!requisite || present(requisite.RQ_INN) === null) return { kind: 'no-inn', companyId }
  const declaredKind = presetKind(presets, requisite.PRESET_ID)
  // The first sync of a whole portal must not flood managers with personal notifications: it
  // leaves timeline comments and journal entries only.
  const editor = opts.trigger === 'bulk' ? null : editorOf(snapshot, opts.editorUserId, (await getPortalTokens(db, memberId))?.userId)

  // 1. Validation: an invalid value is never sent anywhere.
  const raw = { inn: requisite.RQ_INN, kpp: requisite.RQ_KPP, ogrn: requisite.RQ_OGRN, ogrnip: requisite.RQ_OGRNIP, kind: declaredKind }
  const check = checkRequisites(raw)
  if (!check.ok) {
    const problems = check.problems.map((p) => requisiteProblemMessage(p))
    const fp = fingerprint([present(raw.inn), present(raw.kpp), present(raw.ogrn), present(raw.ogrnip), declaredKind])
    const notified = await warnOnce(
      db,
      client,
      memberId,
      `counterparty:invalid:${companyId}:${fp}`,
      {
        userId: editor,
        companyId,
        notification: counterpartyMessages.invalidRequisites(companyId, title, problems),
        comment: counterpartyMessages.invalidRequisitesComment(problems),
      },
      { message: `Компания №${companyId}: ${problems.join('; ')}`, details: { problems: check.problems, notifiedUserId: editor } },
    )
    return { kind: 'invalid', companyId, problems, notified }
  }
  const valid = check.value
  // Valid now: a later return to a wrong value is reported again.
  await releaseByPrefix(db, memberId, `counterparty:invalid:${companyId}:`)

  // 2. Registry (cached).
  const answer = await askRegistry(db, memberId, companyId, valid, Boolean(opts.forceRegistry))
  if (answer && 'notFound' in answer) {
    const text = counterpartyMessages.notInRegistry(companyId, title, answer.notFound)
    const notified = await warnOnce(
      db,
      client,
      memberId,
      `counterparty:not-in-registry:${companyId}:${valid.inn}`,
      { userId: editor, companyId, notification: text, comment: text },
      { message: answer.notFound },
    )
    return { kind: 'not-in-registry', companyId, inn: valid.inn, message: answer.notFound, notified }
  }
  const record = answer && 'record' in answer ? answer.record : undefined
  const kind: CounterpartyKind = record ? record.kind : valid.kind
  const unitKpp = record ? unitOf(record) : await unitWithoutRegistry(db, memberId, companyId, valid)

  // 3. One INN (+ branch KPP) — one record.
  let claim = await claimCounterparty(db, { memberId, inn: valid.inn, unitKpp, kind, companyId, requisiteId: Number(requisite.ID) || null })
  if (claim.kind === 'duplicate') {
    const other = await companyExists(client, claim.otherCompanyId)
    if (!other) {
      await rebindCounterparty(db, claim.row.id, claim.otherCompanyId, companyId)
      claim = await claimCounterparty(db, { memberId, inn: valid.inn, unitKpp, kind, companyId, requisiteId: Number(requisite.ID) || null })
    }
    if (claim.kind === 'duplicate') {
      const existingId = claim.otherCompanyId
      const text = counterpartyMessages.duplicate(valid.inn, unitKpp, existingId, other?.title ?? '')
      const notified = await warnOnce(
        db,
        client,
        memberId,
        `counterparty:duplicate:${companyId}:${existingId}:${valid.inn}:${unitKpp}`,
        { userId: editor, companyId, notification: text, comment: text },
        { message: text, details: { inn: valid.inn, kpp: unitKpp, existingCompanyId: existingId } },
      )
      return { kind: 'duplicate', companyId, inn: valid.inn, kpp: unitKpp, existingCompanyId: existingId, notified }
    }
  }
  const row = claim.row
  return await syncOwned(db, { memberId, companyId, client, snapshot, row, valid, record, kind, unitKpp, declaredKind, editor, title })
}

interface OwnedContext {
  memberId: string
  companyId: number
  client: Bitrix24Client
  snapshot: CompanySnapshot
  row: CounterpartyRow
  valid: ValidRequisites
  record: RegistryRecord | undefined
  kind: CounterpartyKind
  unitKpp: string
  declaredKind: RequisitesKind | null
  editor: number | null
  title: string
}

async function syncOwned(db: Database, c: OwnedContext): Promise<SyncCompanyOutcome> {
  const { memberId, companyId, client, snapshot, row, record, kind } = c
  const prior = await loadProvenance(db, row.id)
  const overwrites: FieldOverwrite[] = []

  // 4. Merge: CRM first (the lowest), then the registry; MoeDelo's values after linking.
  const crm = fieldsFromCrm(snapshot.requisite!, snapshot.legalAddress)
  if (kind !== 'legal_entity') delete crm.kpp
  const crmMerge = await mergeFields(db, { memberId, counterpartyId: row.id, source: 'crm', fields: crm, companyId })
  overwrites.push(...crmMerge.overwrites)
  if (record) {
    const merged = await mergeFields(db, { memberId, counterpartyId: row.id, source: 'registry', fields: fieldsFromRegistry(record), companyId })
    overwrites.push(...merged.overwrites)
  }

  // Registry status: flagged stays flagged unless the registry says otherwise for this very unit.
  let status: string | null = row.registryStatus
  if (record) {
    const sameUnit = record.inn === row.inn && unitOf(record) === row.kpp
    status = await recordRegistryStatus(db, row.id, record.status, sameUnit)
  }
  const statusText = status
    ? registryStatusRu(status as RegistryStatusName, {
        soleTrader: kind === 'sole_trader',
        date: record && status === record.status ? (record.liquidatedAt ?? (status === 'liquidated' ? record.statusDate : null)) : null,
      })
    : null

  // 5. MoeDelo: link or create (once per row), then take its values.
  const md = await moedeloClientFor(db, memberId)
  let link: MoeDeloLink | undefined
  if (md) {
    const merged = await currentFields(db, row.id)
    link = await linkInMoeDelo(db, memberId, md, row, {
      inn: c.valid.inn,
      kind,
      kpp: kind === 'legal_entity' ? (c.unitKpp || merged.kpp || c.valid.kpp) : null,
      fields: merged,
      fallbackName: c.title,
    })
    if (link.kind !== 'existing' && link.record) {
      const merged2 = await mergeFields(db, { memberId, counterpartyId: row.id, source: 'moedelo', fields: fieldsFromMoeDelo(link.record), companyId })
      overwrites.push(...merged2.overwrites)
      await writeJournal(db, {
        memberId,
        level: 'info',
        topic: TOPIC,
        entityType: 'company',
        entityId: companyId,
        message: link.kind === 'created' ? counterpartyMessages.created(companyId, link.moedeloId) : counterpartyMessages.linked(companyId, link.moedeloId),
        details: { inn: c.valid.inn, kpp: c.unitKpp, moedeloId: link.moedeloId },
      })
    }
  }
  const moedeloId = link?.moedeloId ?? null
  const final = await currentFields(db, row.id)

  // 6. Bitrix24: write back only what differs (our own echo then changes nothing).
  const presetId = c.declaredKind !== kind ? presetIdFor(snapshot.presets, kind) : null
  const plan = planWriteBack(snapshot, { fields: final, kind, presetId, moedeloId, registryStatusText: statusText })
  const restored = restoredFields(crmMerge.rejected, prior, plan, kind)
  await applyWriteBack(client, snapshot, plan)
  const crmUpdated = Object.keys(plan.requisite).length > 0 || plan.address !== null || Object.keys(plan.company).length > 0
  if (restored.length) await tellRestored(db, c, restored, crmMerge.rejected, final, prior)
  if (statusText && status && FLAGGED_STATUSES.has(status)) {
    await tellOnce(db, client, memberId, `counterparty:flagged:${companyId}:${status}`, {
      userId: c.editor,
      companyId,
      notification: counterpartyMessages.flagged(companyId, c.title, statusText),
      comment: counterpartyMessages.flagged(companyId, c.title, statusText),
    })
  }

  // 7. MoeDelo gets the merged values when they moved (or when an earlier push did not go through).
  let moedeloUpdated = false
  if (md && moedeloId) {
    const pendingKey = `counterparty:moedelo-push:${row.id}`
    const lagging =
      link && link.kind !== 'existing' && link.record
        ? MOEDELO_FIELDS.filter((f) => final[f] && !sameValue(final[f], fieldsFromMoeDelo(link.record!)[f]))
        : MOEDELO_FIELDS.filter((f) => final[f] && !sameValue(final[f], prior[f]?.value))
    const pending = !(await takeOnce(db, memberId, pendingKey))
    if (lagging.length || pending) {
      await md.updateCounterparty(moedeloId, moedeloUpdateFrom(final, c.title))
      moedeloUpdated = true
    }
    await releaseOnce(db, memberId, pendingKey)
  }

  await markSynced(db, row.id)
  const synced = {
    companyId,
    counterpartyId: row.id,
    inn: c.valid.inn,
    unitKpp: c.unitKpp,
    moedeloId,
    registryStatus: status,
    overwrites,
    restored,
    crmUpdated,
    moedeloUpdated,
  }
  if (!md) return { kind: 'synced', ...synced }
  return { kind: link?.kind === 'created' ? 'created' : 'linked', ...synced }
}

/** Fields the manager changed in the CRM although a higher source holds them, and which we put back now. */
function restoredFields(
  rejected: Partial<CounterpartyFields>,
  prior: Awaited<ReturnType<typeof loadProvenance>>,
  plan: ReturnType<typeof planWriteBack>,
  kind: CounterpartyKind,
): CounterpartyField[] {
  const out: CounterpartyField[] = []
  for (const field of Object.keys(rejected) as CounterpartyField[]) {
    const before = prior[field]
    if (!before || before.source === 'crm') continue
    const written =
      field === 'legalAddress'
        ? plan.address !== null
        : Object.keys(plan.requisite).some((k) => k === crmFieldOf(field, kind))
    if (written) out.push(field)
  }
  return out
}

const crmFieldOf = (field: CounterpartyField, _kind: CounterpartyKind): string | undefined =>
  ({ kpp: 'RQ_KPP', ogrn: 'RQ_OGRN', ogrnip: 'RQ_OGRNIP', fullName: 'RQ_COMPANY_FULL_NAME', shortName: 'RQ_COMPANY_NAME', directorName: 'RQ_DIRECTOR' })[
    field as string
  ]

async function tellRestored(
  db: Database,
  c: OwnedContext,
  fields: CounterpartyField[],
  managerValues: Partial<CounterpartyFields>,
  final: Partial<CounterpartyFields>,
  prior: Awaited<ReturnType<typeof loadProvenance>>,
): Promise<void> {
  const lines = fields.map((f) =>
    counterpartyMessages.restored(f, managerValues[f] ?? '', final[f] ?? '', (prior[f]?.source ?? 'registry') as Exclude<FieldSource, 'crm'>),
  )
  const text = `${counterpartyMessages.restoredHeader(c.companyId, c.title)}\n${lines.join('\n')}`
  const fp = fingerprint([fields, fields.map((f) => managerValues[f]), c.snapshot.requisite?.DATE_MODIFY ?? null])
  const told = await tellOnce(db, c.client, c.memberId, `counterparty:restored:${c.companyId}:${fp}`, {
    userId: c.editor,
    companyId: c.companyId,
    notification: text,
    comment: lines.join('\n'),
  })
  if (told) {
    for (const f of fields) {
      await writeJournal(db, {
        memberId: c.memberId,
        level: 'warning',
        topic: 'counterparty-conflict',
        entityType: 'company',
        entityId: c.companyId,
        message: lines[fields.indexOf(f)]!,
        details: {
          counterpartyId: c.row.id,
          field: f,
          oldValue: managerValues[f],
          newValue: final[f],
          oldSource: 'crm',
          source: prior[f]?.source,
          reason: 'restored',
          notifiedUserId: c.editor,
        },
      })
    }
  }
}

// ---------- read model for the company tab ----------

export interface CompanyCounterpartyView {
  counterpartyId: number
  inn: string
  kpp: string | null
  /** A separate branch (its own record) rather than the head office. */
  isBranch: boolean
  registryStatus: string | null
  registryStatusCode: string | null
  registryCheckedAt: string | null
  moedeloId: number | null
  moedeloUrl?: string
  syncedAt: string | null
  fields: Partial<Record<CounterpartyField, { value: string; source: FieldSource; updatedAt: string }>>
  recentConflicts: { at: string; message: string; field?: string; oldValue?: string; newValue?: string; source?: string; oldSource?: string; reason?: string }[]
}

export async function companyCounterpartyView(db: Database, memberId: string, companyId: number): Promise<CompanyCounterpartyView | null> {
  const row = await counterpartyForCompany(db, memberId, companyId)
  if (!row) return null
  const provenance = await loadProvenance(db, row.id)
  const fields: CompanyCounterpartyView['fields'] = {}
  for (const [f, p] of Object.entries(provenance)) fields[f as CounterpartyField] = { value: p.value, source: p.source, updatedAt: p.updatedAt.toISOString() }
  const conflicts = await db
    .select()
    .from(syncJournal)
    .where(and(eq(syncJournal.memberId, memberId), eq(syncJournal.topic, 'counterparty-conflict'), eq(syncJournal.entityType, 'company'), eq(syncJournal.entityId, String(companyId))))
    .orderBy(desc(syncJournal.id))
    .limit(20)
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return {
    counterpartyId: row.id,
    inn: row.inn,
    kpp: provenance.kpp?.value ?? (row.kpp || null),
    isBranch: row.kpp !== '',
    registryStatus: row.registryStatus ? registryStatusRu(row.registryStatus as RegistryStatusName, { soleTrader: row.kind === 'sole_trader' }) : null,
    registryStatusCode: row.registryStatus,
    registryCheckedAt: row.registryCheckedAt?.toISOString() ?? null,
    moedeloId: row.moedeloId,
    syncedAt: row.syncedAt?.toISOString() ?? null,
    fields,
    recentConflicts: conflicts.map((j) => ({
      at: j.at.toISOString(),
      message: j.message,
      field: str(j.details?.field),
      oldValue: str(j.details?.oldValue),
      newValue: str(j.details?.newValue),
      source: str(j.details?.source),
      oldSource: str(j.details?.oldSource),
      reason: str(j.details?.reason),
    })),
  }
}

// ---------- jobs ----------

export const counterpartyCompanyPayload = z.object({
  memberId: z.string().min(1).max(100),
  companyId: z.number().int().positive(),
  editorUserId: z.number().int().positive().optional(),
})
export type CounterpartyCompanyPayload = z.infer<typeof counterpartyCompanyPayload>

async function runJob(payload: CounterpartyCompanyPayload, opts: SyncCompanyOptions): Promise<void> {
  const { db } = await getDatabase()
  if (!(await getActivePortal(db, payload.memberId))) return
  try {
    await syncCompany(db, payload.memberId, payload.companyId, opts)
  } catch (error) {
    if (error instanceof Bitrix24Error && error.kind === 'portal-inactive') return
    throw error
  }
}

/** A company or its requisite changed (events ONCRMCOMPANY*, ONCRMREQUISITE*). */
export const counterpartyCompanyJob = defineJob<CounterpartyCompanyPayload>({
  name: 'counterparty.company',
  payload: counterpartyCompanyPayload,
  service: 'moedelo',
  topic: TOPIC,
  dedupKey: (p) => `company:${p.companyId}`,
  entity: (p) => ({ type: 'company', id: p.companyId }),
  handler: (p) => runJob(p, { trigger: 'event', ...(p.editorUserId ? { editorUserId: p.editorUserId } : {}) }),
})

/** The «Обновить из ЕГРЮЛ» button: the registry is asked again even when a cached answer is fresh. */
export const counterpartyRefreshJob = defineJob<CounterpartyCompanyPayload>({
  name: 'counterparty.refresh',
  payload: counterpartyCompanyPayload,
  service: 'registry',
  topic: TOPIC,
  dedupKey: (p) => `refresh:${p.companyId}`,
  entity: (p) => ({ type: 'company', id: p.companyId }),
  handler: (p) => runJob(p, { trigger: 'manual', forceRegistry: true, ...(p.editorUserId ? { editorUserId: p.editorUserId } : {}) }),
})

/** Singleton key for queueing: at most one waiting sync per company (bursts of events collapse). */
export const counterpartyJobKey = (memberId: string, companyId: number): string => `${memberId}:company:${companyId}`
