/**
 * Application-level methods: app.info, profile, user.*, scope/methods, event.*, placement.*,
 * app.option/user.option (spec §2.1, §3.1, §4.10).
 */
import type { CallContext, MethodDef } from '../../portal'
import type { PortalUser } from '../../state'
import { isPlainObject, isoMsk, pick } from '../../util'
import { accessDenied, RestError } from '../errors'
import { matchFilter, paginate } from '../query'

export const KNOWN_EVENTS = new Set(
  [
    'ONAPPINSTALL',
    'ONAPPUNINSTALL',
    'ONAPPUPDATE',
    'ONAPPPAYMENT',
    'ONOFFLINEEVENT',
    'ONAPPTEST',
    ...['DEAL', 'COMPANY', 'CONTACT', 'LEAD', 'QUOTE', 'INVOICE', 'REQUISITE', 'ACTIVITY', 'PRODUCT'].flatMap((e) => [
      `ONCRM${e}ADD`,
      `ONCRM${e}UPDATE`,
      `ONCRM${e}DELETE`,
    ]),
    'ONCRMDEALMOVETOCATEGORY',
    ...['PRODUCT', 'PRICE'].flatMap((e) => [`CATALOG.${e}.ON.ADD`, `CATALOG.${e}.ON.UPDATE`, `CATALOG.${e}.ON.DELETE`]),
    'ONCRMDEALUSERFIELDADD',
    'ONCRMTIMELINECOMMENTADD',
    'ONCRMTIMELINECOMMENTUPDATE',
    'ONCRMTIMELINECOMMENTDELETE',
    'ONCRMDYNAMICITEMADD',
    'ONCRMDYNAMICITEMUPDATE',
    'ONCRMDYNAMICITEMDELETE',
    'ONUSERADD',
    'ONIMCOMMANDADD',
  ].map((e) => e.toUpperCase()),
)

const CRM_ENTITIES = ['LEAD', 'CONTACT', 'COMPANY', 'DEAL', 'QUOTE', 'SMART_INVOICE']
const CRM_PLACEMENT_KINDS = [
  'DETAIL_TAB',
  'DETAIL_TOOLBAR',
  'DETAIL_ACTIVITY',
  'LIST_MENU',
  'LIST_TOOLBAR',
  'DOCUMENTGENERATOR_BUTTON',
  'ACTIVITY_TIMELINE_MENU',
]
export const KNOWN_PLACEMENTS = new Set([
  ...CRM_ENTITIES.flatMap((e) => CRM_PLACEMENT_KINDS.map((k) => `CRM_${e}_${k}`)),
  'CRM_ANALYTICS_MENU',
  'CRM_REQUISITE_AUTOCOMPLETE',
  'CRM_BANK_DETAIL_AUTOCOMPLETE',
  'LEFT_MENU',
  'REST_APP_URI',
  'PAGE_BACKGROUND_WORKER',
  'USER_PROFILE_MENU',
  'USER_PROFILE_TOOLBAR',
])

function appOnly(ctx: CallContext): void {
  if (ctx.auth !== 'app') throw new RestError(403, 'WRONG_AUTH_TYPE', 'Application context required')
}

function userCurrent(u: PortalUser) {
  return {
    ID: String(u.ID),
    XML_ID: `user-${u.ID}`,
    ACTIVE: u.ACTIVE,
    NAME: u.NAME,
    LAST_NAME: u.LAST_NAME,
    SECOND_NAME: u.SECOND_NAME,
    EMAIL: u.EMAIL,
    LAST_LOGIN: '2026-01-12T09:00:00+03:00',
    DATE_REGISTER: '2024-01-10T03:00:00+03:00',
    IS_ONLINE: 'Y',
    TIME_ZONE: '',
    TIME_ZONE_OFFSET: '10800',
    PERSONAL_GENDER: u.PERSONAL_GENDER,
    WORK_POSITION: u.WORK_POSITION,
    UF_DEPARTMENT: u.UF_DEPARTMENT,
    USER_TYPE: 'employee',
  }
}

const userResolver = (name: string) => {
  const key = name.toUpperCase()
  if (key === 'ID') return { key, kind: 'number' as const }
  return ['NAME', 'LAST_NAME', 'EMAIL', 'ACTIVE', 'WORK_POSITION'].includes(key) ? { key, kind: 'string' as const } : undefined
}

function optionsStore(ctx: CallContext, kind: 'app' | 'user'): Record<string, unknown> {
  const app = ctx.portal.state.app
  if (kind === 'app') return app.options
  app.userOptions[ctx.userId] ??= {}
  return app.userOptions[ctx.userId]!
}

