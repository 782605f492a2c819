/**
 * Reverse sync of counterparties: what the accountant adds or edits in MoeDelo appears in
 * Bitrix24 as companies with requisites (spec moedelo.md §3.1, §12 step 6).
 *
 * MoeDelo has no change feed for counterparties, so every run pages through ALL of them (large
 * pages; MoeDelo calls are not rate-limited like Bitrix24) and compares a content hash of the
 * synced fields with `counterparties.moedelo_hash`. Only new or changed records cost Bitrix24
 * calls, and those are batched (≤ 50 commands per request, each command's own result checked):
 * an unchanged run costs zero Bitrix24 requests.
 *
 * - New record (INN not mapped) → `crm.company.add` + `crm.requisite.add` (preset found by
 *   XML_ID/NAME: ИП for a 12-digit INN, no KPP) + legal address; the counterparties row is reserved
 *   first (unique member+INN+KPP), so two runs never create two companies. An INN already mapped,
 *   or already on a company requisite in Bitrix24, is linked instead of creating a duplicate.
 * - Changed record → `mergeFields(source 'moedelo')` (registry > MoeDelo > CRM, field by field),
 *   and only the accepted fields are written to the requisite / legal address.
 * - Archived records are never created; records with an invalid INN are skipped and journalled
 *   once (until they change).
 *
 * Runs as a periodic job per portal (`reverseCounterpartySyncJob`, re-scheduling itself).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { getDatabase } from '@/db'
import type { Database } from '@/db/client'
import { counterparties, fieldProvenance, syncRuns } from '@/db/schema'
import { UF } from '@/lib/bitrix24/app-manifest'
import { bitrix24For, type BatchCommand, type Bitrix24Client } from '@/lib/bitrix24/client'
import { Bitrix24Error } from '@/lib/bitrix24/errors'
import { sameValue, type CounterpartyFields } from '@/lib/counterparties/fields'
import { mergeFields } from '@/lib/counterparties/provenance'
import { moedeloClientFor } from '@/lib/connections/moedelo'
import { isRetryable } from '@/lib/errors'
import { defineJob, enqueue, writeJournal } from '@/lib/jobs'
import type { Counterparty, CounterpartyRole, MoeDeloClient } from '@/lib/moedelo'
import { getActivePortal } from '@/lib/portals/repository'
import { presetFor, resolveRequisitePresets, runGroups, type CommandGroup, type RequisitePresets } from './reverse-bitrix'
import {
  COMPANY_ENTITY_TYPE,
  fieldsFromMoedelo,
  innProblem,
  kindOf,
  LEGAL_ADDRESS_TYPE,
  legalAddressFields,
  moedeloContentHash,
  REQUISITE_ENTITY_TYPE,
  requisiteFields,
  type CounterpartyKind,
} from './reverse-fields'
import { latestSyncRun } from './runs'

export const REVERSE_SYNC_KIND = 'reverse_counterparties'
export const REVERSE_SYNC_TOPIC = 'counterparty'
/** Default interval between runs for one portal. */
export const DEFAULT_REVERSE_SYNC_INTERVAL_SECONDS = 600
/** MoeDelo page size for the full scan (the server cap is unknown; the client clamps nothing). */
export const DEFAULT_MOEDELO_PAGE_SIZE = 1000
/** At most this many separate journal entries about invalid INNs per run (the rest are summed up). */
const MAX_INVALID_ENTRIES = 20
const MAX_PAGES = 10_000
/**
 * `moedelo_hash` of a row whose last Bitrix24 write did not land: never equal to a real hash (so
 * the record is picked up again) and a sign to write every accepted field, not only the ones that
 * differ from the recorded provenance (which the failed attempt already updated).
 */
export const PENDING_HASH = 'pending'

export interface ReverseSyncOptions {
  /** MoeDelo page size (default 1000). */
  pageSize?: number
  /** A ready Bitrix24 client (tests, benchmarks); default `bitrix24For(db, memberId)`. */
  bitrix24?: Bitrix24Client
  /** A ready MoeDelo client; default `moedeloClientFor(db, memberId)`. */
  moedelo?: MoeDeloClient
}

