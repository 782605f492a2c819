/** crm.deal.*, crm.company.*, crm.contact.* (legacy) and crm.item.* for deals/companies/contacts. */
import type { CallContext, MethodDef } from '../../portal'
import type { CrmRecord } from '../../state'
import { isPlainObject, isTruthyFlag, pick } from '../../util'
import {
  applyFields,
  FieldError,
  itemResolver,
  KINDS,
  kindByTypeId,
  legacyResolver,
  newRecord,
  toItem,
  toLegacy,
  type EntityKind,
} from '../entities'
import { legacyError, notFoundItem, RestError } from '../errors'
import { legacyFields, legacyId, required } from '../params'
import { matchFilter, paginate, selectList, sortRecords } from '../query'
import { recalcDealFromRows } from './crm-productrows'

function touch(ctx: CallContext, record: CrmRecord): void {
  record.DATE_MODIFY = ctx.portal.now()
  record.MODIFY_BY_ID = ctx.userId
}

function fireChange(ctx: CallContext, kind: EntityKind, suffix: 'ADD' | 'UPDATE' | 'DELETE', id: number): void {
  ctx.portal.fire(`${kind.eventPrefix}${suffix}`, { FIELDS: { ID: id } }, ctx.userId)
}

function withFieldErrors<T>(fn: () => T, itemMode: boolean): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof FieldError) {
      throw itemMode ? new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', error.message) : legacyError(error.message)
    }
    throw error
  }
}

function legacyMethods(kind: EntityKind): Record<string, MethodDef> {
  const p = `crm.${kind.name}`
  const get = (ctx: CallContext): CrmRecord => {
    const id = legacyId(ctx)
    const record = kind.store(ctx.portal.state).get(id)
    if (!record) throw legacyError('Not found')
    return record
  }
  return {
    [`${p}.get`]: { scope: 'crm', handler: (ctx) => ({ result: toLegacy(ctx.portal, kind, get(ctx)) }) },
    [`${p}.list`]: {
      scope: 'crm',
      handler: (ctx) => {
        const resolve = legacyResolver(ctx.portal, kind)
        const rows = [...kind.store(ctx.portal.state).values()].filter((r) =>
          matchFilter(r, pick(ctx.params, 'filter'), resolve),
        )
        const sorted = sortRecords(rows, pick(ctx.params, 'order'), resolve)
        const page = paginate(sorted, pick(ctx.params, 'start'))
        const select = selectList(pick(ctx.params, 'select'))
        return { result: page.rows.map((r) => toLegacy(ctx.portal, kind, r, select)), total: page.total, next: page.next }
      },
    },
    [`${p}.add`]: {
      scope: 'crm',
      handler: (ctx) => {
        const fields = legacyFields(ctx)
        const record = newRecord(ctx.portal, kind, ctx.userId)
        withFieldErrors(
          () =>
            applyFields(ctx.portal, kind, record, fields, {
              itemMode: false,
              userId: ctx.userId,
              isNew: true,
              allowCategoryChange: true,
            }),
          false,
        )
        kind.store(ctx.portal.state).set(record.ID, record)
        fireChange(ctx, kind, 'ADD', record.ID)
        return { result: record.ID }
      },
    },
    [`${p}.update`]: {
      scope: 'crm',
      handler: (ctx) => {
        const record = get(ctx)
        const fields = legacyFields(ctx)
        const draft = { ...record }
        withFieldErrors(
          () =>
            applyFields(ctx.portal, kind, draft, fields, {
              itemMode: false,
              userId: ctx.userId,
              isNew: false,
              allowCategoryChange: false,
            }),
          false,
        )
        Object.assign(record, draft)
        if (kind.name === 'deal') record.IS_NEW = 'N'
        touch(ctx, record)
        fireChange(ctx, kind, 'UPDATE', record.ID)
        return { result: true }
      },
    },
    [`${p}.delete`]: {
      scope: 'crm',
      handler: (ctx) => {
        const record = get(ctx)
        kind.store(ctx.portal.state).delete(record.ID)
        fireChange(ctx, kind, 'DELETE', record.ID)
        return { result: true }
      },
    },
  }
}

function itemKind(ctx: CallContext): EntityKind {
  const entityTypeId = Number(required(ctx, 'entityTypeId'))
  if (entityTypeId === 5) {
    throw new RestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', 'Entity type 5 is not supported by crm.item')
  }
  const kind = kindByTypeId(entityTypeId)
  if (!kind) throw new RestError(400, 'NOT_FOUND', 'Смарт-процесс не найден')
  return kind
}

function itemRecord(ctx: CallContext, kind: EntityKind): CrmRecord {
  const id = Number(required(ctx, 'id'))
  const record = kind.store(ctx.portal.state).get(id)
  if (!record) throw notFoundItem()
  return record
}

