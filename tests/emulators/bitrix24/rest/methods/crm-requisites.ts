/** Requisites, presets, addresses, bank details and requisite links (spec §4.5). */
import type { CallContext, MethodDef } from '../../portal'
import type { Address, BankDetail, CrmRecord, Requisite } from '../../state'
import { isoMsk, pick } from '../../util'
import { legacyError } from '../errors'
import { legacyFields, legacyId } from '../params'
import { matchFilter, paginate, selectList, sortRecords, type FieldResolver } from '../query'

const NUMERIC = new Set(['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID', 'SORT', 'CREATED_BY_ID', 'MODIFY_BY_ID', 'COUNTRY_ID', 'TYPE_ID'])
const DATES = new Set(['DATE_CREATE', 'DATE_MODIFY'])

const resolver: FieldResolver = (name) => {
  const key = name.toUpperCase()
  return { key, kind: NUMERIC.has(key) ? 'number' : DATES.has(key) ? 'date' : 'string' }
}

/** Legacy serialisation of a flat record: ids as strings, dates ISO. */
function legacyFlat(record: Record<string, unknown>, select: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const all = select.length === 0 || select.includes('*')
  for (const [key, value] of Object.entries(record)) {
    if (!all && !select.map((s) => s.toUpperCase()).includes(key) && key !== 'ID') continue
    out[key] = value instanceof Date ? isoMsk(value) : value === null || value === undefined ? null : String(value)
  }
  return out
}

function list<T extends Record<string, unknown>>(ctx: CallContext, rows: T[]) {
  const filtered = rows.filter((r) => matchFilter(r, pick(ctx.params, 'filter'), resolver))
  const page = paginate(sortRecords(filtered, pick(ctx.params, 'order'), resolver), pick(ctx.params, 'start'))
  const select = selectList(pick(ctx.params, 'select'))
  return { result: page.rows.map((r) => legacyFlat(r, select)), total: page.total, next: page.next }
}

function ownerExists(ctx: CallContext, entityTypeId: number, entityId: number): boolean {
  if (entityTypeId === 4) return ctx.portal.state.companies.has(entityId)
  if (entityTypeId === 3) return ctx.portal.state.contacts.has(entityId)
  return false
}

function assignFields(target: Record<string, unknown>, fields: Record<string, unknown>, skip: string[]): void {
  for (const [rawKey, value] of Object.entries(fields)) {
    const key = rawKey.toUpperCase()
    if (skip.includes(key)) continue
    target[key] = NUMERIC.has(key) ? Number(value) : value === null ? null : String(value)
  }
}

export function addRequisite(ctx: CallContext, fields: Record<string, unknown>): Requisite {
  const state = ctx.portal.state
  const entityTypeId = Number(pick(fields, 'ENTITY_TYPE_ID'))
  if (![3, 4].includes(entityTypeId)) throw legacyError('ENTITY_TYPE_ID is not defined or invalid.')
  const entityId = Number(pick(fields, 'ENTITY_ID'))
  if (!entityId || !ownerExists(ctx, entityTypeId, entityId)) throw legacyError('ENTITY_ID is not defined or invalid.')
  const presetId = Number(pick(fields, 'PRESET_ID'))
  if (!state.presets.some((p) => p.ID === presetId)) throw legacyError('PRESET_ID is not defined or invalid.')
  if (!pick(fields, 'NAME')) throw legacyError("The 'NAME' field is required.")
  const now = ctx.portal.now()
  const requisite: Requisite = {
    ID: state.nextId('requisite'),
    ENTITY_TYPE_ID: entityTypeId,
    ENTITY_ID: entityId,
    PRESET_ID: presetId,
    DATE_CREATE: now,
    DATE_MODIFY: now,
    CREATED_BY_ID: ctx.userId,
    MODIFY_BY_ID: ctx.userId,
    NAME: null,
    CODE: null,
    XML_ID: null,
    ORIGINATOR_ID: null,
    ACTIVE: 'Y',
    ADDRESS_ONLY: 'N',
    SORT: 500,
    RQ_COMPANY_NAME: null,
    RQ_COMPANY_FULL_NAME: null,
    RQ_INN: null,
    RQ_KPP: null,
    RQ_OGRN: null,
    RQ_OGRNIP: null,
  }
  assignFields(requisite, fields, ['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID', 'DATE_CREATE', 'DATE_MODIFY'])
  state.requisites.set(requisite.ID, requisite)
  return requisite
}