export interface ReverseSyncSummary {
  status: 'done' | 'skipped'
  /** Why nothing was done (portal inactive, MoeDelo not connected). */
  reason?: 'portal-inactive' | 'moedelo-not-connected'
  /** MoeDelo records read. */
  scanned: number
  /** Companies created in Bitrix24. */
  created: number
  /** MoeDelo records linked to companies that already existed (same INN). */
  linked: number
  /** Companies whose requisites were updated. */
  updated: number
  /** Changed in MoeDelo but nothing to write (the registry or nothing new won). */
  unchangedAfterMerge: number
  unchanged: number
  skippedArchived: number
  /** Private persons (ФЛ): a person is not a company (e.g. the buyer of a contact's invoice). */
  skippedPersons: number
  skippedInvalid: number
  /** A second MoeDelo record with an INN (+KPP) already linked to another one (MoeDelo allows duplicates). */
  duplicates: number
  failed: number
  /** HTTP requests made to Bitrix24 (a batch counts once). */
  bitrix24Requests: number
  /** MoeDelo requests made (list pages). */
  moedeloRequests: number
}

type Row = typeof counterparties.$inferSelect

interface Candidate {
  c: Counterparty
  hash: string
  kind: CounterpartyKind
  inn: string
  kpp: string
  fields: Partial<CounterpartyFields>
}

interface Change extends Candidate {
  row: Row
  /** First time this MoeDelo record meets this row. */
  link: boolean
}

interface Creation extends Candidate {
  /** A row that already exists (a reservation from an earlier run whose creation failed). */
  row?: Row
}

const emptySummary = (): ReverseSyncSummary => ({
  status: 'done',
  scanned: 0,
  created: 0,
  linked: 0,
  updated: 0,
  unchangedAfterMerge: 0,
  unchanged: 0,
  skippedArchived: 0,
  skippedPersons: 0,
  skippedInvalid: 0,
  duplicates: 0,
  failed: 0,
  bitrix24Requests: 0,
  moedeloRequests: 0,
})

/** Reads every MoeDelo counterparty, large pages, lowest id first. */
async function readAllCounterparties(md: MoeDeloClient, pageSize: number, summary: ReverseSyncSummary): Promise<Counterparty[]> {
  const byId = new Map<number, Counterparty>()
  for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo += 1) {
    const page = await md.listCounterparties({ pageNo, pageSize })
    summary.moedeloRequests += 1
    for (const item of page.items) byId.set(item.id, item)
    // The server may clamp pageSize: a page is "short" only against what it actually returns.
    if (page.items.length === 0 || byId.size >= page.totalCount) break
  }
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

const innKppKey = (inn: string, kpp: string) => `${inn}|${kpp}`

function companyType(role: CounterpartyRole | null): string | undefined {
  if (role === 'buyer' || role === 'buyer_and_supplier') return 'CUSTOMER'
  if (role === 'supplier') return 'SUPPLIER'
  if (role === 'other') return 'OTHER'
  return undefined
}

function requisiteName(kind: CounterpartyKind, fields: Partial<CounterpartyFields>, c: Counterparty): string {
  return (fields.shortName ?? c.name ?? (kind === 'legal_entity' ? 'Организация' : 'ИП')).slice(0, 255)
}

/** Requisite fields for a new requisite, by preset (an ИП requisite has no KPP and keeps the person's name). */
function newRequisiteFields(cand: Candidate, fields: Partial<CounterpartyFields>): Record<string, string> {
  const rq = requisiteFields(fields, cand.kind)
  if (cand.kind !== 'legal_entity' && cand.c.fio) rq.RQ_NAME = cand.c.fio
  return rq
}

function addressCommands(prefix: string, requisiteRef: number | string, address: string): Record<string, BatchCommand> {
  const fields = { TYPE_ID: LEGAL_ADDRESS_TYPE, ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE, ENTITY_ID: requisiteRef, ...legalAddressFields(address) }
  // The legal address may or may not exist yet: add (fails harmlessly when it exists), then
  // update (always succeeds when the requisite exists). The update's result is what counts.
  return {
    [`${prefix}aa`]: ['crm.address.add', { fields }],
    [`${prefix}au`]: ['crm.address.update', { fields }],
  }
}

/**
 * One run of reverse sync for one portal. Idempotent; safe to run again after a crash (rows are
 * reserved before companies are created, hashes are stored only after Bitrix24 accepted the writes).
 */
