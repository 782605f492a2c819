/**
 * Bitrix24 portal emulator: REST API (legacy crm.* and crm.item.*), OAuth server, outbound events,
 * and a portal UI that hosts placement iframes speaking the b24jssdk frame protocol.
 *
 * Follows /work/shared/specs/bitrix24.md (§6 "Emulator checklist"); the real `@bitrix24/b24jssdk`
 * works unchanged against it (B24OAuth server side, initializeB24Frame() in the browser).
 */
import { createHash } from 'node:crypto'
import { FaultInjector, Router, startEmulator, VirtualClock, type EmulatorRequest } from '../shared/http'
import { encodeForm, EventDispatcher, type EmitOptions } from './events'
import { handleTokenRequest, TokenStore, type OAuthEndpoints } from './oauth'
import { FrameHost } from './pages/frames'
import { registerPages } from './pages/routes'
import { Portal, type CallContext, type Endpoints } from './portal'
import { LeakyBucket } from './ratelimit'
import { batchMethod } from './rest/batch'
import { KINDS, newRecord, applyFields, type EntityName } from './rest/entities'
import { RestError } from './rest/errors'
import { appMethods } from './rest/methods/app'
import { catalogMethods } from './rest/methods/catalog'
import { crmEntityMethods, uiUpdate } from './rest/methods/crm-entities'
import { metaMethods } from './rest/methods/crm-meta'
import { productRowMethods } from './rest/methods/crm-productrows'
import { requisiteMethods } from './rest/methods/crm-requisites'
import { userFieldMethods } from './rest/methods/crm-userfields'
import { timelineMethods } from './rest/methods/timeline'
import { CORS_HEADERS, createRestHandler } from './rest/server'
import { baseState, seedPortal } from './seed'
import { PortalState, type CrmRecord } from './state'
import { isPlainObject, randomHex, randomToken } from './util'

export type { PortalState } from './state'
export type { EmitOptions } from './events'

export interface Bitrix24EmulatorOptions {
  port?: number
  app: { clientId: string; clientSecret: string; installUrl: string; appUrl: string; installMode?: 'event' | 'frame' }
  accessTokenTtlSec?: number
  rateLimit?: { enabled?: boolean; drainRate?: number; burst?: number }
  eventDelayMs?: number
  seed?: boolean
  /** Granted scopes (default `crm,placement,im,user_brief,catalog,disk`). */
  scope?: string
  /** Override the stable member_id (default: derived from clientId). */
  memberId?: string
}

export interface Bitrix24Emulator {
  url: string
  domain: string
  memberId: string
  clientEndpoint: string
  serverEndpoint: string
  state: PortalState
  install(): Promise<{ status: number; body: string }>
  uninstall(opts?: { clean?: boolean }): Promise<void>
  expireAccessTokens(): void
  emitEvent(
    event: string,
    data: object,
    opts?: { userId?: number; withoutTokens?: boolean; duplicate?: boolean },
  ): Promise<void>
  waitForDeliveries(): Promise<void>
  close(): Promise<void>
  // --- extras (not part of the required surface) ---
  /** Simulates the frame's installFinish() (frame mode) without a browser. */
  finishInstall(): void
  /** Issues a token pair for a user as the OAuth server would (e.g. the manager, user 2). */
  issueTokens(userId?: number): { accessToken: string; refreshToken: string; expires: number }
  /** A user edits a record in the CRM UI: fires ONCRM*UPDATE with that user's tokens. */
  uiUpdate(entity: 'deal' | 'company', id: number, fields: Record<string, unknown>, userId?: number): CrmRecord
  /** A user creates a record in the CRM UI: fires ONCRM*ADD. */
  uiCreate(entity: 'deal' | 'company' | 'contact', fields: Record<string, unknown>, userId?: number): CrmRecord
  /** Registers an inbound webhook `/rest/<userId>/<secret>/`. */
  addWebhook(userId?: number, scope?: string): string
  rateLimit: LeakyBucket
  frames: FrameHost
  portal: Portal
}

const DEFAULT_SCOPE = 'crm,placement,im,user_brief,catalog,disk'

