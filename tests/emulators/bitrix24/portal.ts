/** The portal object that glues state, clock, OAuth tokens, event delivery and the REST method table. */
import type { VirtualClock } from '../shared/http'
import type { EventDispatcher } from './events'
import type { TokenStore } from './oauth'
import type { PortalState, TokenRecord } from './state'

export interface Endpoints {
  url: string
  domain: string
  memberId: string
  clientEndpoint: string
  serverEndpoint: string
}

export interface CallContext {
  portal: Portal
  userId: number
  isAdmin: boolean
  auth: 'app' | 'webhook'
  token?: TokenRecord
  /** Scopes granted to the token or webhook. */
  scope: string
  params: Record<string, unknown>
  inBatch: boolean
}

export interface MethodOutput {
  result: unknown
  total?: number
  next?: number
  /** HTTP status for the rare "2xx with error" answers are built by throwing; this is only for success. */
  status?: number
}

export type MethodHandler = (ctx: CallContext) => MethodOutput | Promise<MethodOutput>

export interface MethodDef {
  /** Required scope; null = basic methods available to every app. */
  scope: string | null
  handler: MethodHandler
  /** Not allowed inside batch (file methods, nested batch). */
  noBatch?: boolean
}

export interface PortalOptions {
  accessTokenTtlSec: number
  eventDelayMs: number
}

export class Portal {
  readonly methods = new Map<string, MethodDef>()
  /** Methods that answer 429 OPERATION_TIME_LIMIT (test switch, spec §1.9). */
  readonly operatingLimited = new Set<string>()
  events!: EventDispatcher

  constructor(
    readonly state: PortalState,
    readonly clock: VirtualClock,
    readonly tokens: TokenStore,
    readonly ep: Endpoints,
    readonly options: PortalOptions,
  ) {}

  register(defs: Record<string, MethodDef>): void {
    for (const [name, def] of Object.entries(defs)) this.methods.set(name.toLowerCase(), def)
  }

  now(): Date {
    return this.clock.now()
  }

  /** A CRM change fires its event to bound handlers with the acting user's tokens. */
  fire(event: string, data: Record<string, unknown>, userId: number | null): void {
    this.events.emit(event, data, userId === null ? { withoutTokens: true } : { userId })
  }
}