export async function runReverseCounterpartySync(
  db: Database,
  memberId: string,
  options: ReverseSyncOptions = {},
): Promise<ReverseSyncSummary> {
  const summary = emptySummary()
  if (!(await getActivePortal(db, memberId))) return { ...summary, status: 'skipped', reason: 'portal-inactive' }
  const md = options.moedelo ?? (await moedeloClientFor(db, memberId))
  if (!md) return { ...summary, status: 'skipped', reason: 'moedelo-not-connected' }

  const records = await readAllCounterparties(md, options.pageSize ?? DEFAULT_MOEDELO_PAGE_SIZE, summary)
  summary.scanned = records.length

  const rows = await db.select().from(counterparties).where(eq(counterparties.memberId, memberId))
  const byMoedelo = new Map<number, Row>()
  const byInnKpp = new Map<string, Row>()
  const byInn = new Map<string, Row[]>()
  for (const row of rows) {
    if (row.moedeloId !== null) byMoedelo.set(row.moedeloId, row)
    byInnKpp.set(innKppKey(row.inn, row.kpp), row)
    byInn.set(row.inn, [...(byInn.get(row.inn) ?? []), row])
  }
  /** INNs claimed during this run by a record still to be created. */
  const claimed = new Set<string>()

  const changes: Change[] = []
  const creations: Creation[] = []
  const invalid: { c: Counterparty; hash: string; problem: string }[] = []

  for (const c of records) {
    const hash = moedeloContentHash(c)
    const kind = kindOf(c)
    const fields = fieldsFromMoedelo(c)
    const inn = (c.inn ?? '').trim()
    const kpp = kind === 'legal_entity' ? (c.kpp ?? '').trim() : ''
    const cand: Candidate = { c, hash, kind, inn, kpp, fields }
    const own = byMoedelo.get(c.id)
    if (own) {
      // The INN is the row's identity: a changed (or broken) INN in MoeDelo is never mirrored.
      if (cand.fields.inn !== undefined && cand.fields.inn !== own.inn) {
        const { inn: _changed, ...rest } = cand.fields
        cand.fields = rest
      }
      if (own.moedeloHash === hash) summary.unchanged += 1
      else if (own.companyId !== null) changes.push({ ...cand, row: own, link: false })
      else if (c.isArchived) summary.skippedArchived += 1
      else creations.push({ ...cand, fields: { ...cand.fields, inn: own.inn }, row: own })
      continue
    }
    const problem = innProblem(c)
    if (problem) {
      if (c.isArchived) summary.skippedArchived += 1
      else invalid.push({ c, hash, problem })
      continue
    }
    // One INN is one record (rows keep '' for the head office and the KPP only for a separate
    // branch): a branch row with this KPP, else the head-office row, else the only row of the INN.
    const sameInn = byInn.get(inn) ?? []
    const match =
      (kpp ? byInnKpp.get(innKppKey(inn, kpp)) : undefined) ??
      byInnKpp.get(innKppKey(inn, '')) ??
      (sameInn.length === 1 ? sameInn[0] : undefined)
    if (match) {
      if (match.moedeloId !== null && match.moedeloId !== c.id) {
        summary.duplicates += 1
        continue
      }
      match.moedeloId = c.id
      byMoedelo.set(c.id, match)
      if (match.companyId === null) creations.push({ ...cand, row: match })
      else changes.push({ ...cand, row: match, link: true })
      continue
    }
    if (claimed.has(inn)) {
      summary.duplicates += 1
      continue
    }
    if (c.isArchived) {
      summary.skippedArchived += 1
      continue
    }
    if (kind === 'individual') {
      summary.skippedPersons += 1
      continue
    }
    claimed.add(inn)
    creations.push(cand)
  }

  let client: Bitrix24Client | undefined = options.bitrix24
  const b24 = async () => (client ??= await bitrix24For(db, memberId))

  if (creations.length > 0) await createCompanies(db, memberId, await b24(), creations, changes, summary)
  if (changes.length > 0) await applyChanges(db, memberId, await b24(), changes, summary)

  summary.skippedInvalid = invalid.length
  await finishRun(db, memberId, summary, invalid)
  return summary
}

// ---- creation ----------------------------------------------------------------------------------

interface RequisiteHit {
  ID: string
  ENTITY_ID: string
  RQ_INN?: string | null
  RQ_KPP?: string | null
}

