/**
 * crm.deal.userfield.* and crm.company.userfield.* (spec §4.6).
 * Labels: with `filter[LANG]` the *_LABEL values are strings, otherwise `{ru, en}` maps.
 */
import type { CallContext, MethodDef } from '../../portal'
import type { EnumItem, UserFieldDef } from '../../state'
import { asArray, isPlainObject, isTruthyFlag, pick } from '../../util'
import { defaultUfValue } from '../entities'
import { legacyError, RestError } from '../errors'
import { legacyFields, legacyId } from '../params'
import { matchFilter, sortRecords } from '../query'

export const USER_TYPES = [
  'string',
  'integer',
  'double',
  'boolean',
  'datetime',
  'date',
  'money',
  'url',
  'address',
  'enumeration',
  'file',
  'employee',
  'crm_status',
  'iblock_section',
  'iblock_element',
  'crm',
  'resourcebooking',
]

const LABEL_KEYS = ['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL', 'ERROR_MESSAGE', 'HELP_MESSAGE']

const coreError = (description: string) => new RestError(400, 'ERROR_CORE', description)

function langMap(value: unknown): Record<string, string> {
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v ?? '')]))
  const text = value === undefined || value === null ? '' : String(value)
  return { ru: text, en: text }
}

function parseList(ctx: CallContext, raw: unknown, existing: EnumItem[] = []): EnumItem[] {
  const out = [...existing]
  const seenXml = new Set(out.map((e) => e.XML_ID))
  asArray(raw).forEach((item, i) => {
    if (!isPlainObject(item)) return
    if (item.ID !== undefined) {
      const found = out.find((e) => e.ID === Number(item.ID))
      if (!found) return
      if (isTruthyFlag(item.DEL)) out.splice(out.indexOf(found), 1)
      else {
        if (item.VALUE !== undefined) found.VALUE = String(item.VALUE)
        if (item.SORT !== undefined) found.SORT = Number(item.SORT)
        if (item.DEF !== undefined) found.DEF = isTruthyFlag(item.DEF) ? 'Y' : 'N'
      }
      return
    }
    if (item.VALUE === undefined || item.VALUE === '') return
    const id = ctx.portal.state.nextId('enum')
    const xml = item.XML_ID !== undefined ? String(item.XML_ID) : `xml_${id}`
    if (seenXml.has(xml)) throw coreError(`Значение XML_ID "${xml}" уже используется в списке`)
    seenXml.add(xml)
    out.push({
      ID: id,
      VALUE: String(item.VALUE),
      DEF: isTruthyFlag(item.DEF ?? 'N') ? 'Y' : 'N',
      SORT: Number(item.SORT ?? (i + 1) * 10),
      XML_ID: xml,
    })
  })
  return out
}

function serialise(uf: UserFieldDef, lang: string | undefined) {
  const labels: Record<string, unknown> = {}
  for (const key of LABEL_KEYS) {
    const map = uf.LABELS[key] as Record<string, string>
    labels[key] = lang ? (map[lang] ?? map.ru ?? '') : map
  }
  return {
    ID: String(uf.ID),
    ENTITY_ID: uf.ENTITY_ID,
    FIELD_NAME: uf.FIELD_NAME,
    USER_TYPE_ID: uf.USER_TYPE_ID,
    XML_ID: uf.XML_ID,
    SORT: String(uf.SORT),
    MULTIPLE: uf.MULTIPLE,
    MANDATORY: uf.MANDATORY,
    SHOW_FILTER: uf.SHOW_FILTER,
    SHOW_IN_LIST: uf.SHOW_IN_LIST,
    EDIT_IN_LIST: uf.EDIT_IN_LIST,
    IS_SEARCHABLE: uf.IS_SEARCHABLE,
    SETTINGS: uf.SETTINGS,
    ...labels,
    ...(uf.USER_TYPE_ID === 'enumeration'
      ? {
          LIST: uf.LIST.map((e) => ({ ID: String(e.ID), SORT: String(e.SORT), VALUE: e.VALUE, DEF: e.DEF, XML_ID: e.XML_ID })),
        }
      : {}),
  }
}

