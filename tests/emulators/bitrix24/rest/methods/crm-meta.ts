/** Pipelines, stages, reference lists, field descriptions and stage history (spec §4.3, §2.6). */
import type { FieldDef } from '../../fields'
import { ufToCamel } from '../../fields'
import type { CallContext, MethodDef } from '../../portal'
import type { UserFieldDef } from '../../state'
import { isPlainObject, isoMsk, pick } from '../../util'
import { KINDS, type EntityKind } from '../entities'
import { RestError } from '../errors'
import { matchFilter, paginate, sortRecords } from '../query'

const STATIC_STATUSES: Record<string, [string, string][]> = {
  SOURCE: [
    ['CALL', 'Звонок'],
    ['EMAIL', 'Электронная почта'],
    ['WEB', 'Веб-сайт'],
    ['ADVERTISING', 'Реклама'],
    ['PARTNER', 'Существующий клиент'],
    ['OTHER', 'Другое'],
  ],
  DEAL_TYPE: [
    ['SALE', 'Продажа'],
    ['COMPLEX', 'Комплексная продажа'],
    ['GOODS', 'Продажа товара'],
    ['SERVICES', 'Продажа услуги'],
    ['SERVICE', 'Сервисное обслуживание'],
  ],
  COMPANY_TYPE: [
    ['CUSTOMER', 'Клиент'],
    ['SUPPLIER', 'Поставщик'],
    ['COMPETITOR', 'Конкурент'],
    ['PARTNER', 'Партнер'],
    ['OTHER', 'Другое'],
  ],
}

