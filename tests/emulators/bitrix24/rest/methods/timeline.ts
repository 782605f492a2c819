/** crm.timeline.comment.*, crm.timeline.logmessage.*, im.notify.* (spec §4.7). */
import type { CallContext, MethodDef } from '../../portal'
import type { Notification, TimelineComment } from '../../state'
import { asArray, isPlainObject, isoMsk, pick } from '../../util'
import { storeFile } from '../entities'
import { RestError } from '../errors'
import { matchFilter, paginate, sortRecords } from '../query'

const OWNER_TYPES: Record<string, number> = { lead: 1, deal: 2, contact: 3, company: 4, order: 14 }

function ownerExists(ctx: CallContext, entityType: string, entityId: number): boolean {
  const s = ctx.portal.state
  if (entityType === 'deal') return s.deals.has(entityId)
  if (entityType === 'company') return s.companies.has(entityId)
  if (entityType === 'contact') return s.contacts.has(entityId)
  return false
}

function commentFields(ctx: CallContext): Record<string, unknown> {
  // Since crm 23.100.0 the key must be lower-case `fields`.
  const fields = ctx.params.fields
  if (!isPlainObject(fields)) throw new RestError(400, '100', 'Could not find value for parameter {fields}')
  return fields
}

function storeFiles(ctx: CallContext, raw: unknown): number[] {
  const ids: number[] = []
  for (const entry of asArray(raw)) {
    const tuple = asArray(entry)
    if (tuple.length >= 2 && typeof tuple[0] === 'string' && typeof tuple[1] === 'string') {
      ids.push(storeFile(ctx.portal.state, tuple[0], tuple[1], ctx.portal.now()))
    }
  }
  return ids
}

export function serialiseComment(ctx: Pick<CallContext, 'portal'>, c: TimelineComment) {
  const files: Record<string, unknown> = {}
  for (const id of c.FILES) {
    const file = ctx.portal.state.files.get(id)
    if (!file) continue
    files[String(id)] = {
      id,
      date: isoMsk(file.createdAt),
      type: 'file',
      name: file.name,
      size: file.content.length,
      urlDownload: `${ctx.portal.ep.url}/rest/download/?fileId=${id}`,
    }
  }
  return {
    ID: String(c.ID),
    CREATED: isoMsk(c.CREATED),
    ENTITY_ID: c.ENTITY_ID,
    ENTITY_TYPE: c.ENTITY_TYPE,
    AUTHOR_ID: String(c.AUTHOR_ID),
    COMMENT: c.COMMENT,
    ...(c.FILES.length ? { FILES: files } : {}),
  }
}

function notify(ctx: CallContext, kind: Notification['kind']): number {
  const userId = Number(pick(ctx.params, 'USER_ID') ?? 0)
  if (!userId) throw new RestError(400, 'USER_ID_EMPTY', 'Recipient user ID is empty')
  if (!ctx.portal.state.user(userId)) throw new RestError(400, 'USER_ID_EMPTY', 'Recipient user not found')
  const message = String(pick(ctx.params, 'MESSAGE') ?? '').trim()
  if (!message) throw new RestError(400, 'MESSAGE_EMPTY', 'Message text is empty')
  const attach = pick(ctx.params, 'ATTACH')
  if (attach !== undefined && JSON.stringify(attach).length > 60_000) {
    throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attachments')
  }
  const tag = pick(ctx.params, 'TAG')
  const state = ctx.portal.state
  // A notification with the same TAG replaces the older one.
  if (tag) state.notifications = state.notifications.filter((n) => !(n.userId === userId && n.tag === String(tag)))
  const id = state.nextId('notification', 1000)
  state.notifications.push({
    id,
    kind,
    userId,
    fromUserId: kind === 'personal' ? ctx.userId : null,
    message,
    messageOut: pick(ctx.params, 'MESSAGE_OUT') === undefined ? null : String(pick(ctx.params, 'MESSAGE_OUT')),
    tag: tag ? String(tag) : null,
    subTag: pick(ctx.params, 'SUB_TAG') ? String(pick(ctx.params, 'SUB_TAG')) : null,
    attach: attach ?? null,
    date: ctx.portal.now(),
  })
  return id
}

const commentResolver = (name: string) => {
  const key = name.toUpperCase()
  if (['ID', 'ENTITY_ID', 'AUTHOR_ID'].includes(key)) return { key, kind: 'number' as const }
  if (key === 'CREATED') return { key, kind: 'date' as const }
  return ['ENTITY_TYPE', 'COMMENT'].includes(key) ? { key, kind: 'string' as const } : undefined
}