/** Creates a user field definition (also used by the seed). */
export function addUserField(
  ctx: Pick<CallContext, 'portal'>,
  entity: 'CRM_DEAL' | 'CRM_COMPANY',
  fields: Record<string, unknown>,
  createdByApp: boolean,
): UserFieldDef {
  const state = ctx.portal.state
  const rawName = String(pick(fields, 'FIELD_NAME') ?? '').trim()
  if (!rawName) throw legacyError("The 'FIELD_NAME' field is not found.")
  const type = String(pick(fields, 'USER_TYPE_ID') ?? '').trim()
  if (!type) throw legacyError("The 'USER_TYPE_ID' field is not found.")
  const upper = rawName.toUpperCase()
  const name = upper.startsWith('UF_CRM_') ? upper : `UF_CRM_${upper}`
  if (!/^UF_CRM_[A-Z0-9_]+$/.test(name)) throw coreError('Код поля может содержать только латинские буквы, цифры и знак подчеркивания')
  if (name.length > 50) throw coreError('Длина кода поля не должна превышать 50 символов')
  if (!USER_TYPES.includes(type)) throw coreError(`Неизвестный тип пользовательского поля "${type}"`)
  if (state.userFields.some((u) => u.ENTITY_ID === entity && u.FIELD_NAME === name)) {
    throw coreError(`Пользовательское поле с кодом ${name} уже существует`)
  }
  const label = pick(fields, 'LABEL')
  const labels: Record<string, unknown> = {}
  for (const key of LABEL_KEYS) {
    const explicit = pick(fields, key)
    labels[key] = langMap(explicit ?? (key.endsWith('_LABEL') ? (label ?? name) : ''))
  }
  const settings = pick(fields, 'SETTINGS')
  const uf: UserFieldDef = {
    ID: state.nextId('userfield', 100),
    ENTITY_ID: entity,
    FIELD_NAME: name,
    USER_TYPE_ID: type,
    XML_ID: pick(fields, 'XML_ID') === undefined ? null : String(pick(fields, 'XML_ID')),
    SORT: Number(pick(fields, 'SORT') ?? 100),
    MULTIPLE: isTruthyFlag(pick(fields, 'MULTIPLE') ?? 'N') ? 'Y' : 'N',
    MANDATORY: isTruthyFlag(pick(fields, 'MANDATORY') ?? 'N') ? 'Y' : 'N',
    SHOW_FILTER: String(pick(fields, 'SHOW_FILTER') ?? 'N'),
    SHOW_IN_LIST: isTruthyFlag(pick(fields, 'SHOW_IN_LIST') ?? 'Y') ? 'Y' : 'N',
    EDIT_IN_LIST: isTruthyFlag(pick(fields, 'EDIT_IN_LIST') ?? 'Y') ? 'Y' : 'N',
    IS_SEARCHABLE: isTruthyFlag(pick(fields, 'IS_SEARCHABLE') ?? 'N') ? 'Y' : 'N',
    SETTINGS: isPlainObject(settings) ? settings : {},
    LABELS: labels,
    LIST: [],
    createdByApp,
  }
  if (type === 'enumeration') uf.LIST = parseList(ctx as CallContext, pick(fields, 'LIST'))
  state.userFields.push(uf)
  const store = entity === 'CRM_DEAL' ? state.deals : state.companies
  for (const record of store.values()) record[name] = uf.MULTIPLE === 'Y' ? [] : defaultUfValue(uf)
  return uf
}