function statusRows(ctx: CallContext): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  let id = 1
  for (const category of ctx.portal.state.categories) {
    const entityId = category.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${category.id}`
    for (const stage of category.stages) {
      const semantics = stage.SEMANTICS === 'S' ? 'success' : stage.SEMANTICS === 'F' ? 'failure' : 'process'
      rows.push({
        ID: String(id++),
        ENTITY_ID: entityId,
        STATUS_ID: stage.STATUS_ID,
        NAME: stage.NAME,
        NAME_INIT: stage.NAME,
        SORT: String(stage.SORT),
        SYSTEM: stage.SEMANTICS || stage.SORT === 10 ? 'Y' : 'N',
        CATEGORY_ID: String(category.id),
        COLOR: stage.COLOR,
        SEMANTICS: stage.SEMANTICS,
        EXTRA: { SEMANTICS: semantics, COLOR: stage.COLOR },
      })
    }
  }
  for (const [entityId, list] of Object.entries(STATIC_STATUSES)) {
    list.forEach(([statusId, name], i) =>
      rows.push({
        ID: String(id++),
        ENTITY_ID: entityId,
        STATUS_ID: statusId,
        NAME: name,
        NAME_INIT: name,
        SORT: String((i + 1) * 10),
        SYSTEM: 'Y',
        CATEGORY_ID: null,
        COLOR: null,
        SEMANTICS: null,
      }),
    )
  }
  return rows
}

const statusResolver = (name: string) => {
  const key = name.toUpperCase()
  if (key === 'ID' || key === 'SORT') return { key, kind: 'number' as const }
  return ['ENTITY_ID', 'STATUS_ID', 'NAME', 'CATEGORY_ID', 'SEMANTICS', 'SYSTEM'].includes(key)
    ? { key, kind: 'string' as const }
    : undefined
}

const FIELD_TYPE_NAMES: Record<string, string> = {
  int: 'integer',
  money: 'double',
  double: 'double',
  string: 'string',
  char: 'char',
  date: 'date',
  datetime: 'datetime',
  intList: 'integer',
}

const SPECIAL_TYPES: Record<string, Record<string, unknown>> = {
  STAGE_ID: { type: 'crm_status', statusType: 'DEAL_STAGE' },
  TYPE_ID: { type: 'crm_status', statusType: 'DEAL_TYPE' },
  COMPANY_TYPE: { type: 'crm_status', statusType: 'COMPANY_TYPE' },
  SOURCE_ID: { type: 'crm_status', statusType: 'SOURCE' },
  CURRENCY_ID: { type: 'crm_currency' },
  COMPANY_ID: { type: 'crm_company' },
  CONTACT_ID: { type: 'crm_contact' },
  CATEGORY_ID: { type: 'crm_category' },
  ASSIGNED_BY_ID: { type: 'user' },
  CREATED_BY_ID: { type: 'user' },
  MODIFY_BY_ID: { type: 'user' },
  MOVED_BY_ID: { type: 'user' },
}

function describe(def: FieldDef) {
  return {
    type: FIELD_TYPE_NAMES[def.type],
    isRequired: def.name === 'TITLE',
    isReadOnly: Boolean(def.readOnly),
    isImmutable: def.name === 'CATEGORY_ID',
    isMultiple: def.type === 'intList',
    isDynamic: false,
    title: def.title,
    ...SPECIAL_TYPES[def.name],
  }
}

function describeUf(uf: UserFieldDef) {
  const label = (key: string) => ((uf.LABELS[key] as Record<string, string>)?.ru ?? uf.FIELD_NAME) || uf.FIELD_NAME
  return {
    type: uf.USER_TYPE_ID,
    isRequired: uf.MANDATORY === 'Y',
    isReadOnly: false,
    isImmutable: false,
    isMultiple: uf.MULTIPLE === 'Y',
    isDynamic: true,
    title: uf.FIELD_NAME,
    listLabel: label('LIST_COLUMN_LABEL'),
    formLabel: label('EDIT_FORM_LABEL'),
    filterLabel: label('LIST_FILTER_LABEL'),
    settings: uf.SETTINGS,
    ...(uf.USER_TYPE_ID === 'enumeration' ? { items: uf.LIST.map((e) => ({ ID: String(e.ID), VALUE: e.VALUE })) } : {}),
  }
}

function fieldsMethod(kind: EntityKind): MethodDef {
  return {
    scope: 'crm',
    handler: (ctx) => {
      const result: Record<string, unknown> = {}
      for (const def of kind.fields) result[def.name] = describe(def)
      if (kind.name === 'deal') result.CONTACT_IDS = { ...describe({ ...KINDS.deal.fields[0]!, name: 'CONTACT_IDS', type: 'intList', title: 'Контакты' }), type: 'crm_contact', isMultiple: true }
      if (kind.multi) for (const m of ['PHONE', 'EMAIL', 'WEB', 'IM']) result[m] = { type: 'crm_multifield', isRequired: false, isReadOnly: false, isImmutable: false, isMultiple: true, isDynamic: false, title: m }
      if (kind.ufEntity) for (const uf of ctx.portal.state.userFieldsOf(kind.ufEntity)) result[uf.FIELD_NAME] = describeUf(uf)
      return { result }
    },
  }
}

export const metaMethods: Record<string, MethodDef> = {
  'crm.status.list': {
    scope: 'crm',
    handler: (ctx) => {
      const rows = statusRows(ctx).filter((r) => matchFilter(r, pick(ctx.params, 'filter'), statusResolver))
      const order = pick(ctx.params, 'order')
      const sorted = sortRecords(rows, isPlainObject(order) ? order : { SORT: 'ASC' }, statusResolver)
      return { result: sorted, total: sorted.length }
    },
  },
  'crm.status.entity.items': {
    scope: 'crm',
    handler: (ctx) => {
      const entityId = String(pick(ctx.params, 'entityId') ?? '')
      const rows = statusRows(ctx).filter((r) => r.ENTITY_ID === entityId)
      return { result: rows.map((r) => ({ NAME: r.NAME, SORT: Number(r.SORT), STATUS_ID: r.STATUS_ID })) }
    },
  },
  'crm.dealcategory.list': {
    scope: 'crm',
    handler: (ctx) => {
      const rows = ctx.portal.state.categories
        .filter((c) => c.id !== 0)
        .map((c) => ({ ID: String(c.id), CREATED_DATE: '2024-01-10T10:00:00+03:00', NAME: c.name, IS_LOCKED: 'N', SORT: String(c.sort) }))
      return { result: rows, total: rows.length }
    },
  },
  'crm.dealcategory.stage.list': {
    scope: 'crm',
    handler: (ctx) => {
      const id = Number(pick(ctx.params, 'id') ?? 0)
      const category = ctx.portal.state.category(id)
      if (!category) throw new RestError(400, '', 'Could not find deal category.')
      return { result: category.stages.map((s) => ({ NAME: s.NAME, SORT: String(s.SORT), STATUS_ID: s.STATUS_ID })) }
    },
  },
  'crm.category.list': {
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = Number(pick(ctx.params, 'entityTypeId'))
      if (entityTypeId !== 2) {
        if ([1, 3, 4, 5, 7].includes(entityTypeId)) {
          throw new RestError(400, 'NOT_FOUND', 'Категории не поддерживаются для этого типа сущности')
        }
        throw new RestError(400, 'NOT_FOUND', 'Смарт-процесс не найден')
      }
      const categories = ctx.portal.state.categories.map((c) => ({
        id: c.id,
        name: c.name,
        sort: c.sort,
        entityTypeId: 2,
        isDefault: c.isDefault ? 'Y' : 'N',
        originId: '',
        originatorId: '',
      }))
      return { result: { categories }, total: categories.length }
    },
  },
  'crm.stagehistory.list': {
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = Number(pick(ctx.params, 'entityTypeId'))
      if (![1, 2, 5, 31].includes(entityTypeId)) throw new RestError(400, 'NOT_FOUND', 'Entity type is not supported')
      const rows = (entityTypeId === 2 ? ctx.portal.state.stageHistory : []).map((r) => ({ ...r }))
      const resolve = (name: string) => {
        const key = name.toUpperCase()
        if (['ID', 'TYPE_ID', 'OWNER_ID', 'CATEGORY_ID'].includes(key)) return { key, kind: 'number' as const }
        if (key === 'CREATED_TIME') return { key, kind: 'date' as const }
        return ['STAGE_ID', 'STAGE_SEMANTIC_ID'].includes(key) ? { key, kind: 'string' as const } : undefined
      }
      const filtered = rows.filter((r) => matchFilter(r, pick(ctx.params, 'filter'), resolve))
      const page = paginate(sortRecords(filtered, pick(ctx.params, 'order'), resolve), pick(ctx.params, 'start'))
      return {
        result: {
          items: page.rows.map((r) => ({ ...r, CREATED_TIME: isoMsk(r.CREATED_TIME) })),
        },
        total: page.total,
        next: page.next,
      }
    },
  },
  'crm.enum.addresstype': {
    scope: 'crm',
    handler: () => ({
      result: [
        [1, 'Фактический адрес'],
        [4, 'Адрес регистрации'],
        [6, 'Юридический адрес'],
        [8, 'Адрес для корреспонденции'],
        [9, 'Адрес бенефициара'],
        [11, 'Адрес доставки'],
      ].map(([id, name]) => ({ ID: id, NAME: name })),
    }),
  },
  'crm.deal.fields': fieldsMethod(KINDS.deal),
  'crm.company.fields': fieldsMethod(KINDS.company),
  'crm.contact.fields': fieldsMethod(KINDS.contact),
  'crm.item.fields': {
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = Number(pick(ctx.params, 'entityTypeId'))
      const kind = Object.values(KINDS).find((k) => k.entityTypeId === entityTypeId)
      if (!kind) throw new RestError(400, 'NOT_FOUND', 'Смарт-процесс не найден')
      const fields: Record<string, unknown> = {}
      for (const def of kind.fields) fields[def.camel] = { ...describe(def), upperName: def.name }
      if (kind.ufEntity) {
        for (const uf of ctx.portal.state.userFieldsOf(kind.ufEntity)) {
          fields[ufToCamel(uf.FIELD_NAME)] = { ...describeUf(uf), upperName: uf.FIELD_NAME }
        }
      }
      return { result: { fields } }
    },
  },
}