export function addAddress(ctx: CallContext, fields: Record<string, unknown>): Address {
  const typeId = Number(pick(fields, 'TYPE_ID'))
  const entityTypeId = Number(pick(fields, 'ENTITY_TYPE_ID'))
  const entityId = Number(pick(fields, 'ENTITY_ID'))
  if (![1, 4, 6, 8, 9, 11].includes(typeId)) throw legacyError('TYPE_ID is not defined or invalid.')
  if (entityTypeId !== 8 || !ctx.portal.state.requisites.has(entityId)) {
    throw legacyError('ENTITY_ID is not defined or invalid.')
  }
  const state = ctx.portal.state
  if (state.addresses.some((a) => a.TYPE_ID === typeId && a.ENTITY_TYPE_ID === entityTypeId && a.ENTITY_ID === entityId)) {
    throw legacyError('Address with the same type already exists.')
  }
  const address: Address = {
    TYPE_ID: typeId,
    ENTITY_TYPE_ID: entityTypeId,
    ENTITY_ID: entityId,
    ADDRESS_1: null,
    ADDRESS_2: null,
    CITY: null,
    POSTAL_CODE: null,
    REGION: null,
    PROVINCE: null,
    COUNTRY: null,
    COUNTRY_CODE: null,
    LOC_ADDR_ID: null,
  }
  assignFields(address as unknown as Record<string, unknown>, fields, ['TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID'])
  state.addresses.push(address)
  return address
}

function requisiteOr404(ctx: CallContext): Requisite {
  const r = ctx.portal.state.requisites.get(legacyId(ctx))
  if (!r) throw legacyError('Not found')
  return r
}

function findAddress(ctx: CallContext, fields: Record<string, unknown>): Address {
  const a = ctx.portal.state.addresses.find(
    (x) =>
      x.TYPE_ID === Number(pick(fields, 'TYPE_ID')) &&
      x.ENTITY_TYPE_ID === Number(pick(fields, 'ENTITY_TYPE_ID')) &&
      x.ENTITY_ID === Number(pick(fields, 'ENTITY_ID')),
  )
  if (!a) throw legacyError('Not found')
  return a
}

