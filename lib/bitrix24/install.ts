/**
 * One install path for both flows (ONAPPINSTALL event and the install page opened in a frame):
 * parse → check endpoints → prove the token works on the claimed portal → store (encrypted) →
 * bind placements, events and user fields idempotently → mark the portal active.
 * Uninstall verifies the application token, then drops the credentials and stops all work.
 */
import { forgetVerifiedPortal } from './events'
import { parseForm, type FormInput } from './form'
import { z } from 'zod'
import type { Database } from '@/db/client'
import { config } from '@/lib/config'
import { AppError } from '@/lib/errors'
import {
  applicationTokenMatches,
  getPortal,
  markInstalled,
  markUninstalled,
  upsertInstalledPortal,
  type Portal,
} from '@/lib/portals/repository'
import { EVENTS, EVENTS_PATH, PLACEMENTS, USER_FIELDS, handlerUrl, userFieldMethod } from './app-manifest'
import { bitrix24For, forgetBitrix24Client, type BatchCommand, type Bitrix24Client } from './client'
import { Bitrix24Error } from './errors'
import { acquirePortalSlot } from './rate-limit'

export interface InstallPayload {
  memberId: string
  domain: string
  clientEndpoint: string
  serverEndpoint: string
  applicationToken: string
  accessToken: string
  refreshToken: string
  /** Unix seconds; computed from `expiresIn` (default 3600) when missing. */
  expires?: number
  expiresIn?: number
  userId?: number
  scope: string
  status: string
}

export type InstallErrorReason = 'malformed' | 'insecure-endpoint' | 'forbidden' | 'token-rejected'

export class InstallError extends AppError {
  constructor(
    readonly reason: InstallErrorReason,
    message: string,
  ) {
    super(message, {
      service: 'bitrix24',
      retryable: false,
      userMessage:
        reason === 'insecure-endpoint'
          ? 'Портал Битрикс24 передал небезопасный адрес (не https). Установка остановлена.'
          : reason === 'token-rejected'
            ? 'Битрикс24 не подтвердил ключ установки. Попробуйте установить приложение ещё раз.'
            : 'Не удалось установить приложение: Битрикс24 передал неполные данные. Попробуйте установить ещё раз.',
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Parsers


const text = z.string().trim().min(1).max(2000)
const optionalNumber = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined
    const n = Number(v)
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: 'not a number' })
      return z.NEVER
    }
    return n
  })

const eventAuthSchema = z.object({
  member_id: text,
  domain: text,
  client_endpoint: text,
  server_endpoint: text,
  application_token: text,
  access_token: text,
  refresh_token: text,
  expires: optionalNumber,
  expires_in: optionalNumber,
  user_id: optionalNumber,
  scope: z.string().default(''),
  status: z.string().default(''),
})

/** ONAPPINSTALL (`event=ONAPPINSTALL&auth[...]=…`, every number a string). */
export function installPayloadFromEvent(form: FormInput): InstallPayload {
  const body = parseForm(form)
  const event = typeof body.event === 'string' ? body.event.toUpperCase() : ''
  if (event && event !== 'ONAPPINSTALL') throw new InstallError('malformed', `Unexpected event ${event}`)
  const parsed = eventAuthSchema.safeParse(body.auth)
  if (!parsed.success) throw new InstallError('malformed', 'ONAPPINSTALL payload is incomplete')
  const a = parsed.data
  return withExpiry({
    memberId: a.member_id,
    domain: a.domain,
    clientEndpoint: a.client_endpoint,
    serverEndpoint: a.server_endpoint,
    applicationToken: a.application_token,
    accessToken: a.access_token,
    refreshToken: a.refresh_token,
    expires: a.expires,
    expiresIn: a.expires_in,
    userId: a.user_id,
    scope: a.scope,
    status: a.status,
  })
}

const frameSchema = z.object({
  DOMAIN: text,
  PROTOCOL: z.union([z.string(), z.number()]).optional(),
  AUTH_ID: text,
  REFRESH_ID: text,
  AUTH_EXPIRES: optionalNumber,
  SERVER_ENDPOINT: text,
  APPLICATION_TOKEN: text,
  APPLICATION_SCOPE: z.string().default(''),
  member_id: text,
  status: z.string().default(''),
})