/** Companies in Bitrix24 that already carry these INNs on a requisite (one list command per INN, batched). */
async function findCompaniesByInn(client: Bitrix24Client, inns: string[], summary: ReverseSyncSummary): Promise<Map<string, RequisiteHit[]>> {
  const groups: CommandGroup<string>[] = [...new Set(inns)].map((inn, i) => ({
    tag: inn,
    commands: {
      [`q${i}`]: [
        'crm.requisite.list',
        {
          filter: { ENTITY_TYPE_ID: COMPANY_ENTITY_TYPE, RQ_INN: inn },
          select: ['ID', 'ENTITY_ID', 'RQ_INN', 'RQ_KPP'],
          order: { ID: 'ASC' },
          start: -1,
        },
      ],
    },
  }))
  const { outcomes, requests } = await runGroups(client, groups)
  summary.bitrix24Requests += requests
  const found = new Map<string, RequisiteHit[]>()
  for (const outcome of outcomes) {
    const failed = Object.values(outcome.errors)[0]
    if (failed) {
      throw new Bitrix24Error({ kind: 'server', code: failed.code || 'REQUISITE_LOOKUP_FAILED', method: 'crm.requisite.list', description: failed.description, retryable: true })
    }
    const list = Object.values(outcome.results)[0]
    found.set(outcome.tag, Array.isArray(list) ? (list as RequisiteHit[]) : [])
  }
  return found
}

async function createCompanies(
  db: Database,
  memberId: string,
  client: Bitrix24Client,
  creations: Creation[],
  changes: Change[],
  summary: ReverseSyncSummary,
): Promise<void> {
  // Companies already in Bitrix24 with this INN (created before the app, or before bulk sync ran):
  // link to them instead of creating a duplicate.
  const existing = await findCompaniesByInn(client, creations.map((c) => c.inn), summary)
  const mappedCompanies = new Set(
    (await db.select({ companyId: counterparties.companyId }).from(counterparties).where(eq(counterparties.memberId, memberId)))
      .map((r) => r.companyId)
      .filter((id): id is number => id !== null),
  )
  const toCreate: (Creation & { row: Row })[] = []
  for (const cand of creations) {
    const hits = (existing.get(cand.inn) ?? []).filter((h) => !cand.kpp || !h.RQ_KPP || h.RQ_KPP === cand.kpp)
    const hit = hits.find((h) => !mappedCompanies.has(Number(h.ENTITY_ID)))
    const row = cand.row ?? (await reserveRow(db, memberId, cand))
    if (!row) {
      // Another process took this INN+KPP a moment ago: the next run links to it.
      continue
    }
    if (hit) {
      const companyId = Number(hit.ENTITY_ID)
      try {
        const [linked] = await db
          .update(counterparties)
          .set({ companyId, requisiteId: Number(hit.ID), moedeloId: cand.c.id })
          .where(eq(counterparties.id, row.id))
          .returning()
        mappedCompanies.add(companyId)
        changes.push({ ...cand, row: linked ?? row, link: true })
      } catch {
        summary.failed += 1
      }
      continue
    }
    toCreate.push({ ...cand, row })
  }
  if (toCreate.length === 0) return

  const presets: RequisitePresets = await resolveRequisitePresets(client)
  summary.bitrix24Requests += 1

  const groups: CommandGroup<Creation & { row: Row }>[] = toCreate.map((cand, i) => {
    const title = (cand.fields.shortName ?? cand.c.name).slice(0, 255)
    const type = companyType(cand.c.role)
    const commands: Record<string, BatchCommand> = {
      [`c${i}`]: [
        'crm.company.add',
        {
          fields: {
            TITLE: title,
            ...(type ? { COMPANY_TYPE: type } : {}),
            OPENED: 'Y',
            ORIGINATOR_ID: 'moedelo',
            ORIGIN_ID: String(cand.c.id),
            [UF.companyKontragentId]: String(cand.c.id),
          },
          params: { REGISTER_SONET_EVENT: 'N' },
        },
      ],
      [`r${i}`]: [
        'crm.requisite.add',
        {
          fields: {
            ENTITY_TYPE_ID: COMPANY_ENTITY_TYPE,
            ENTITY_ID: `$result[c${i}]`,
            PRESET_ID: presetFor(presets, cand.kind),
            NAME: requisiteName(cand.kind, cand.fields, cand.c),
            ...newRequisiteFields(cand, cand.fields),
          },
        },
      ],
    }
    if (cand.fields.legalAddress) {
      commands[`a${i}`] = [
        'crm.address.add',
        {
          fields: {
            TYPE_ID: LEGAL_ADDRESS_TYPE,
            ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE,
            ENTITY_ID: `$result[r${i}]`,
            ...legalAddressFields(cand.fields.legalAddress),
          },
        },
      ]
    }
    return { tag: cand, commands }
  })
  const { outcomes, requests } = await runGroups(client, groups)
  summary.bitrix24Requests += requests

  for (const { tag: cand, results, errors } of outcomes) {
    const companyKey = Object.keys(results).find((k) => k.startsWith('c'))
    const companyId = companyKey ? Number(results[companyKey]) : NaN
    if (!Number.isInteger(companyId) || companyId <= 0) {
      summary.failed += 1
      continue
    }
    const requisiteKey = Object.keys(results).find((k) => k.startsWith('r'))
    const requisiteId = requisiteKey ? Number(results[requisiteKey]) : NaN
    const complete = Object.keys(errors).length === 0 && Number.isInteger(requisiteId)
    const bound = await db
      .update(counterparties)
      .set({
        companyId,
        requisiteId: Number.isInteger(requisiteId) ? requisiteId : null,
        moedeloId: cand.c.id,
        kind: cand.kind,
        // Stored only when everything landed; otherwise the next run finishes the job.
        moedeloHash: complete ? cand.hash : PENDING_HASH,
        syncedAt: new Date(),
      })
      // A CRM company with this INN may have claimed the reserved row meanwhile (an event): keep it.
      .where(and(eq(counterparties.id, cand.row.id), isNull(counterparties.companyId)))
      .returning({ id: counterparties.id })
    if (bound.length === 0) {
      summary.failed += 1
      continue
    }
    await mergeFields(db, { memberId, counterpartyId: cand.row.id, source: 'moedelo', fields: cand.fields, companyId })
    if (complete) summary.created += 1
    else summary.failed += 1
  }
}

