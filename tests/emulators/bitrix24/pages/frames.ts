/**
 * Placement / application frame sessions. Opening a placement creates an APP_SID, issues a real
 * access token of the viewing user, and describes the form POST Bitrix24 submits into the iframe
 * (spec §1.2): query DOMAIN, PROTOCOL, LANG, APP_SID; body AUTH_ID, AUTH_EXPIRES, REFRESH_ID,
 * SERVER_ENDPOINT, APPLICATION_TOKEN, APPLICATION_SCOPE, member_id, status, PLACEMENT,
 * PLACEMENT_OPTIONS (JSON string). The parent page answers the SDK's postMessage protocol with the
 * `initData` kept here.
 */
import type { Portal } from '../portal'
import type { PlacementBinding, TokenRecord } from '../state'
import { randomHex } from '../util'

export interface FrameSession {
  appSid: string
  userId: number
  placement: string
  placementId: number | null
  options: Record<string, unknown>
  handler: string
  token: TokenRecord
  install: boolean
  createdAt: number
}

export interface FrameOpenRequest {
  /** Placement binding id, or 'DEFAULT' for the application page. */
  placementId?: number | 'DEFAULT'
  userId?: number
  /** Entity id for CRM placements (becomes PLACEMENT_OPTIONS.ID). */
  entityId?: number
  /** Extra PLACEMENT_OPTIONS (openApplication params). */
  options?: Record<string, unknown>
  /** Page the widget is opened from (PLACEMENT_OPTIONS.URI). */
  uri?: string
}

export type FrameOpenResult =
  | {
      ok: true
      appSid: string
      frameName: string
      action: string
      fields: Record<string, string>
      initData: Record<string, unknown>
      title: string
    }
  | { ok: false; error: string }

export class FrameHost {
  readonly sessions = new Map<string, FrameSession>()

  constructor(private readonly portal: Portal) {}

  placementTitle(p: PlacementBinding): string {
    return p.langAll.ru?.TITLE || p.title || p.langAll.en?.TITLE || this.portal.state.app.code
  }

  open(req: FrameOpenRequest): FrameOpenResult {
    const { state, ep } = this.portal
    const app = state.app
    if (!app.added) return { ok: false, error: 'Приложение не установлено на портале.' }
    const userId = req.userId ?? 1
    const user = state.user(userId)
    if (!user) return { ok: false, error: `Пользователь ${userId} не найден.` }
    let placement = 'DEFAULT'
    let placementId: number | null = null
    let handler: string
    let options: Record<string, unknown>
    let install = false
    if (req.placementId === undefined || req.placementId === 'DEFAULT') {
      if (!app.installed && app.installMode === 'frame') {
        if (!user.ADMIN) {
          return { ok: false, error: 'Приложение установлено не до конца. Обратитесь к администратору Битрикс24.' }
        }
        install = true
        handler = app.installUrl
      } else {
        handler = app.appUrl
      }
      options = { ...(req.options ?? {}) }
      if (req.uri && !('URI' in options)) options.URI = req.uri
    } else {
      if (!app.installed) return { ok: false, error: 'Приложение установлено не до конца.' }
      const binding = state.placements.find((p) => p.id === req.placementId)
      if (!binding) return { ok: false, error: 'Обработчик встройки не найден.' }
      placement = binding.placement
      placementId = binding.id
      handler = binding.handler
      options = {}
      if (req.entityId !== undefined) options.ID = String(req.entityId)
      Object.assign(options, req.options ?? {})
      if (req.uri) options.URI = req.uri
    }
    const token = this.portal.tokens.issue(userId, 'frame')
    const appSid = randomHex(16)
    const session: FrameSession = {
      appSid,
      userId,
      placement,
      placementId,
      options,
      handler,
      token,
      install,
      createdAt: Date.now(),
    }
    this.sessions.set(appSid, session)
    const query = new URLSearchParams({ DOMAIN: ep.domain, PROTOCOL: '0', LANG: 'ru', APP_SID: appSid })
    const action = `${handler}${handler.includes('?') ? '&' : '?'}${query.toString()}`
    const fields: Record<string, string> = {
      AUTH_ID: token.accessToken,
      AUTH_EXPIRES: String(this.portal.options.accessTokenTtlSec),
      REFRESH_ID: token.refreshToken,
      SERVER_ENDPOINT: ep.serverEndpoint,
      APPLICATION_TOKEN: app.applicationToken,
      APPLICATION_SCOPE: app.scope,
      member_id: ep.memberId,
      status: app.status,
      PLACEMENT: placement,
      PLACEMENT_OPTIONS: JSON.stringify(options),
    }
    const binding = placementId === null ? undefined : state.placements.find((p) => p.id === placementId)
    return {
      ok: true,
      appSid,
      frameName: `${ep.domain}|0|${appSid}`,
      action,
      fields,
      initData: this.initData(session),
      title: binding ? this.placementTitle(binding) : app.code,
    }
  }

  initData(session: FrameSession): Record<string, unknown> {
    const { state, ep } = this.portal
    const user = state.user(session.userId)!
    return {
      DOMAIN: ep.domain,
      PROTOCOL: 0,
      PATH: '/rest/',
      LANG: 'ru',
      AUTH_ID: session.token.accessToken,
      AUTH_EXPIRES: String(Math.max(0, Math.round((session.token.expiresAt - this.portal.clock.nowMs()) / 1000))),
      REFRESH_ID: session.token.refreshToken,
      MEMBER_ID: ep.memberId,
      IS_ADMIN: user.ADMIN,
      APP_OPTIONS: state.app.options,
      USER_OPTIONS: state.app.userOptions[session.userId] ?? {},
      PLACEMENT: session.placement,
      PLACEMENT_OPTIONS: session.options,
      INSTALL: session.install,
      FIRST_RUN: session.placement === 'DEFAULT' && user.ADMIN && !state.app.firstRunDone,
    }
  }

  /** Server side of parent-window commands that change portal state. */
  command(appSid: string, command: string, params: Record<string, unknown>): { ok: boolean; result?: unknown; error?: string } {
    const session = this.sessions.get(appSid)
    if (!session) return { ok: false, error: 'unknown APP_SID' }
    const app = this.portal.state.app
    switch (command) {
      case 'getInitData':
        return { ok: true, result: this.initData(session) }
      case 'refreshAuth': {
        // The parent hands the frame a fresh token of the same user.
        session.token = this.portal.tokens.issue(session.userId, 'frame')
        return {
          ok: true,
          result: {
            AUTH_ID: session.token.accessToken,
            REFRESH_ID: session.token.refreshToken,
            AUTH_EXPIRES: String(this.portal.options.accessTokenTtlSec),
          },
        }
      }
      case 'setInstall':
        app.firstRunDone = true
        return { ok: true, result: {} }
      case 'setInstallFinish':
        if (!session.install) return { ok: false, error: 'not in install mode' }
        app.installed = true
        app.firstRunDone = true
        return { ok: true, result: {} }
      case 'setAppOption':
        if (!this.portal.state.user(session.userId)?.ADMIN) return { ok: false, error: 'admin only' }
        app.options[String(params.name)] = params.value
        return { ok: true, result: {} }
      case 'setUserOption':
        app.userOptions[session.userId] ??= {}
        app.userOptions[session.userId]![String(params.name)] = params.value
        return { ok: true, result: {} }
      default:
        return { ok: true, result: {} }
    }
  }
}