/** The install page opened in a frame: DOMAIN/PROTOCOL in the query, the rest in the form body. */
export function installPayloadFromFrame(query: FormInput, form: FormInput): InstallPayload {
  const merged = { ...parseForm(query), ...parseForm(form) }
  const parsed = frameSchema.safeParse(merged)
  if (!parsed.success) throw new InstallError('malformed', 'Install frame request is incomplete')
  const f = parsed.data
  const domain = f.DOMAIN.toLowerCase()
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(domain)) throw new InstallError('malformed', 'DOMAIN is not a host name')
  const scheme = String(f.PROTOCOL ?? '1') === '0' ? 'http' : 'https'
  return withExpiry({
    memberId: f.member_id,
    domain,
    clientEndpoint: `${scheme}://${domain}/rest/`,
    serverEndpoint: f.SERVER_ENDPOINT,
    applicationToken: f.APPLICATION_TOKEN,
    accessToken: f.AUTH_ID,
    refreshToken: f.REFRESH_ID,
    expiresIn: f.AUTH_EXPIRES,
    scope: f.APPLICATION_SCOPE,
    status: f.status,
  })
}

function withExpiry(payload: InstallPayload): InstallPayload {
  if (payload.expires && payload.expires > 0) return payload
  return { ...payload, expires: Math.floor(Date.now() / 1000) + (payload.expiresIn || 3600) }
}

/** Endpoints must be https (http only with ALLOW_INSECURE_ENDPOINTS, for the sandbox and tests). */
export function assertEndpoint(value: string, what: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InstallError('malformed', `${what} is not a URL`)
  }
  if (url.username || url.password || url.search || url.hash) throw new InstallError('malformed', `${what} is not a plain URL`)
  if (url.protocol === 'https:') return url.toString()
  if (url.protocol === 'http:' && config().ALLOW_INSECURE_ENDPOINTS) return url.toString()
  throw new InstallError('insecure-endpoint', `${what} must be https`)
}

// ---------------------------------------------------------------------------------------------
// Install

export interface InstallOutcome {
  portal: Portal
  /** What this run had to create (empty on a repeated install). */
  bound: { events: string[]; placements: string[]; userFields: string[] }
}