function methodsFor(entity: 'CRM_DEAL' | 'CRM_COMPANY', prefix: string): Record<string, MethodDef> {
  const requireAdmin = (ctx: CallContext) => {
    if (!ctx.isAdmin) throw legacyError('Access denied.')
  }
  const find = (ctx: CallContext): UserFieldDef => {
    const id = legacyId(ctx)
    const uf = ctx.portal.state.userFields.find((u) => u.ID === id && u.ENTITY_ID === entity)
    if (!uf) throw legacyError(`The entity with ID '${id}' is not found.`)
    return uf
  }
  return {
    [`${prefix}.add`]: {
      scope: 'crm',
      handler: (ctx) => {
        requireAdmin(ctx)
        return { result: addUserField(ctx, entity, legacyFields(ctx), true).ID }
      },
    },
    [`${prefix}.list`]: {
      scope: 'crm',
      handler: (ctx) => {
        const filter = (pick(ctx.params, 'filter') ?? {}) as Record<string, unknown>
        const lang = isPlainObject(filter) && filter.LANG ? String(filter.LANG) : undefined
        const { LANG: _lang, ...rest } = isPlainObject(filter) ? filter : {}
        const rows = ctx.portal.state
          .userFieldsOf(entity)
          .map((uf) => ({ uf, row: serialise(uf, lang) as Record<string, unknown> }))
        const resolve = (name: string) => {
          const key = name.toUpperCase()
          if (['ID', 'SORT'].includes(key)) return { key, kind: 'number' as const }
          return ['FIELD_NAME', 'USER_TYPE_ID', 'XML_ID', 'MULTIPLE', 'MANDATORY', 'ENTITY_ID'].includes(key)
            ? { key, kind: 'string' as const }
            : undefined
        }
        const filtered = rows.filter(({ row }) => matchFilter(row, rest, resolve))
        const sorted = sortRecords(
          filtered.map((x) => x.row),
          pick(ctx.params, 'order'),
          resolve,
        )
        return { result: sorted, total: sorted.length }
      },
    },
    [`${prefix}.get`]: {
      scope: 'crm',
      handler: (ctx) => ({ result: serialise(find(ctx), undefined) }),
    },
    [`${prefix}.update`]: {
      scope: 'crm',
      handler: (ctx) => {
        requireAdmin(ctx)
        const uf = find(ctx)
        const fields = legacyFields(ctx)
        for (const key of ['SORT']) if (pick(fields, key) !== undefined) uf.SORT = Number(pick(fields, key))
        for (const key of ['MANDATORY', 'SHOW_IN_LIST', 'EDIT_IN_LIST', 'IS_SEARCHABLE'] as const) {
          if (pick(fields, key) !== undefined) uf[key] = isTruthyFlag(pick(fields, key)) ? 'Y' : 'N'
        }
        if (pick(fields, 'SHOW_FILTER') !== undefined) uf.SHOW_FILTER = String(pick(fields, 'SHOW_FILTER'))
        if (pick(fields, 'XML_ID') !== undefined) uf.XML_ID = String(pick(fields, 'XML_ID'))
        const settings = pick(fields, 'SETTINGS')
        if (isPlainObject(settings)) uf.SETTINGS = { ...uf.SETTINGS, ...settings }
        const label = pick(fields, 'LABEL')
        for (const key of LABEL_KEYS) {
          const explicit = pick(fields, key) ?? (label !== undefined && key.endsWith('_LABEL') ? label : undefined)
          if (explicit !== undefined) uf.LABELS[key] = langMap(explicit)
        }
        if (uf.USER_TYPE_ID === 'enumeration' && pick(fields, 'LIST') !== undefined) {
          uf.LIST = parseList(ctx, pick(fields, 'LIST'), uf.LIST)
        }
        return { result: true }
      },
    },
    [`${prefix}.delete`]: {
      scope: 'crm',
      handler: (ctx) => {
        requireAdmin(ctx)
        const uf = find(ctx)
        const state = ctx.portal.state
        state.userFields = state.userFields.filter((u) => u !== uf)
        const store = entity === 'CRM_DEAL' ? state.deals : state.companies
        for (const record of store.values()) delete record[uf.FIELD_NAME]
        return { result: true }
      },
    },
  }
}

export const userFieldMethods: Record<string, MethodDef> = {
  ...methodsFor('CRM_DEAL', 'crm.deal.userfield'),
  ...methodsFor('CRM_COMPANY', 'crm.company.userfield'),
}