export async function startBitrix24Emulator(options: Bitrix24EmulatorOptions): Promise<Bitrix24Emulator> {
  const clock = new VirtualClock()
  const faults = new FaultInjector()
  const router = new Router()
  const control = new Router()
  const started = await startEmulator({ name: 'bitrix24', router, control, faults, clock, port: options.port })

  const ttl = options.accessTokenTtlSec ?? 3600
  const memberId = options.memberId ?? createHash('md5').update(`b24-emulator:${options.app.clientId}`).digest('hex')
  const ep: Endpoints = {
    url: started.url,
    domain: `127.0.0.1:${started.port}`,
    memberId,
    clientEndpoint: `${started.url}/rest/`,
    serverEndpoint: `${started.url}/oauth-server/rest/`,
  }
  const state = new PortalState({
    clientId: options.app.clientId,
    clientSecret: options.app.clientSecret,
    installUrl: options.app.installUrl,
    appUrl: options.app.appUrl,
    installMode: options.app.installMode ?? 'event',
    code: 'b24-moedelo-link',
    version: 1,
    status: 'F',
    scope: options.scope ?? DEFAULT_SCOPE,
    added: false,
    installed: false,
    firstRunDone: false,
    applicationToken: '',
    options: {},
    userOptions: {},
  })
  baseState(state)
  const tokens = new TokenStore(state, clock, ttl)
  const portal = new Portal(state, clock, tokens, ep, { accessTokenTtlSec: ttl, eventDelayMs: options.eventDelayMs ?? 50 })
  const events = new EventDispatcher(state, tokens, ep, clock, options.eventDelayMs ?? 50)
  portal.events = events
  portal.register({
    ...appMethods,
    ...catalogMethods,
    ...crmEntityMethods,
    ...productRowMethods,
    ...userFieldMethods,
    ...metaMethods,
    ...requisiteMethods,
    ...timelineMethods,
    batch: batchMethod,
  })
  if (options.seed !== false) seedPortal(portal)

  const bucket = new LeakyBucket(options.rateLimit, () => clock.nowMs())
  const frames = new FrameHost(portal)
  const rest = createRestHandler(portal, bucket)
  const oauthEp: OAuthEndpoints = ep

  const asUser = (userId = 1): CallContext => {
    const user = state.user(userId)
    if (!user) throw new Error(`unknown user ${userId}`)
    return { portal, userId, isAdmin: user.ADMIN, auth: 'app', scope: state.app.scope, params: {}, inBatch: false }
  }

  // ---- vendor routes ----
  const tokenRoute = (req: EmulatorRequest) => handleTokenRequest(req, state, tokens, oauthEp, ttl)
  router
    .add(['GET', 'POST'], '/oauth/token', tokenRoute)
    .add(['GET', 'POST'], '/oauth-server/oauth/token', tokenRoute)
    .add('GET', '/oauth/authorize', (req) => {
      if (req.query.client_id !== state.app.clientId || !state.app.added) {
        return { status: 400, body: { error: 'invalid_client', error_description: 'Unknown client' } }
      }
      const code = tokens.createCode(Number(req.query.user ?? 1))
      const target = new URL(state.app.appUrl)
      const q = { code, state: String(req.query.state ?? ''), domain: ep.domain, member_id: memberId, scope: state.app.scope, server_domain: new URL(ep.serverEndpoint).host }
      for (const [k, v] of Object.entries(q)) target.searchParams.set(k, v)
      return { status: 302, headers: { location: target.toString() } }
    })
    .add(['GET', 'POST'], '/oauth-server/rest/:method', (req, params) => {
      // The OAuth server answers app.info (trusted STATUS); everything else lives on the portal.
      const auth = String((req.body?.auth as string | undefined) ?? req.query.auth ?? '')
      if (params.method!.replace(/\.json$/i, '').toLowerCase() !== 'app.info') {
        return { status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } }
      }
      const check = tokens.check(auth)
      if (!check.ok) return { status: check.status, body: { error: check.error, error_description: check.description } }
      return { body: { result: { ID: 5, CODE: state.app.code, VERSION: state.app.version, STATUS: state.app.status, INSTALLED: state.app.installed, PAYMENT_EXPIRED: 'N', DAYS: null, LANGUAGE_ID: 'ru', LICENSE: 'ru_project', LICENSE_TYPE: 'project', LICENSE_FAMILY: 'project' } } }
    })
    .add(['GET', 'POST', 'OPTIONS'], '/rest/*path', (req, params) => rest(req, params.path ?? ''))
  registerPages(router, portal, frames)

  // ---- lifecycle ----
  async function install(): Promise<{ status: number; body: string }> {
    if (!state.app.added || !state.app.applicationToken) state.app.applicationToken = randomHex(16)
    state.app.added = true
    if (state.app.installMode === 'frame') {
      const opened = frames.open({ placementId: 'DEFAULT', userId: 1, uri: '/marketplace/app/' })
      if (!opened.ok) return { status: 0, body: opened.error }
      try {
        const response = await fetch(opened.action, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(opened.fields).toString(),
          redirect: 'manual',
        })
        return { status: response.status, body: await response.text() }
      } catch (error) {
        return { status: 0, body: (error as Error).message }
      }
    }
    // API-only flow: installation completes automatically; ONAPPINSTALL carries the installer's tokens.
    state.app.installed = true
    const token = tokens.issue(1, 'install')
    const payload = {
      event: 'ONAPPINSTALL',
      data: { VERSION: String(state.app.version), ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'ru' },
      ts: String(Math.floor(clock.nowMs() / 1000)),
      auth: {
        access_token: token.accessToken,
        expires: String(tokens.expiresSec(token)),
        expires_in: String(ttl),
        scope: token.scope,
        domain: ep.domain,
        server_endpoint: ep.serverEndpoint,
        status: state.app.status,
        client_endpoint: ep.clientEndpoint,
        member_id: memberId,
        user_id: '1',
        refresh_token: token.refreshToken,
        application_token: state.app.applicationToken,
      },
    }
    const delivery = await events.sendNow('ONAPPINSTALL', state.app.installUrl, payload)
    return { status: delivery.status ?? 0, body: delivery.responseBody ?? delivery.error ?? '' }
  }

  function finishInstall(): void {
    if (!state.app.added) throw new Error('app is not added; call install() first')
    state.app.installed = true
    state.app.firstRunDone = true
  }

  async function uninstall(opts: { clean?: boolean } = {}): Promise<void> {
    const payloadFor = (handlerId: number) => ({
      event: 'ONAPPUNINSTALL',
      event_handler_id: String(handlerId),
      data: { LANGUAGE_ID: 'ru', CLEAN: opts.clean ? '1' : '0' },
      ts: String(Math.floor(clock.nowMs() / 1000)),
      auth: events.authBlock(null),
    })
    for (const binding of state.bindings.filter((b) => b.event === 'ONAPPUNINSTALL')) {
      await events.sendNow('ONAPPUNINSTALL', binding.handler, payloadFor(binding.id))
    }
    state.bindings = []
    state.placements = []
    // Custom UF *types* (userfieldtype.add) would be removed here; they are not emulated. Fields stay.
    tokens.revokeAll()
    frames.sessions.clear()
    Object.assign(state.app, { added: false, installed: false, firstRunDone: false, applicationToken: '', options: {}, userOptions: {} })
  }

  function uiCreate(entity: EntityName, fields: Record<string, unknown>, userId = 1): CrmRecord {
    const kind = KINDS[entity]
    const record = newRecord(portal, kind, userId)
    applyFields(portal, kind, record, fields, { itemMode: false, userId, isNew: true, allowCategoryChange: true })
    kind.store(state).set(record.ID, record)
    portal.fire(`${kind.eventPrefix}ADD`, { FIELDS: { ID: record.ID } }, userId)
    return record
  }

  function addWebhook(userId = 1, scope = state.app.scope): string {
    const secret = randomToken(16)
    state.webhooks.push({ userId, secret, scope })
    return `${ep.url}/rest/${userId}/${secret}/`
  }

  // ---- control routes (/__emulator/...) ----
  const wrap = async <T>(fn: () => T | Promise<T>) => {
    try {
      return { body: (await fn()) ?? { ok: true } }
    } catch (error) {
      const message = error instanceof RestError ? error.description : (error as Error).message
      return { status: 400, body: { error: message } }
    }
  }
  control
    .add('POST', '/install', () => wrap(install))
    .add('POST', '/install-finish', () => wrap(() => finishInstall()))
    .add('POST', '/uninstall', (req) => wrap(() => uninstall({ clean: Boolean(req.body?.clean) })))
    .add('POST', '/expire-tokens', () => wrap(() => tokens.expireAll()))
    .add('POST', '/tokens', (req) =>
      wrap(() => {
        const t = tokens.issue(Number(req.body?.userId ?? 1), 'control')
        return { access_token: t.accessToken, refresh_token: t.refreshToken, expires: tokens.expiresSec(t), user_id: t.userId }
      }),
    )
    .add('POST', '/events', (req) =>
      wrap(() => {
        const b = req.body ?? {}
        const deliveries = events.emit(String(b.event ?? ''), isPlainObject(b.data) ? b.data : {}, b as EmitOptions)
        return { queued: deliveries.map((d) => d.id) }
      }),
    )
    .add('POST', '/ui/update', (req) =>
      wrap(() => {
        const b = req.body ?? {}
        const entity = b.entity === 'company' ? KINDS.company : KINDS.deal
        return { ok: true, id: uiUpdate(asUser(Number(b.userId ?? 1)), entity, Number(b.id), isPlainObject(b.fields) ? b.fields : {}).ID }
      }),
    )
    .add('POST', '/deals', (req) => wrap(() => ({ id: uiCreate('deal', isPlainObject(req.body?.fields) ? req.body.fields : {}, Number(req.body?.userId ?? 1)).ID })))
    .add('POST', '/companies', (req) =>
      wrap(() => ({ id: uiCreate('company', isPlainObject(req.body?.fields) ? req.body.fields : {}, Number(req.body?.userId ?? 1)).ID })),
    )
    .add('POST', '/webhooks', (req) => wrap(() => ({ url: addWebhook(Number(req.body?.userId ?? 1), req.body?.scope as string | undefined) })))
    .add('GET', '/deliveries', () => ({ body: { deliveries: state.deliveries } }))
    .add('DELETE', '/deliveries', () => {
      state.deliveries = []
      return { status: 204 }
    })
    .add('POST', '/wait-deliveries', () => wrap(async () => { await events.waitIdle(); return { ok: true } }))
    .add('POST', '/rate-limit', (req) =>
      wrap(() => {
        const b = req.body ?? {}
        bucket.configure(b)
        if (b.reset) bucket.reset()
        return bucket.snapshot()
      }),
    )
    .add('POST', '/operation-limit', (req) =>
      wrap(() => {
        const method = String(req.body?.method ?? '').toLowerCase()
        if (req.body?.enabled === false) portal.operatingLimited.delete(method)
        else portal.operatingLimited.add(method)
        return { methods: [...portal.operatingLimited] }
      }),
    )
    .add('GET', '/state', () => ({ body: dumpState(state, ep) }))
    .add('GET', '/info', () => ({ body: { ...ep, app: { ...state.app, clientSecret: undefined } } }))

  return {
    url: ep.url,
    domain: ep.domain,
    memberId,
    clientEndpoint: ep.clientEndpoint,
    serverEndpoint: ep.serverEndpoint,
    state,
    install,
    uninstall,
    expireAccessTokens: () => tokens.expireAll(),
    emitEvent: async (event, data, opts) => {
      events.emit(event, data as Record<string, unknown>, opts ?? {})
    },
    waitForDeliveries: () => events.waitIdle(),
    close: async () => {
      events.close()
      await started.close()
    },
    finishInstall,
    issueTokens: (userId = 1) => {
      const t = tokens.issue(userId, 'control')
      return { accessToken: t.accessToken, refreshToken: t.refreshToken, expires: tokens.expiresSec(t) }
    },
    uiUpdate: (entity, id, fields, userId = 1) => uiUpdate(asUser(userId), KINDS[entity], id, fields),
    uiCreate,
    addWebhook,
    rateLimit: bucket,
    frames,
    portal,
  }
}