/** Inserts the (head-office) row for a new INN before the company exists; undefined when it is taken. */
async function reserveRow(db: Database, memberId: string, cand: Candidate): Promise<Row | undefined> {
  const [row] = await db
    .insert(counterparties)
    .values({ memberId, inn: cand.inn, kpp: '', kind: cand.kind, moedeloId: cand.c.id })
    .onConflictDoNothing()
    .returning()
  return row
}

// ---- changes -----------------------------------------------------------------------------------

async function applyChanges(
  db: Database,
  memberId: string,
  client: Bitrix24Client,
  changes: Change[],
  summary: ReverseSyncSummary,
): Promise<void> {
  interface Planned {
    change: Change
    /** Nothing to write in Bitrix24; only the row is updated. */
    quiet: boolean
  }
  // What each field was before this merge (and so what Bitrix24 holds): only differences are written.
  const prior = new Map<string, string | null>()
  const ids = changes.map((c) => c.row.id)
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .select({ counterpartyId: fieldProvenance.counterpartyId, field: fieldProvenance.field, value: fieldProvenance.value })
      .from(fieldProvenance)
      .where(and(eq(fieldProvenance.memberId, memberId), inArray(fieldProvenance.counterpartyId, ids.slice(i, i + 1000))))
    for (const r of rows) prior.set(`${r.counterpartyId}:${r.field}`, r.value)
  }

  const groups: CommandGroup<Planned>[] = []
  let presets: RequisitePresets | undefined
  for (const [i, change] of changes.entries()) {
    const merged = await mergeFields(db, { memberId, counterpartyId: change.row.id, source: 'moedelo', fields: change.fields })
    const accepted = merged.accepted
    const writeAll = change.row.moedeloHash === PENDING_HASH || change.row.requisiteId === null
    const toWrite: Partial<CounterpartyFields> = {}
    for (const [field, value] of Object.entries(accepted) as [keyof CounterpartyFields, string][]) {
      const before = prior.get(`${change.row.id}:${field}`)
      if (writeAll || before === undefined || before === null || !sameValue(before, value)) toWrite[field] = value
    }
    const commands: Record<string, BatchCommand> = {}
    const rq = requisiteFields(toWrite, change.kind)
    if (change.row.requisiteId !== null) {
      if (Object.keys(rq).length > 0) commands[`u${i}`] = ['crm.requisite.update', { id: change.row.requisiteId, fields: rq }]
      if (toWrite.legalAddress) Object.assign(commands, addressCommands(`x${i}`, change.row.requisiteId, toWrite.legalAddress))
    } else if (Object.keys(toWrite).length > 0) {
      presets ??= await resolveRequisitePresets(client)
      commands[`r${i}`] = [
        'crm.requisite.add',
        {
          fields: {
            ENTITY_TYPE_ID: COMPANY_ENTITY_TYPE,
            ENTITY_ID: change.row.companyId,
            PRESET_ID: presetFor(presets, change.kind),
            NAME: requisiteName(change.kind, change.fields, change.c),
            ...newRequisiteFields(change, toWrite),
          },
        },
      ]
      if (toWrite.legalAddress) {
        commands[`a${i}`] = [
          'crm.address.add',
          { fields: { TYPE_ID: LEGAL_ADDRESS_TYPE, ENTITY_TYPE_ID: REQUISITE_ENTITY_TYPE, ENTITY_ID: `$result[r${i}]`, ...legalAddressFields(toWrite.legalAddress) } },
        ]
      }
    }
    if (change.link) {
      commands[`k${i}`] = ['crm.company.update', { id: change.row.companyId, fields: { [UF.companyKontragentId]: String(change.c.id) } }]
    }
    groups.push({ tag: { change, quiet: Object.keys(commands).length === 0 }, commands })
  }
  if (presets) summary.bitrix24Requests += 1
  const { outcomes, requests } = await runGroups(client, groups)
  summary.bitrix24Requests += requests

  for (const { tag, results, errors } of outcomes) {
    const { change, quiet } = tag
    // The address pair: the add may fail because the address exists; the update decides.
    const failures = Object.keys(errors).filter((key) => !/aa$/.test(key))
    if (failures.length > 0) {
      summary.failed += 1
      await db
        .update(counterparties)
        .set({ moedeloHash: PENDING_HASH })
        .where(and(eq(counterparties.id, change.row.id), eq(counterparties.memberId, memberId)))
      continue
    }
    const requisiteKey = Object.keys(results).find((k) => /^r\d+$/.test(k))
    const requisiteId = requisiteKey ? Number(results[requisiteKey]) : change.row.requisiteId
    await db
      .update(counterparties)
      .set({ moedeloId: change.c.id, moedeloHash: change.hash, requisiteId: requisiteId ?? null, syncedAt: new Date() })
      .where(and(eq(counterparties.id, change.row.id), eq(counterparties.memberId, memberId)))
    if (change.link) summary.linked += 1
    else if (quiet) summary.unchangedAfterMerge += 1
    else summary.updated += 1
  }
}