export async function installPortal(db: Database, payload: InstallPayload): Promise<InstallOutcome> {
  const install = withExpiry(payload)
  const clientEndpoint = ensureTrailingSlash(assertEndpoint(install.clientEndpoint, 'client_endpoint'))
  const serverEndpoint = ensureTrailingSlash(assertEndpoint(install.serverEndpoint, 'server_endpoint'))

  // A forged install must not redirect an existing portal to other endpoints.
  const existing = await getPortal(db, install.memberId)
  if (
    existing &&
    existing.state !== 'uninstalled' &&
    existing.clientEndpoint !== clientEndpoint &&
    !applicationTokenMatches(existing, install.applicationToken)
  ) {
    throw new InstallError('forbidden', 'Install payload does not match the stored portal')
  }
  // Prove the token works on the claimed portal before anything is stored.
  await verifyInstallToken(db, install.memberId, clientEndpoint, install.accessToken)

  const portal = await upsertInstalledPortal(db, {
    memberId: install.memberId,
    domain: install.domain.toLowerCase(),
    clientEndpoint,
    serverEndpoint,
    applicationToken: install.applicationToken,
    accessToken: install.accessToken,
    refreshToken: install.refreshToken,
    expiresAt: install.expires!,
    userId: install.userId,
    scope: install.scope,
    status: install.status,
  })
  forgetBitrix24Client(db, install.memberId)
  const client = await bitrix24For(db, install.memberId)
  const bound = await bindAppManifest(client, config().APP_URL)
  await markInstalled(db, install.memberId)
  forgetVerifiedPortal(db, install.memberId)
  return { portal: (await getPortal(db, install.memberId)) ?? portal, bound }
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

async function verifyInstallToken(db: Database, memberId: string, clientEndpoint: string, accessToken: string) {
  await acquirePortalSlot(db, memberId)
  let response: Response
  try {
    response = await fetch(`${clientEndpoint}app.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ auth: accessToken }),
      signal: AbortSignal.timeout(config().HTTP_TIMEOUT_MS),
    })
  } catch (error) {
    throw new Bitrix24Error({ kind: 'network', code: 'INSTALL_VERIFY_FAILED', method: 'app.info', cause: error })
  }
  if (response.status >= 500 || response.status === 503) {
    throw new Bitrix24Error({ kind: 'server', code: `HTTP_${response.status}`, status: response.status, method: 'app.info' })
  }
  const body = (await response.json().catch(() => ({}))) as { result?: unknown; error?: unknown }
  if (!response.ok || body.error || body.result === undefined) {
    throw new InstallError('token-rejected', 'The portal did not accept the install token')
  }
}

const ALREADY_BOUND = /already\s+bind/i

/**
 * Binds the manifest: lists what exists first (one batch), then adds only what is missing
 * (one batch). "Handler already binded" counts as success. Safe to run on every install/update.
 */
export async function bindAppManifest(client: Bitrix24Client, appUrl: string): Promise<InstallOutcome['bound']> {
  const eventHandler = handlerUrl(appUrl, EVENTS_PATH)
  const listCalls: Record<string, BatchCommand> = {
    events: ['event.get'],
    placements: ['placement.get'],
  }
  USER_FIELDS.forEach((uf, i) => {
    listCalls[`uf${i}`] = [userFieldMethod(uf.entity, 'list'), { filter: { FIELD_NAME: uf.fieldName } }]
  })
  const existing = await client.batchOrThrow(listCalls)

  const boundEvents = new Set(
    asArray(existing.events)
      .filter((e) => String(e.handler ?? '') === eventHandler)
      .map((e) => String(e.event ?? '').toUpperCase()),
  )
  const boundPlacements = new Set(
    asArray(existing.placements).map((p) => `${String(p.placement ?? '').toUpperCase()} ${String(p.handler ?? '')}`),
  )

  const addCalls: Record<string, BatchCommand> = {}
  const bound: InstallOutcome['bound'] = { events: [], placements: [], userFields: [] }
  for (const event of EVENTS) {
    if (boundEvents.has(event)) continue
    addCalls[`event_${event}`] = ['event.bind', { event, handler: eventHandler }]
    bound.events.push(event)
  }
  for (const p of PLACEMENTS) {
    const handler = handlerUrl(appUrl, p.path)
    if (boundPlacements.has(`${p.placement} ${handler}`)) continue
    addCalls[`placement_${p.placement}`] = [
      'placement.bind',
      {
        PLACEMENT: p.placement,
        HANDLER: handler,
        TITLE: p.title.ru,
        LANG_ALL: { ru: { TITLE: p.title.ru }, en: { TITLE: p.title.en } },
      },
    ]
    bound.placements.push(p.placement)
  }
  USER_FIELDS.forEach((uf, i) => {
    const found = asArray(existing[`uf${i}`]).some((row) => row.FIELD_NAME === uf.fieldName)
    if (found) return
    addCalls[`uf_${uf.fieldName}`] = [
      userFieldMethod(uf.entity, 'add'),
      {
        fields: {
          FIELD_NAME: uf.fieldName.replace(/^UF_CRM_/, ''),
          USER_TYPE_ID: uf.userTypeId,
          XML_ID: uf.fieldName,
          LABEL: uf.label.ru,
          EDIT_FORM_LABEL: { ru: uf.label.ru, en: uf.label.en },
          LIST_COLUMN_LABEL: { ru: uf.label.ru, en: uf.label.en },
          LIST_FILTER_LABEL: { ru: uf.label.ru, en: uf.label.en },
          SORT: uf.sort,
          MULTIPLE: 'N',
          MANDATORY: 'N',
          SHOW_FILTER: 'Y',
        },
      },
    ]
    bound.userFields.push(uf.fieldName)
  })
  if (Object.keys(addCalls).length === 0) return bound

  const result = await client.batch(addCalls)
  const failures = Object.values(result.errors).filter((e) => !ALREADY_BOUND.test(e.description) && !ALREADY_BOUND.test(e.code))
  if (failures.length > 0) {
    throw new Bitrix24Error({
      kind: 'bad-request',
      code: 'INSTALL_BIND_FAILED',
      method: 'batch',
      description: failures.map((f) => `${f.key}: ${f.code} ${f.description}`).join('; '),
      userMessage:
        'Не удалось зарегистрировать обработчики приложения в Битрикс24. Проверьте, что устанавливает администратор портала, и повторите установку.',
      needsUser: true,
    })
  }
  return bound
}

function asArray(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object')
  if (value && typeof value === 'object') return Object.values(value).filter((v): v is Record<string, unknown> => !!v && typeof v === 'object')
  return []
}

// ---------------------------------------------------------------------------------------------
// Uninstall

export type UninstallOutcome = 'ok' | 'unknown' | 'forbidden'

/**
 * ONAPPUNINSTALL: the stored application token is the only proof (the event has no tokens).
 * After this the portal is 'uninstalled': clients refuse it and queued jobs skip it.
 */
export async function uninstallPortal(db: Database, memberId: string, applicationToken: string): Promise<UninstallOutcome> {
  const portal = await getPortal(db, memberId)
  if (!portal) return 'unknown'
  if (!applicationTokenMatches(portal, applicationToken)) return 'forbidden'
  await markUninstalled(db, memberId)
  forgetVerifiedPortal(db, memberId)
  forgetBitrix24Client(db, memberId)
  return 'ok'
}