/** JSON-safe snapshot for `GET /__emulator/state` (file contents omitted). */
function dumpState(state: PortalState, ep: Endpoints) {
  const records = (m: Map<number, CrmRecord>) => [...m.values()]
  return {
    endpoints: ep,
    app: { ...state.app, clientSecret: undefined },
    users: state.users,
    categories: state.categories,
    deals: records(state.deals),
    companies: records(state.companies),
    contacts: records(state.contacts),
    productRows: Object.fromEntries(state.productRows),
    products: state.products,
    prices: state.prices,
    userFields: state.userFields,
    requisites: [...state.requisites.values()],
    addresses: state.addresses,
    timeline: state.timeline,
    logMessages: state.logMessages,
    notifications: state.notifications,
    bindings: state.bindings,
    placements: state.placements,
    files: [...state.files.values()].map((f) => ({ id: f.id, name: f.name, size: f.content.length, contentType: f.contentType })),
    tokens: state.tokens.map((t) => ({ userId: t.userId, origin: t.origin, expiresAt: new Date(t.expiresAt).toISOString(), refreshUsed: t.refreshUsed, revoked: t.revoked })),
    refreshCount: state.refreshCount,
    deliveries: state.deliveries.map(({ payload: _p, ...d }) => d),
  }
}

export { encodeForm, CORS_HEADERS }