export const timelineMethods: Record<string, MethodDef> = {
  'crm.timeline.comment.add': {
    scope: 'crm',
    handler: (ctx) => {
      const fields = commentFields(ctx)
      const entityId = Number(fields.ENTITY_ID)
      const entityType = String(fields.ENTITY_TYPE ?? '').toLowerCase()
      if (!entityId || !entityType) throw new RestError(400, '100', 'Required fields ENTITY_ID and ENTITY_TYPE')
      if (!(entityType in OWNER_TYPES) || !ownerExists(ctx, entityType, entityId)) {
        throw new RestError(400, 'OWNER_NOT_FOUND', 'Owner entity not found')
      }
      const comment = String(fields.COMMENT ?? '').trim()
      if (!comment) throw new RestError(400, 'INVALID_ARG_VALUE', 'Empty comment message')
      const record: TimelineComment = {
        ID: ctx.portal.state.nextId('timeline', 500),
        CREATED: ctx.portal.now(),
        ENTITY_ID: entityId,
        ENTITY_TYPE: entityType,
        AUTHOR_ID: Number(fields.AUTHOR_ID ?? ctx.userId),
        COMMENT: comment,
        FILES: storeFiles(ctx, fields.FILES),
      }
      ctx.portal.state.timeline.push(record)
      ctx.portal.fire('ONCRMTIMELINECOMMENTADD', { FIELDS: { ID: record.ID } }, ctx.userId)
      return { result: record.ID }
    },
  },
  'crm.timeline.comment.update': {
    scope: 'crm',
    handler: (ctx) => {
      const id = Number(pick(ctx.params, 'id'))
      const fields = commentFields(ctx)
      const record = ctx.portal.state.timeline.find((c) => c.ID === id)
      if (!record) throw new RestError(400, 'NOT_FOUND', 'Comment not found')
      if (fields.COMMENT !== undefined) {
        if (!String(fields.COMMENT).trim()) throw new RestError(400, 'INVALID_ARG_VALUE', 'Empty comment message')
        record.COMMENT = String(fields.COMMENT)
      }
      if (fields.FILES !== undefined) record.FILES = storeFiles(ctx, fields.FILES)
      return { result: record.ID }
    },
  },
  'crm.timeline.comment.get': {
    scope: 'crm',
    handler: (ctx) => {
      const id = Number(pick(ctx.params, 'id'))
      const record = ctx.portal.state.timeline.find((c) => c.ID === id)
      if (!record) throw new RestError(400, 'NOT_FOUND', 'Comment not found')
      return { result: serialiseComment(ctx, record) }
    },
  },
  'crm.timeline.comment.list': {
    scope: 'crm',
    handler: (ctx) => {
      const rows = ctx.portal.state.timeline.filter((c) =>
        matchFilter(c as unknown as Record<string, unknown>, pick(ctx.params, 'filter'), commentResolver),
      )
      const sorted = sortRecords(rows as unknown as Record<string, unknown>[], pick(ctx.params, 'order'), commentResolver)
      const page = paginate(sorted as unknown as TimelineComment[], pick(ctx.params, 'start'))
      return { result: page.rows.map((c) => serialiseComment(ctx, c)), total: page.total, next: page.next }
    },
  },
  'crm.timeline.comment.delete': {
    scope: 'crm',
    handler: (ctx) => {
      const id = Number(pick(ctx.params, 'id'))
      const state = ctx.portal.state
      if (!state.timeline.some((c) => c.ID === id)) throw new RestError(400, 'NOT_FOUND', 'Comment not found')
      state.timeline = state.timeline.filter((c) => c.ID !== id)
      return { result: true }
    },
  },
  'crm.timeline.logmessage.add': {
    scope: 'crm',
    handler: (ctx) => {
      const fields = commentFields(ctx)
      for (const key of ['entityTypeId', 'entityId', 'title', 'text', 'iconCode']) {
        if (fields[key] === undefined || fields[key] === '') {
          throw new RestError(400, '100', `Could not find value for parameter {${key}}`)
        }
      }
      const entityTypeId = Number(fields.entityTypeId)
      const entityType = Object.entries(OWNER_TYPES).find(([, v]) => v === entityTypeId)?.[0]
      if (!entityType || !ownerExists(ctx, entityType, Number(fields.entityId))) {
        throw new RestError(400, 'NOT_FOUND', 'Элемент не найден')
      }
      const message = {
        id: ctx.portal.state.nextId('logmessage'),
        created: ctx.portal.now(),
        authorId: ctx.userId,
        entityTypeId,
        entityId: Number(fields.entityId),
        title: String(fields.title),
        text: String(fields.text),
        iconCode: String(fields.iconCode),
      }
      ctx.portal.state.logMessages.push(message)
      return { result: { logMessage: { ...message, created: isoMsk(message.created) } } }
    },
  },
  'crm.timeline.logmessage.list': {
    scope: 'crm',
    handler: (ctx) => {
      const entityTypeId = Number(pick(ctx.params, 'entityTypeId'))
      const entityId = Number(pick(ctx.params, 'entityId'))
      const rows = ctx.portal.state.logMessages
        .filter((m) => m.entityTypeId === entityTypeId && m.entityId === entityId)
        .map((m) => ({ ...m, created: isoMsk(m.created) }))
      return { result: { logMessages: rows }, total: rows.length }
    },
  },
  'im.notify.system.add': { scope: 'im', handler: (ctx) => ({ result: notify(ctx, 'system') }) },
  'im.notify.personal.add': { scope: 'im', handler: (ctx) => ({ result: notify(ctx, 'personal') }) },
  'im.notify.delete': {
    scope: 'im',
    handler: (ctx) => {
      const id = Number(pick(ctx.params, 'ID') ?? 0)
      const tag = pick(ctx.params, 'TAG')
      const state = ctx.portal.state
      const before = state.notifications.length
      state.notifications = state.notifications.filter((n) => !((id && n.id === id) || (tag && n.tag === String(tag))))
      return { result: state.notifications.length !== before }
    },
  },
}
