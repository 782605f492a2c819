/**
 * Deals, companies and contacts: field writes (incl. user fields and files), stage semantics,
 * and the two read formats (legacy upper-case strings, crm.item camelCase numbers).
 */
import {
  COMPANY_FIELDS,
  CONTACT_FIELDS,
  DEAL_FIELDS,
  MULTI_FIELDS,
  inputValue,
  itemValue,
  legacyValue,
  ufToCamel,
  type FieldDef,
} from '../fields'
import type { Portal } from '../portal'
import type { CrmRecord, MultiFieldValue, PortalState, UserFieldDef } from '../state'
import { asArray, isPlainObject, isTruthyFlag, isoMsk, isoMskDate, parseDate } from '../util'
import type { FieldRef, FieldResolver } from './query'

export type EntityName = 'deal' | 'company' | 'contact'

export interface EntityKind {
  name: EntityName
  entityTypeId: number
  ufEntity: 'CRM_DEAL' | 'CRM_COMPANY' | null
  fields: FieldDef[]
  eventPrefix: string
  multi: boolean
  store(state: PortalState): Map<number, CrmRecord>
}

export const KINDS: Record<EntityName, EntityKind> = {
  deal: {
    name: 'deal',
    entityTypeId: 2,
    ufEntity: 'CRM_DEAL',
    fields: DEAL_FIELDS,
    eventPrefix: 'ONCRMDEAL',
    multi: false,
    store: (s) => s.deals,
  },
  company: {
    name: 'company',
    entityTypeId: 4,
    ufEntity: 'CRM_COMPANY',
    fields: COMPANY_FIELDS,
    eventPrefix: 'ONCRMCOMPANY',
    multi: true,
    store: (s) => s.companies,
  },
  contact: {
    name: 'contact',
    entityTypeId: 3,
    ufEntity: null,
    fields: CONTACT_FIELDS,
    eventPrefix: 'ONCRMCONTACT',
    multi: true,
    store: (s) => s.contacts,
  },
}

export function kindByTypeId(entityTypeId: number): EntityKind | undefined {
  return Object.values(KINDS).find((k) => k.entityTypeId === entityTypeId)
}

const kindOfField = (def: FieldDef): FieldRef['kind'] =>
  def.type === 'int' || def.type === 'money' || def.type === 'double'
    ? 'number'
    : def.type === 'date' || def.type === 'datetime'
      ? 'date'
      : def.type === 'char'
        ? 'char'
        : def.type === 'intList'
          ? 'list'
          : 'string'

const kindOfUf = (uf: UserFieldDef): FieldRef['kind'] =>
  uf.MULTIPLE === 'Y'
    ? 'list'
    : ['integer', 'double', 'file', 'enumeration', 'employee'].includes(uf.USER_TYPE_ID)
      ? 'number'
      : uf.USER_TYPE_ID === 'date' || uf.USER_TYPE_ID === 'datetime'
        ? 'date'
        : 'string'

function ufDefs(portal: Portal, kind: EntityKind): UserFieldDef[] {
  return kind.ufEntity ? portal.state.userFieldsOf(kind.ufEntity) : []
}

export function legacyResolver(portal: Portal, kind: EntityKind): FieldResolver {
  return (name) => {
    const upper = name.toUpperCase()
    const def = kind.fields.find((d) => d.name === upper)
    if (def) return { key: def.name, kind: kindOfField(def) }
    if (kind.name === 'deal' && upper === 'CONTACT_IDS') return { key: 'CONTACT_IDS', kind: 'list' }
    const uf = ufDefs(portal, kind).find((u) => u.FIELD_NAME === upper)
    return uf ? { key: uf.FIELD_NAME, kind: kindOfUf(uf) } : undefined
  }
}