const originalNames = (ctx: CallContext) => isTruthyFlag(pick(ctx.params, 'useOriginalUfNames') ?? 'N')

function itemFields(ctx: CallContext): Record<string, unknown> {
  const fields = pick(ctx.params, 'fields')
  if (!isPlainObject(fields)) throw new RestError(400, '100', 'Could not find value for parameter {fields}')
  return fields
}

const itemMethods: Record<string, MethodDef> = {
  'crm.item.get': {
    scope: 'crm',
    handler: (ctx) => {
      const kind = itemKind(ctx)
      return { result: { item: toItem(ctx.portal, kind, itemRecord(ctx, kind), ['*'], originalNames(ctx)) } }
    },
  },
  'crm.item.list': {
    scope: 'crm',
    handler: (ctx) => {
      const kind = itemKind(ctx)
      const resolve = itemResolver(ctx.portal, kind, originalNames(ctx))
      const rows = [...kind.store(ctx.portal.state).values()].filter((r) =>
        matchFilter(r, pick(ctx.params, 'filter'), resolve),
      )
      const sorted = sortRecords(rows, pick(ctx.params, 'order'), resolve)
      const page = paginate(sorted, pick(ctx.params, 'start'))
      const select = selectList(pick(ctx.params, 'select'))
      return {
        result: { items: page.rows.map((r) => toItem(ctx.portal, kind, r, select, originalNames(ctx))) },
        total: page.total,
        next: page.next,
      }
    },
  },
  'crm.item.add': {
    scope: 'crm',
    handler: (ctx) => {
      const kind = itemKind(ctx)
      const fields = itemFields(ctx)
      const record = newRecord(ctx.portal, kind, ctx.userId)
      withFieldErrors(
        () =>
          applyFields(ctx.portal, kind, record, fields, {
            itemMode: true,
            useOriginalUfNames: originalNames(ctx),
            userId: ctx.userId,
            isNew: true,
            allowCategoryChange: true,
          }),
        true,
      )
      kind.store(ctx.portal.state).set(record.ID, record)
      fireChange(ctx, kind, 'ADD', record.ID)
      return { result: { item: toItem(ctx.portal, kind, record, ['*'], originalNames(ctx)) } }
    },
  },
  'crm.item.update': {
    scope: 'crm',
    handler: (ctx) => {
      const kind = itemKind(ctx)
      const record = itemRecord(ctx, kind)
      const fields = itemFields(ctx)
      const draft = { ...record }
      const result = withFieldErrors(
        () =>
          applyFields(ctx.portal, kind, draft, fields, {
            itemMode: true,
            useOriginalUfNames: originalNames(ctx),
            userId: ctx.userId,
            isNew: false,
            allowCategoryChange: true,
          }),
        true,
      )
      // crm.item.update skips saving (and events) when nothing changed.
      if (result.changed.length > 0) {
        Object.assign(record, draft)
        touch(ctx, record)
        if (kind.name === 'deal') record.IS_NEW = 'N'
        if (result.categoryChanged) {
          ctx.portal.fire(
            'ONCRMDEALMOVETOCATEGORY',
            { FIELDS: { ID: record.ID, CATEGORY_ID: record.CATEGORY_ID, STAGE_ID: record.STAGE_ID } },
            ctx.userId,
          )
        }
        fireChange(ctx, kind, 'UPDATE', record.ID)
      }
      return { result: { item: toItem(ctx.portal, kind, record, ['*'], originalNames(ctx)) } }
    },
  },
  'crm.item.delete': {
    scope: 'crm',
    handler: (ctx) => {
      const kind = itemKind(ctx)
      const record = itemRecord(ctx, kind)
      kind.store(ctx.portal.state).delete(record.ID)
      fireChange(ctx, kind, 'DELETE', record.ID)
      return { result: [] }
    },
  },
}

export const crmEntityMethods: Record<string, MethodDef> = {
  ...legacyMethods(KINDS.deal),
  ...legacyMethods(KINDS.company),
  ...legacyMethods(KINDS.contact),
  ...itemMethods,
}

/** Used by the UI simulation: a user edits a record in the card. */
export function uiUpdate(
  ctx: CallContext,
  kind: EntityKind,
  id: number,
  fields: Record<string, unknown>,
): CrmRecord {
  const record = kind.store(ctx.portal.state).get(id)
  if (!record) throw legacyError('Not found')
  const draft = { ...record }
  withFieldErrors(
    () =>
      applyFields(ctx.portal, kind, draft, fields, {
        itemMode: false,
        userId: ctx.userId,
        isNew: false,
        allowCategoryChange: true,
      }),
    false,
  )
  Object.assign(record, draft)
  touch(ctx, record)
  if (kind.name === 'deal') recalcDealFromRows(ctx.portal.state, record)
  fireChange(ctx, kind, 'UPDATE', record.ID)
  return record
}