function optionMethods(kind: 'app' | 'user'): Record<string, MethodDef> {
  return {
    [`${kind}.option.get`]: {
      scope: null,
      handler: (ctx) => {
        appOnly(ctx)
        const store = optionsStore(ctx, kind)
        const option = pick(ctx.params, 'option')
        return { result: option === undefined ? store : (store[String(option)] ?? null) }
      },
    },
    [`${kind}.option.set`]: {
      scope: null,
      handler: (ctx) => {
        appOnly(ctx)
        if (kind === 'app' && !ctx.isAdmin) throw accessDenied()
        const options = pick(ctx.params, 'options')
        if (!isPlainObject(options)) throw new RestError(400, 'ERROR_ARGUMENT', 'Wrong options')
        Object.assign(optionsStore(ctx, kind), options)
        return { result: true }
      },
    },
  }
}

export const appMethods: Record<string, MethodDef> = {
  'app.info': {
    scope: null,
    handler: (ctx) => {
      if (ctx.auth !== 'app') throw accessDenied('Access denied! Application context required')
      const app = ctx.portal.state.app
      return {
        result: {
          ID: 5,
          CODE: app.code,
          VERSION: app.version,
          STATUS: app.status,
          INSTALLED: app.installed,
          PAYMENT_EXPIRED: 'N',
          DAYS: null,
          LANGUAGE_ID: 'ru',
          LICENSE: 'ru_project',
          LICENSE_TYPE: 'project',
          LICENSE_FAMILY: 'project',
        },
      }
    },
  },
  profile: {
    scope: null,
    handler: (ctx) => {
      const u = ctx.portal.state.user(ctx.userId)!
      return {
        result: {
          ID: String(u.ID),
          ADMIN: u.ADMIN,
          NAME: u.NAME,
          LAST_NAME: u.LAST_NAME,
          PERSONAL_GENDER: u.PERSONAL_GENDER,
          PERSONAL_PHOTO: '',
          TIME_ZONE: '',
          TIME_ZONE_OFFSET: 10800,
        },
      }
    },
  },
  scope: {
    scope: null,
    handler: (ctx) => ({ result: ctx.portal.state.app.scope.split(',') }),
  },
  methods: {
    scope: null,
    handler: (ctx) => ({ result: [...ctx.portal.methods.keys()] }),
  },
  'server.time': {
    scope: null,
    handler: (ctx) => ({ result: isoMsk(ctx.portal.now()) }),
  },
  'user.current': {
    scope: 'user|user_brief|user_basic',
    handler: (ctx) => ({ result: userCurrent(ctx.portal.state.user(ctx.userId)!) }),
  },
  'user.get': {
    scope: 'user|user_brief|user_basic',
    handler: (ctx) => {
      const filter = isPlainObject(pick(ctx.params, 'FILTER')) ? pick(ctx.params, 'FILTER') : { ...ctx.params }
      const cleaned = Object.fromEntries(
        Object.entries(filter as Record<string, unknown>).filter(([k]) => !['auth', 'start', 'sort', 'order', 'admin_mode'].includes(k.toLowerCase())),
      )
      const rows = ctx.portal.state.users
        .map(userCurrent)
        .filter((u) => matchFilter(u as Record<string, unknown>, cleaned, userResolver))
      const page = paginate(rows, pick(ctx.params, 'start'))
      return { result: page.rows, total: page.total, next: page.next }
    },
  },
  ...optionMethods('app'),
  ...optionMethods('user'),

  'event.bind': {
    scope: null,
    handler: (ctx) => {
      appOnly(ctx)
      const event = String(pick(ctx.params, 'event') ?? '').toUpperCase()
      const handler = String(pick(ctx.params, 'handler') ?? '')
      if (!event || !handler) throw new RestError(400, 'ERROR_REQUIRED_PARAMETERS_MISSING', 'Required parameters missing')
      if (!KNOWN_EVENTS.has(event)) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found')
      const eventType = String(pick(ctx.params, 'event_type') ?? 'online').toLowerCase() === 'offline' ? 'offline' : 'online'
      const authType = Number(pick(ctx.params, 'auth_type') ?? 0) || 0
      if (!ctx.isAdmin && (eventType === 'offline' || (authType && authType !== ctx.userId))) throw accessDenied()
      const state = ctx.portal.state
      const duplicate = state.bindings.some(
        (b) => b.event === event && b.handler === handler && b.authType === authType && b.eventType === eventType,
      )
      if (duplicate) throw new RestError(400, 'ERROR_CORE', 'Handler already binded')
      state.bindings.push({
        id: state.nextId('eventhandler', 200),
        event,
        handler,
        authType,
        eventType,
        authConnector: pick(ctx.params, 'auth_connector') ? String(pick(ctx.params, 'auth_connector')) : null,
        options: pick(ctx.params, 'options') ?? null,
      })
      return { result: true }
    },
  },
  'event.unbind': {
    scope: null,
    handler: (ctx) => {
      appOnly(ctx)
      const event = pick(ctx.params, 'event')
      const handler = pick(ctx.params, 'handler')
      const authType = pick(ctx.params, 'auth_type')
      const eventType = pick(ctx.params, 'event_type')
      const state = ctx.portal.state
      const matches = state.bindings.filter(
        (b) =>
          (event === undefined || b.event === String(event).toUpperCase()) &&
          (handler === undefined || b.handler === String(handler)) &&
          (authType === undefined || b.authType === (Number(authType) || 0)) &&
          (eventType === undefined || b.eventType === String(eventType).toLowerCase()),
      )
      state.bindings = state.bindings.filter((b) => !matches.includes(b))
      return { result: { count: matches.length } }
    },
  },
  'event.get': {
    scope: null,
    handler: (ctx) => {
      appOnly(ctx)
      return {
        result: ctx.portal.state.bindings
          .filter((b) => ctx.isAdmin || b.authType === ctx.userId)
          .map((b) => ({
            event: b.event,
            handler: b.handler,
            auth_type: String(b.authType),
            offline: b.eventType === 'offline' ? 1 : 0,
          })),
      }
    },
  },

  'placement.bind': {
    scope: 'placement',
    handler: (ctx) => {
      appOnly(ctx)
      if (!ctx.isAdmin) throw accessDenied('Access denied! Administrator rights required')
      const placement = String(pick(ctx.params, 'PLACEMENT') ?? '').toUpperCase()
      const handler = String(pick(ctx.params, 'HANDLER') ?? '')
      if (!placement) {
        throw new RestError(200, 'ERROR_ARGUMENT', 'Argument "PLACEMENT" is null or empty', { argument: 'PLACEMENT' })
      }
      if (!KNOWN_PLACEMENTS.has(placement)) throw new RestError(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
      if (!handler) throw new RestError(200, 'EMPTY_ERROR_HANDLER_URL', 'Empty handler URL')
      const state = ctx.portal.state
      const userId = Number(pick(ctx.params, 'USER_ID') ?? 0) || 0
      if (state.placements.some((p) => p.placement === placement && p.handler === handler && p.userId === userId)) {
        throw new RestError(400, 'ERROR_CORE', 'Unable to set placement handler: Handler already binded')
      }
      const langAll = pick(ctx.params, 'LANG_ALL')
      const options = pick(ctx.params, 'OPTIONS')
      state.placements.push({
        id: state.nextId('placement', 10),
        placement,
        handler,
        title: String(pick(ctx.params, 'TITLE') ?? ''),
        description: String(pick(ctx.params, 'DESCRIPTION') ?? ''),
        groupName: String(pick(ctx.params, 'GROUP_NAME') ?? ''),
        langAll: isPlainObject(langAll) ? (langAll as never) : {},
        options: isPlainObject(options) ? options : {},
        userId,
      })
      return { result: true }
    },
  },
  'placement.unbind': {
    scope: 'placement',
    handler: (ctx) => {
      appOnly(ctx)
      if (!ctx.isAdmin) throw accessDenied('Access denied! Administrator rights required')
      const placement = String(pick(ctx.params, 'PLACEMENT') ?? '').toUpperCase()
      if (!placement) {
        throw new RestError(200, 'ERROR_ARGUMENT', 'Argument "PLACEMENT" is null or empty', { argument: 'PLACEMENT' })
      }
      const handler = pick(ctx.params, 'HANDLER')
      const userId = pick(ctx.params, 'USER_ID')
      const state = ctx.portal.state
      const matches = state.placements.filter(
        (p) =>
          p.placement === placement &&
          (handler === undefined || p.handler === String(handler)) &&
          (userId === undefined || p.userId === Number(userId)),
      )
      state.placements = state.placements.filter((p) => !matches.includes(p))
      return { result: { count: matches.length } }
    },
  },
  'placement.get': {
    scope: 'placement',
    handler: (ctx) => {
      appOnly(ctx)
      return {
        result: ctx.portal.state.placements.map((p) => ({
          placement: p.placement,
          userId: p.userId,
          handler: p.handler,
          options: p.options,
          title: p.title,
          description: p.description,
          groupName: p.groupName,
          langAll: p.langAll,
        })),
      }
    },
  },
  'placement.list': {
    scope: 'placement',
    handler: () => ({ result: [...KNOWN_PLACEMENTS] }),
  },
}