// ---- run record and journal --------------------------------------------------------------------

interface RunDetails extends Record<string, unknown> {
  summary?: ReverseSyncSummary
  /** MoeDelo id → hash of the invalid records already journalled (journal again only when they change). */
  reportedInvalid?: Record<string, string>
}

function plural(n: number, one: string, few: string, many: string): string {
  const n10 = n % 10
  const n100 = n % 100
  if (n10 === 1 && n100 !== 11) return one
  if (n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14)) return few
  return many
}

async function finishRun(
  db: Database,
  memberId: string,
  summary: ReverseSyncSummary,
  invalid: { c: Counterparty; hash: string; problem: string }[],
): Promise<void> {
  const previous = await latestSyncRun(db, memberId, REVERSE_SYNC_KIND)
  const reported = ((previous?.details as RunDetails | null)?.reportedInvalid ?? {}) as Record<string, string>
  const nowReported: Record<string, string> = {}
  const fresh = invalid.filter((item) => reported[String(item.c.id)] !== item.hash)
  for (const item of invalid) nowReported[String(item.c.id)] = item.hash

  for (const item of fresh.slice(0, MAX_INVALID_ENTRIES)) {
    await writeJournal(db, {
      memberId,
      level: 'warning',
      topic: REVERSE_SYNC_TOPIC,
      entityType: 'moedelo_counterparty',
      entityId: item.c.id,
      message: `Контрагент «${item.c.name}» из «Моё дело» не перенесён в Битрикс24: ${item.problem}. Исправьте ИНН в карточке контрагента в «Моё дело» — при следующей синхронизации он появится в CRM.`,
      details: { moedeloId: item.c.id },
    })
  }
  if (fresh.length > MAX_INVALID_ENTRIES) {
    const rest = fresh.length - MAX_INVALID_ENTRIES
    await writeJournal(db, {
      memberId,
      level: 'warning',
      topic: REVERSE_SYNC_TOPIC,
      message: `Ещё ${rest} ${plural(rest, 'контрагент', 'контрагента', 'контрагентов')} из «Моё дело» не ${rest === 1 ? 'перенесён' : 'перенесены'} в Битрикс24 из-за ошибок в ИНН. Исправьте ИНН в «Моё дело».`,
      details: { moedeloIds: fresh.slice(MAX_INVALID_ENTRIES).map((i) => i.c.id).slice(0, 500) },
    })
  }

  if (summary.created + summary.updated + summary.linked + summary.failed > 0) {
    const parts = [`Из «Моё дело» добавлено компаний: ${summary.created}, обновлено: ${summary.updated}`]
    if (summary.linked > 0) parts.push(`связано с существующими компаниями: ${summary.linked}`)
    if (summary.failed > 0) parts.push(`не удалось обработать: ${summary.failed} (повторим при следующей синхронизации)`)
    await writeJournal(db, {
      memberId,
      level: summary.failed > 0 ? 'warning' : 'info',
      topic: REVERSE_SYNC_TOPIC,
      message: `${parts.join('; ')}.`,
      details: { ...summary },
    })
  }

  // One row per portal, rewritten each run: the last run's figures and what was already reported.
  const details: RunDetails = { summary, reportedInvalid: nowReported }
  const values = {
    status: 'done' as const,
    total: summary.scanned,
    done: summary.scanned - summary.failed,
    failed: summary.failed,
    details,
    startedAt: new Date(),
    finishedAt: new Date(),
  }
  if (previous) await db.update(syncRuns).set(values).where(eq(syncRuns.id, previous.id))
  else await db.insert(syncRuns).values({ memberId, kind: REVERSE_SYNC_KIND, ...values })
}

