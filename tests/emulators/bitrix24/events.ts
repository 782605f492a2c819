/**
 * Outbound event delivery (spec §2.2, §2.4): form-encoded PHP-bracket POSTs, queue-like delay,
 * never retried, nothing delivered before the installation is finished.
 */
import qs from 'qs'
import type { VirtualClock } from '../shared/http'
import type { TokenStore } from './oauth'
import type { Endpoints } from './portal'
import type { Delivery, EventBinding, PortalState } from './state'

export interface EmitOptions {
  /** Whose action fired the event (tokens of this user are sent). Default: admin (1). */
  userId?: number
  /** Robot / business process / agent: no tokens in `auth`. */
  withoutTokens?: boolean
  /** Deliver every matching handler twice (the queue may duplicate). */
  duplicate?: boolean
}

interface Job {
  delivery: Delivery
  dueAt: number
}

const DELIVERY_TIMEOUT_MS = 10_000

export function encodeForm(payload: Record<string, unknown>): string {
  return qs.stringify(payload, { arrayFormat: 'indices' })
}

export class EventDispatcher {
  private queue: Job[] = []
  private running = false
  private idleWaiters: (() => void)[] = []
  private closed = false

  constructor(
    private readonly state: PortalState,
    private readonly tokens: TokenStore,
    private readonly ep: Endpoints,
    private readonly clock: VirtualClock,
    private readonly delayMs: number,
  ) {}

  /** The `auth` block of an event payload. */
  authBlock(userId: number | null): Record<string, unknown> {
    const base = {
      domain: this.ep.domain,
      client_endpoint: this.ep.clientEndpoint,
      server_endpoint: this.ep.serverEndpoint,
      member_id: this.ep.memberId,
      application_token: this.state.app.applicationToken,
    }
    if (userId === null) return base
    const token = this.tokens.current(userId, 'event')
    return {
      access_token: token.accessToken,
      expires_in: String(Math.max(0, Math.round((token.expiresAt - this.clock.nowMs()) / 1000))),
      scope: token.scope,
      domain: this.ep.domain,
      server_endpoint: this.ep.serverEndpoint,
      status: this.state.app.status,
      client_endpoint: this.ep.clientEndpoint,
      member_id: this.ep.memberId,
      refresh_token: token.refreshToken,
      application_token: this.state.app.applicationToken,
    }
  }

  emit(event: string, data: Record<string, unknown>, options: EmitOptions = {}): Delivery[] {
    const name = event.toUpperCase()
    // Nothing is delivered until the installation is finished (spec §1.1).
    if (!this.state.app.installed) return []
    const bindings = this.state.bindings.filter((b) => b.event === name && b.eventType === 'online')
    const out: Delivery[] = []
    for (const binding of bindings) {
      const copies = options.duplicate ? 2 : 1
      for (let i = 0; i < copies; i++) out.push(this.enqueue(binding, name, data, options))
    }
    return out
  }

  private enqueue(binding: EventBinding, event: string, data: Record<string, unknown>, options: EmitOptions): Delivery {
    const userId = options.withoutTokens ? null : binding.authType > 0 ? binding.authType : (options.userId ?? 1)
    const payload: Record<string, unknown> = {
      event,
      event_handler_id: String(binding.id),
      data,
      ts: String(Math.floor(this.clock.nowMs() / 1000)),
      auth: this.authBlock(userId),
    }
    const delivery = this.record(event, binding.handler, payload)
    this.queue.push({ delivery, dueAt: Date.now() + this.delayMs })
    void this.run()
    return delivery
  }

  private record(event: string, handler: string, payload: Record<string, unknown>): Delivery {
    const delivery: Delivery = {
      id: this.state.nextId('delivery'),
      event,
      handler,
      body: encodeForm(payload),
      payload,
      status: null,
      responseBody: null,
      error: null,
      queuedAt: this.clock.now().toISOString(),
      deliveredAt: null,
    }
    this.state.deliveries.push(delivery)
    return delivery
  }

  /** Immediate, awaited POST (install / uninstall callbacks). */
  async sendNow(event: string, handler: string, payload: Record<string, unknown>): Promise<Delivery> {
    const delivery = this.record(event, handler, payload)
    await this.post(delivery)
    return delivery
  }

  private async post(delivery: Delivery): Promise<void> {
    try {
      const response = await fetch(delivery.handler, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Bitrix24 Webhook Engine' },
        body: delivery.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        redirect: 'manual',
      })
      delivery.status = response.status
      delivery.responseBody = await response.text()
    } catch (error) {
      // Never retried: the event is lost (spec §2.4).
      delivery.error = (error as Error).message
    }
    delivery.deliveredAt = this.clock.now().toISOString()
  }

  private async run(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (this.queue.length > 0 && !this.closed) {
        const job = this.queue[0]!
        const wait = job.dueAt - Date.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        this.queue.shift()
        await this.post(job.delivery)
      }
    } finally {
      this.running = false
      if (this.queue.length === 0) {
        const waiters = this.idleWaiters
        this.idleWaiters = []
        waiters.forEach((w) => w())
      }
    }
  }

  waitIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  close(): void {
    this.closed = true
    this.queue = []
    const waiters = this.idleWaiters
    this.idleWaiters = []
    waiters.forEach((w) => w())
  }
}