export const requisiteMethods: Record<string, MethodDef> = {
  'crm.requisite.preset.list': {
    scope: 'crm',
    handler: (ctx) => list(ctx, ctx.portal.state.presets as unknown as Record<string, unknown>[]),
  },
  'crm.requisite.add': {
    scope: 'crm',
    handler: (ctx) => {
      const requisite = addRequisite(ctx, legacyFields(ctx))
      ctx.portal.fire('ONCRMREQUISITEADD', { FIELDS: { ID: requisite.ID } }, ctx.userId)
      return { result: requisite.ID }
    },
  },
  'crm.requisite.get': {
    scope: 'crm',
    handler: (ctx) => ({ result: legacyFlat(requisiteOr404(ctx)) }),
  },
  'crm.requisite.list': {
    scope: 'crm',
    handler: (ctx) => list(ctx, [...ctx.portal.state.requisites.values()]),
  },
  'crm.requisite.update': {
    scope: 'crm',
    handler: (ctx) => {
      const requisite = requisiteOr404(ctx)
      assignFields(requisite, legacyFields(ctx), ['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'DATE_CREATE', 'DATE_MODIFY'])
      requisite.DATE_MODIFY = ctx.portal.now()
      requisite.MODIFY_BY_ID = ctx.userId
      ctx.portal.fire('ONCRMREQUISITEUPDATE', { FIELDS: { ID: requisite.ID } }, ctx.userId)
      return { result: true }
    },
  },
  'crm.requisite.delete': {
    scope: 'crm',
    handler: (ctx) => {
      const requisite = requisiteOr404(ctx)
      ctx.portal.state.requisites.delete(requisite.ID)
      ctx.portal.fire('ONCRMREQUISITEDELETE', { FIELDS: { ID: requisite.ID } }, ctx.userId)
      return { result: true }
    },
  },
  'crm.address.add': {
    scope: 'crm',
    handler: (ctx) => {
      addAddress(ctx, legacyFields(ctx))
      return { result: true }
    },
  },
  'crm.address.list': {
    scope: 'crm',
    handler: (ctx) => list(ctx, ctx.portal.state.addresses as unknown as Record<string, unknown>[]),
  },
  'crm.address.update': {
    scope: 'crm',
    handler: (ctx) => {
      const fields = legacyFields(ctx)
      const address = findAddress(ctx, fields)
      assignFields(address as unknown as Record<string, unknown>, fields, ['TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID'])
      return { result: true }
    },
  },
  'crm.address.delete': {
    scope: 'crm',
    handler: (ctx) => {
      const address = findAddress(ctx, legacyFields(ctx))
      ctx.portal.state.addresses = ctx.portal.state.addresses.filter((a) => a !== address)
      return { result: true }
    },
  },
  'crm.requisite.bankdetail.add': {
    scope: 'crm',
    handler: (ctx) => {
      const fields = legacyFields(ctx)
      const entityId = Number(pick(fields, 'ENTITY_ID'))
      if (!ctx.portal.state.requisites.has(entityId)) throw legacyError('ENTITY_ID is not defined or invalid.')
      if (!pick(fields, 'NAME')) throw legacyError("The 'NAME' field is required.")
      const now = ctx.portal.now()
      const detail: BankDetail = {
        ID: ctx.portal.state.nextId('bankdetail'),
        ENTITY_ID: entityId,
        COUNTRY_ID: 1,
        DATE_CREATE: now,
        DATE_MODIFY: now,
        CREATED_BY_ID: ctx.userId,
        MODIFY_BY_ID: ctx.userId,
        ACTIVE: 'Y',
        SORT: 500,
      }
      assignFields(detail, fields, ['ID', 'ENTITY_ID', 'DATE_CREATE', 'DATE_MODIFY'])
      ctx.portal.state.bankDetails.set(detail.ID, detail)
      return { result: detail.ID }
    },
  },
  'crm.requisite.bankdetail.get': {
    scope: 'crm',
    handler: (ctx) => {
      const detail = ctx.portal.state.bankDetails.get(legacyId(ctx))
      if (!detail) throw legacyError('Not found')
      return { result: legacyFlat(detail) }
    },
  },
  'crm.requisite.bankdetail.list': {
    scope: 'crm',
    handler: (ctx) => list(ctx, [...ctx.portal.state.bankDetails.values()]),
  },
  'crm.requisite.bankdetail.update': {
    scope: 'crm',
    handler: (ctx) => {
      const detail = ctx.portal.state.bankDetails.get(legacyId(ctx)) as CrmRecord | undefined
      if (!detail) throw legacyError('Not found')
      assignFields(detail, legacyFields(ctx), ['ID', 'ENTITY_ID', 'DATE_CREATE', 'DATE_MODIFY'])
      detail.DATE_MODIFY = ctx.portal.now()
      return { result: true }
    },
  },
  'crm.requisite.link.register': {
    scope: 'crm',
    handler: (ctx) => {
      const fields = legacyFields(ctx)
      const num = (k: string) => Number(pick(fields, k) ?? 0)
      const entityTypeId = num('ENTITY_TYPE_ID')
      const entityId = num('ENTITY_ID')
      if (![2, 7, 5, 31].includes(entityTypeId)) throw legacyError('ENTITY_TYPE_ID is not defined or invalid.')
      if (!entityId) throw legacyError('ENTITY_ID is not defined or invalid.')
      const state = ctx.portal.state
      state.requisiteLinks = state.requisiteLinks.filter((l) => !(l.ENTITY_TYPE_ID === entityTypeId && l.ENTITY_ID === entityId))
      state.requisiteLinks.push({
        ENTITY_TYPE_ID: entityTypeId,
        ENTITY_ID: entityId,
        REQUISITE_ID: num('REQUISITE_ID'),
        BANK_DETAIL_ID: num('BANK_DETAIL_ID'),
        MC_REQUISITE_ID: num('MC_REQUISITE_ID'),
        MC_BANK_DETAIL_ID: num('MC_BANK_DETAIL_ID'),
      })
      return { result: true }
    },
  },
  'crm.requisite.link.get': {
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = Number(pick(ctx.params, 'entityTypeId'))
      const entityId = Number(pick(ctx.params, 'entityId'))
      const link = ctx.portal.state.requisiteLinks.find((l) => l.ENTITY_TYPE_ID === entityTypeId && l.ENTITY_ID === entityId)
      if (!link) throw legacyError('Not found')
      return { result: legacyFlat(link as unknown as Record<string, unknown>) }
    },
  },
}