export function itemResolver(portal: Portal, kind: EntityKind, useOriginalUfNames: boolean): FieldResolver {
  return (name) => {
    const def = kind.fields.find((d) => d.camel.toLowerCase() === name.toLowerCase())
    if (def) return { key: def.name, kind: kindOfField(def) }
    if (kind.name === 'deal' && name === 'contactIds') return { key: 'CONTACT_IDS', kind: 'list' }
    const uf = ufDefs(portal, kind).find((u) =>
      useOriginalUfNames ? u.FIELD_NAME === name.toUpperCase() : ufToCamel(u.FIELD_NAME) === name || u.FIELD_NAME === name,
    )
    return uf ? { key: uf.FIELD_NAME, kind: kindOfUf(uf) } : undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Files

export function storeFile(state: PortalState, name: string, base64: string, now: Date): number {
  const id = state.nextId('file', 100)
  const lower = name.toLowerCase()
  const contentType = lower.endsWith('.pdf')
    ? 'application/pdf'
    : lower.endsWith('.png')
      ? 'image/png'
      : lower.endsWith('.jpg') || lower.endsWith('.jpeg')
        ? 'image/jpeg'
        : lower.endsWith('.txt')
          ? 'text/plain; charset=utf-8'
          : 'application/octet-stream'
  state.files.set(id, { id, name, content: Buffer.from(base64, 'base64'), contentType, createdAt: now })
  return id
}

/** `["name.pdf","<base64>"]` in any transport shape (array, PHP object with 0/1 keys). */
function fileTuple(value: unknown): [string, string] | undefined {
  const arr = asArray(value)
  if (arr.length >= 2 && typeof arr[0] === 'string' && typeof arr[1] === 'string') return [arr[0], arr[1]]
  return undefined
}

function fileValue(portal: Portal, value: unknown, existing: unknown): number | null | undefined {
  if (value === null || value === '' || value === false) return null
  if (isPlainObject(value)) {
    if (isTruthyFlag(value.del)) return null
    if (value.fileData !== undefined) {
      const tuple = fileTuple(value.fileData)
      return tuple ? storeFile(portal.state, tuple[0], tuple[1], portal.now()) : undefined
    }
    if (value.id !== undefined) return Number(value.id)
    const tuple = fileTuple(value)
    if (tuple) return storeFile(portal.state, tuple[0], tuple[1], portal.now())
    return undefined
  }
  const tuple = fileTuple(value)
  if (tuple) return storeFile(portal.state, tuple[0], tuple[1], portal.now())
  if (typeof value === 'number' || /^\d+$/.test(String(value))) return Number(value)
  return existing as number | undefined
}

function ufScalar(portal: Portal, uf: UserFieldDef, value: unknown, existing: unknown, _itemMode: boolean): unknown {
  switch (uf.USER_TYPE_ID) {
    case 'integer':
    case 'employee':
    case 'enumeration':
    case 'iblock_section':
    case 'iblock_element': {
      if (value === '' || value === null) return null
      const n = Number(value)
      return Number.isFinite(n) ? Math.trunc(n) : null
    }
    case 'double': {
      if (value === '' || value === null) return null
      const n = Number(String(value).replace(',', '.'))
      return Number.isFinite(n) ? n : null
    }
    case 'boolean':
      return isTruthyFlag(value)
    case 'date':
    case 'datetime':
      return parseDate(value)
    case 'file':
      return fileValue(portal, value, existing)
    default:
      return value === null ? null : String(value)
  }
}

function writeUf(portal: Portal, record: CrmRecord, uf: UserFieldDef, value: unknown, itemMode: boolean): void {
  const existing = record[uf.FIELD_NAME]
  if (uf.MULTIPLE === 'Y') {
    const list = value === null || value === '' ? [] : asArray(value)
    const out: unknown[] = []
    for (const v of list) {
      const converted = ufScalar(portal, uf, v, undefined, itemMode)
      if (converted !== null && converted !== undefined) out.push(converted)
    }
    record[uf.FIELD_NAME] = out
    return
  }
  const converted = ufScalar(portal, uf, value, existing, itemMode)
  if (converted !== undefined) record[uf.FIELD_NAME] = converted
}

function fileRef(portal: Portal, record: CrmRecord, kind: EntityKind, uf: UserFieldDef, fileId: number, itemMode: boolean) {
  const base = portal.ep.url
  if (itemMode) {
    const q = `entityTypeId=${kind.entityTypeId}&id=${record.ID}&fieldName=${uf.FIELD_NAME}&fileId=${fileId}`
    return {
      id: fileId,
      url: `${base}/bitrix/services/main/ajax.php?action=crm.controller.item.getFile&${q}`,
      urlMachine: `${base}/rest/crm.controller.item.getFile.json?${q}`,
    }
  }
  const q = `ownerId=${record.ID}&fieldName=${uf.FIELD_NAME}&fileId=${fileId}`
  return {
    id: fileId,
    showUrl: `/bitrix/components/bitrix/crm.${kind.name}.show/show_file.php?${q}`,
    downloadUrl: `/bitrix/components/bitrix/crm.${kind.name}.show/show_file.php?${q}&download=y`,
  }
}

function readUfScalar(portal: Portal, record: CrmRecord, kind: EntityKind, uf: UserFieldDef, v: unknown, itemMode: boolean) {
  if (v === null || v === undefined) return null
  switch (uf.USER_TYPE_ID) {
    case 'integer':
    case 'double':
    case 'employee':
    case 'enumeration':
      return itemMode ? Number(v) : String(v)
    case 'boolean':
      return itemMode ? (v ? 'Y' : 'N') : v ? '1' : '0'
    case 'date':
      return isoMskDate(v as Date)
    case 'datetime':
      return isoMsk(v as Date)
    case 'file':
      return fileRef(portal, record, kind, uf, Number(v), itemMode)
    default:
      return String(v)
  }
}

function readUf(portal: Portal, record: CrmRecord, kind: EntityKind, uf: UserFieldDef, itemMode: boolean): unknown {
  const v = record[uf.FIELD_NAME]
  if (uf.MULTIPLE === 'Y') {
    const list = Array.isArray(v) ? v : []
    return list.map((x) => readUfScalar(portal, record, kind, uf, x, itemMode))
  }
  if (uf.USER_TYPE_ID === 'boolean' && (v === null || v === undefined)) return itemMode ? 'N' : '0'
  return readUfScalar(portal, record, kind, uf, v, itemMode)
}

// ---------------------------------------------------------------------------------------------
// Multi fields (PHONE, EMAIL, WEB, IM)

function writeMulti(portal: Portal, kind: EntityKind, record: CrmRecord, name: string, value: unknown): void {
  const store = portal.state.multi(kind.name, record.ID)
  const current = store[name] ?? []
  for (const raw of asArray(value)) {
    if (!isPlainObject(raw)) continue
    if (raw.ID !== undefined) {
      const existing = current.find((m) => m.ID === Number(raw.ID))
      if (!existing) continue
      if (raw.VALUE === '' || isTruthyFlag(raw.DELETE)) current.splice(current.indexOf(existing), 1)
      else {
        if (raw.VALUE !== undefined) existing.VALUE = String(raw.VALUE)
        if (raw.VALUE_TYPE !== undefined) existing.VALUE_TYPE = String(raw.VALUE_TYPE)
      }
    } else if (raw.VALUE !== undefined && raw.VALUE !== '') {
      current.push({ ID: portal.state.nextId('multifield'), VALUE: String(raw.VALUE), VALUE_TYPE: String(raw.VALUE_TYPE ?? 'WORK') })
    }
  }
  store[name] = current
  if (name === 'PHONE') record.HAS_PHONE = current.length ? 'Y' : 'N'
  if (name === 'EMAIL') record.HAS_EMAIL = current.length ? 'Y' : 'N'
}

function readMulti(values: MultiFieldValue[], name: string) {
  return values.map((m) => ({ ID: String(m.ID), VALUE_TYPE: m.VALUE_TYPE, VALUE: m.VALUE, TYPE_ID: name }))
}

// ---------------------------------------------------------------------------------------------
// Writes

export interface WriteResult {
  changed: string[]
  stageChanged: boolean
  categoryChanged: boolean
}

export class FieldError extends Error {}

/**
 * Applies incoming fields. `names` maps incoming keys to stored field names (legacy: upper-case;
 * crm.item: camelCase + ufCrm… / original names). Unknown and read-only fields are ignored silently.
 */
export function applyFields(
  portal: Portal,
  kind: EntityKind,
  record: CrmRecord,
  fields: Record<string, unknown>,
  opts: { itemMode: boolean; useOriginalUfNames?: boolean; userId: number; isNew: boolean; allowCategoryChange: boolean },
): WriteResult {
  const before = { ...record }
  const ufs = ufDefs(portal, kind)
  for (const [rawKey, value] of Object.entries(fields)) {
    const def = opts.itemMode
      ? kind.fields.find((d) => d.camel.toLowerCase() === rawKey.toLowerCase())
      : kind.fields.find((d) => d.name === rawKey.toUpperCase())
    if (def) {
      if (def.readOnly) continue
      if (def.name === 'CATEGORY_ID' && !opts.isNew && !opts.allowCategoryChange) continue
      record[def.name] = inputValue(def.type, value)
      continue
    }
    if (kind.name === 'deal' && (rawKey === 'contactIds' || rawKey.toUpperCase() === 'CONTACT_IDS')) {
      record.CONTACT_IDS = inputValue('intList', value)
      continue
    }
    if (kind.multi && !opts.itemMode && (MULTI_FIELDS as readonly string[]).includes(rawKey.toUpperCase())) {
      writeMulti(portal, kind, record, rawKey.toUpperCase(), value)
      continue
    }
    if (kind.multi && opts.itemMode && rawKey === 'fm') continue
    const uf = ufs.find((u) =>
      opts.itemMode && !opts.useOriginalUfNames
        ? ufToCamel(u.FIELD_NAME) === rawKey || u.FIELD_NAME === rawKey
        : u.FIELD_NAME === rawKey.toUpperCase(),
    )
    if (uf) writeUf(portal, record, uf, value, opts.itemMode)
  }

  let stageChanged = false
  let categoryChanged = false
  if (kind.name === 'deal') {
    const result = normaliseDealStage(portal, record, before, opts.isNew)
    stageChanged = result.stageChanged
    categoryChanged = result.categoryChanged
    if (stageChanged) {
      record.MOVED_TIME = portal.now()
      record.MOVED_BY_ID = opts.userId
    }
    if (record.CONTACT_ID !== before.CONTACT_ID && record.CONTACT_ID) {
      const ids = new Set((record.CONTACT_IDS as number[] | undefined) ?? [])
      ids.add(record.CONTACT_ID as number)
      record.CONTACT_IDS = [...ids]
    }
  }
  const changed = Object.keys(record).filter((k) => JSON.stringify(record[k]) !== JSON.stringify(before[k]))
  return { changed, stageChanged, categoryChanged }
}

function normaliseDealStage(portal: Portal, record: CrmRecord, before: CrmRecord, isNew: boolean) {
  const state = portal.state
  let categoryId = Number(record.CATEGORY_ID ?? 0)
  let category = state.category(categoryId)
  const requestedStage = record.STAGE_ID as string | null | undefined
  if (isNew && requestedStage && before.CATEGORY_ID === undefined && record.CATEGORY_ID === undefined) {
    const found = state.stage(requestedStage)
    if (found) {
      category = found.category
      categoryId = found.category.id
    }
  }
  if (!category) throw new FieldError(`Category ${categoryId} not found`)
  record.CATEGORY_ID = categoryId
  const categoryChanged = !isNew && before.CATEGORY_ID !== categoryId
  let stage = category.stages.find((s) => s.STATUS_ID === requestedStage)
  if (!stage) {
    if (requestedStage && !(categoryChanged && requestedStage === before.STAGE_ID)) {
      throw new FieldError(`Stage "${requestedStage}" does not belong to pipeline ${categoryId}`)
    }
    stage = category.stages[0]!
  }
  record.STAGE_ID = stage.STATUS_ID
  record.STAGE_SEMANTIC_ID = stage.SEMANTICS ?? 'P'
  record.CLOSED = stage.SEMANTICS ? 'Y' : 'N'
  const stageChanged = isNew || before.STAGE_ID !== record.STAGE_ID
  if (stageChanged || categoryChanged) {
    state.stageHistory.push({
      ID: state.nextId('stagehistory'),
      TYPE_ID: isNew ? 1 : categoryChanged ? 3 : 2,
      OWNER_ID: record.ID,
      CREATED_TIME: portal.now(),
      CATEGORY_ID: categoryId,
      STAGE_SEMANTIC_ID: record.STAGE_SEMANTIC_ID as string,
      STAGE_ID: record.STAGE_ID as string,
    })
  }
  return { stageChanged: !isNew && stageChanged, categoryChanged }
}

/** Default values of a new record. */
export function newRecord(portal: Portal, kind: EntityKind, userId: number): CrmRecord {
  const id = portal.state.nextId(kind.name)
  const now = portal.now()
  const record = {} as CrmRecord
  for (const def of kind.fields) record[def.name] = null
  Object.assign(record, {
    ID: id,
    DATE_CREATE: now,
    DATE_MODIFY: now,
    CREATED_BY_ID: userId,
    MODIFY_BY_ID: userId,
    ASSIGNED_BY_ID: userId,
    OPENED: 'Y',
  })
  if (kind.name === 'deal') {
    Object.assign(record, {
      TITLE: `Сделка #${id}`,
      CATEGORY_ID: undefined,
      CURRENCY_ID: 'RUB',
      OPPORTUNITY: 0,
      TAX_VALUE: 0,
      IS_MANUAL_OPPORTUNITY: 'N',
      IS_NEW: 'Y',
      IS_RECURRING: 'N',
      IS_RETURN_CUSTOMER: 'N',
      IS_REPEATED_APPROACH: 'N',
      TYPE_ID: 'SALE',
      SOURCE_ID: 'CALL',
      PROBABILITY: null,
      BEGINDATE: now,
      CLOSEDATE: new Date(now.getTime() + 7 * 86_400_000),
      CLOSED: 'N',
      CONTACT_IDS: [],
      MOVED_BY_ID: userId,
      MOVED_TIME: now,
    })
  }
  if (kind.name === 'company') {
    Object.assign(record, {
      TITLE: `Компания #${id}`,
      COMPANY_TYPE: 'CUSTOMER',
      CURRENCY_ID: 'RUB',
      REVENUE: 0,
      HAS_PHONE: 'N',
      HAS_EMAIL: 'N',
      HAS_IMOL: 'N',
      IS_MY_COMPANY: 'N',
    })
  }
  if (kind.name === 'contact') {
    Object.assign(record, { HAS_PHONE: 'N', HAS_EMAIL: 'N', TYPE_ID: 'CLIENT' })
  }
  for (const uf of ufDefs(portal, kind)) record[uf.FIELD_NAME] = uf.MULTIPLE === 'Y' ? [] : defaultUfValue(uf)
  return record
}

export function defaultUfValue(uf: UserFieldDef): unknown {
  const dv = uf.SETTINGS.DEFAULT_VALUE
  if (uf.USER_TYPE_ID === 'boolean') return isTruthyFlag(dv ?? 0)
  if (uf.USER_TYPE_ID === 'enumeration') return uf.LIST.find((e) => e.DEF === 'Y')?.ID ?? null
  if (dv === undefined || dv === null || dv === '' || isPlainObject(dv)) return null
  return uf.USER_TYPE_ID === 'integer' || uf.USER_TYPE_ID === 'double' ? Number(dv) : String(dv)
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Legacy read. `select` undefined = `get` (every field incl. multiple UFs and communications). */
export function toLegacy(portal: Portal, kind: EntityKind, record: CrmRecord, select?: string[]): Record<string, unknown> {
  const ufs = ufDefs(portal, kind)
  const out: Record<string, unknown> = {}
  const all = select === undefined
  const sel = (select ?? []).map((s) => s.toUpperCase())
  const effective = all || sel.length === 0 ? ['*', 'UF_*'] : sel
  const star = all || effective.includes('*')
  if (!all && !effective.includes('ID')) effective.unshift('ID')
  for (const def of kind.fields) {
    if (star || effective.includes(def.name)) out[def.name] = legacyValue(def.type, record[def.name])
  }
  for (const uf of ufs) {
    const wanted = all || effective.includes(uf.FIELD_NAME) || (effective.includes('UF_*') && uf.MULTIPLE === 'N')
    if (wanted) out[uf.FIELD_NAME] = readUf(portal, record, kind, uf, false)
  }
  if (kind.multi) {
    const multi = portal.state.multi(kind.name, record.ID)
    for (const name of MULTI_FIELDS) {
      const values = multi[name] ?? []
      if ((all && values.length) || effective.includes(name)) out[name] = readMulti(values, name)
    }
  }
  return out
}

export function toItem(
  portal: Portal,
  kind: EntityKind,
  record: CrmRecord,
  select: string[] = ['*'],
  useOriginalUfNames = false,
): Record<string, unknown> {
  const ufs = ufDefs(portal, kind)
  const star = select.length === 0 || select.includes('*')
  const out: Record<string, unknown> = {}
  for (const def of kind.fields) {
    if (star || select.includes(def.camel) || def.camel === 'id') out[def.camel] = itemValue(def.type, record[def.name])
  }
  if (kind.name === 'deal' && (star || select.includes('contactIds'))) {
    out.contactIds = ((record.CONTACT_IDS as number[] | undefined) ?? []).map(Number)
  }
  for (const uf of ufs) {
    const key = useOriginalUfNames ? uf.FIELD_NAME : ufToCamel(uf.FIELD_NAME)
    if (star || select.includes(key) || select.includes('uf_*') || select.includes('UF_*')) {
      out[key] = readUf(portal, record, kind, uf, true)
    }
  }
  out.entityTypeId = kind.entityTypeId
  return out
}

/** Human-readable value for the emulated UI. */
export function displayValue(portal: Portal, kind: EntityKind, record: CrmRecord, name: string): string {
  const uf = ufDefs(portal, kind).find((u) => u.FIELD_NAME === name)
  const v = record[name]
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return ''
  if (uf?.USER_TYPE_ID === 'file') {
    const ids = Array.isArray(v) ? v : [v]
    return ids.map((id) => portal.state.files.get(Number(id))?.name ?? `file #${String(id)}`).join(', ')
  }
  if (uf?.USER_TYPE_ID === 'enumeration') {
    const ids = Array.isArray(v) ? v : [v]
    return ids.map((id) => uf.LIST.find((e) => e.ID === Number(id))?.VALUE ?? String(id)).join(', ')
  }
  if (v instanceof Date) {
    const isDate = kind.fields.find((d) => d.name === name)?.type === 'date' || uf?.USER_TYPE_ID === 'date'
    return isDate ? isoMskDate(v)!.slice(0, 10) : isoMsk(v)!.replace('T', ' ').slice(0, 16)
  }
  if (typeof v === 'boolean') return v ? 'да' : 'нет'
  if (Array.isArray(v)) return v.map((x) => (x instanceof Date ? isoMskDate(x)!.slice(0, 10) : String(x))).join(', ')
  return String(v)
}