// ---- job and schedule --------------------------------------------------------------------------

export const reverseSyncPayload = z.object({
  memberId: z.string().min(1).max(100),
  /** Seconds until the next run; 0 = run once, do not re-schedule. */
  intervalSeconds: z.number().int().min(0).max(86_400).optional(),
})
export type ReverseSyncPayload = z.infer<typeof reverseSyncPayload>

const singletonKey = (memberId: string) => `reverse-counterparties:${memberId}`

/**
 * Queues the next run for a portal: at most one queued run per portal (a second call while one is
 * queued does nothing). Call it when MoeDelo is connected and at process start for every connected
 * portal; each run schedules the next one. `intervalSeconds` defaults to 600 (0 = one run only).
 */
export async function scheduleReverseSync(
  memberId: string,
  options: { intervalSeconds?: number; startAfterSeconds?: number } = {},
): Promise<string | null> {
  const intervalSeconds = options.intervalSeconds ?? DEFAULT_REVERSE_SYNC_INTERVAL_SECONDS
  return enqueue(
    reverseCounterpartySyncJob,
    { memberId, intervalSeconds },
    { singletonKey: singletonKey(memberId), ...(options.startAfterSeconds ? { startAfterSeconds: options.startAfterSeconds } : {}) },
  )
}

export const reverseCounterpartySyncJob = defineJob<ReverseSyncPayload>({
  name: 'counterparties.reverse-sync',
  payload: reverseSyncPayload,
  service: 'moedelo',
  topic: REVERSE_SYNC_TOPIC,
  dedupKey: (p) => p.memberId,
  handler: async (payload) => {
    const { db } = await getDatabase()
    const interval = payload.intervalSeconds ?? DEFAULT_REVERSE_SYNC_INTERVAL_SECONDS
    const next = () =>
      interval > 0
        ? enqueue(reverseCounterpartySyncJob, payload, { singletonKey: singletonKey(payload.memberId), startAfterSeconds: interval })
        : Promise.resolve(null)
    let summary: ReverseSyncSummary
    try {
      summary = await runReverseCounterpartySync(db, payload.memberId)
    } catch (error) {
      // An external failure is retried (and, if the service stays down, parked and replayed) by the
      // job layer; the run that finally succeeds schedules the next one. Anything else would end
      // the chain, so the next run is queued before the error goes up.
      if (!isRetryable(error)) await next()
      throw error
    }
    // A portal that is gone or has disconnected MoeDelo stops here; connecting MoeDelo again calls scheduleReverseSync.
    if (summary.status !== 'skipped') await next()
  },
})
