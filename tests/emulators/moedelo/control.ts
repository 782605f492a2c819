/**
 * MoeDelo-specific control routes under `/__emulator/` (the shared kit adds faults, requests, clock).
 * They let a separate demo process and the tests set up firms and data over HTTP.
 */
import type { EmulatorResponse, Router } from '../shared/http'
import type { EmulatorContext } from './guard'
import { insertKontragent } from './kontragents'
import type { RegistryEntry } from './registry'
import { SERVICES, type FirmState, type KontragentDto, type MoeDeloService } from './state'
import { applySwitches } from './switches'

function withFirm(ctx: EmulatorContext, apiKey: string | undefined, fn: (firm: FirmState) => EmulatorResponse): EmulatorResponse {
  const firm = apiKey ? ctx.store.firms.get(apiKey) : undefined
  return firm ? fn(firm) : { status: 404, body: { error: 'unknown apiKey' } }
}

export function registerControlRoutes(control: Router, ctx: EmulatorContext): void {
  control
    .add('GET', '/firms', () => ({
      body: {
        firms: [...ctx.store.firms.values()].map((f) => ({
          apiKey: f.apiKey,
          name: f.name,
          firmId: f.firmId,
          kontragents: f.kontragents.size,
        })),
      },
    }))
    .add('POST', '/firms', (req) => {
      const body = req.body ?? {}
      const firm = ctx.store.addFirm(
        typeof body.apiKey === 'string' && body.apiKey ? body.apiKey : undefined,
        typeof body.name === 'string' && body.name ? body.name : undefined,
      )
      return { status: 201, body: { apiKey: firm.apiKey, name: firm.name, firmId: firm.firmId } }
    })
    .add('GET', '/firms/:apiKey', (_req, p) => withFirm(ctx, p.apiKey, (firm) => ({ body: ctx.store.dump(firm) })))
    .add('DELETE', '/firms/:apiKey', (_req, p) =>
      ctx.store.removeFirm(p.apiKey ?? '') ? { status: 204 } : { status: 404, body: { error: 'unknown apiKey' } },
    )
    .add('PUT', '/firms/:apiKey/forbidden', (req, p) =>
      withFirm(ctx, p.apiKey, (firm) => {
        const services = Array.isArray(req.body?.services) ? (req.body.services as unknown[]) : []
        const bad = services.filter((s) => !SERVICES.includes(s as MoeDeloService))
        if (bad.length > 0) return { status: 400, body: { error: `unknown services: ${bad.join(', ')}`, known: SERVICES } }
        firm.forbiddenServices = new Set(services as MoeDeloService[])
        return { body: { forbiddenServices: [...firm.forbiddenServices] } }
      }),
    )
    .add('POST', '/firms/:apiKey/kontragents', (req, p) =>
      withFirm(ctx, p.apiKey, (firm) => {
        const body = req.body
        const list = Array.isArray(body) ? body : Array.isArray(body?.kontragents) ? body.kontragents : body ? [body] : []
        const created = (list as Partial<KontragentDto>[]).map((fields) => insertKontragent(ctx, firm, fields))
        return { status: 201, body: { created } }
      }),
    )
    .add('DELETE', '/firms/:apiKey/kontragents', (_req, p) =>
      withFirm(ctx, p.apiKey, (firm) => {
        firm.kontragents.clear()
        firm.kontragentHidden.clear()
        firm.accounts.clear()
        firm.contacts.clear()
        return { status: 204 }
      }),
    )
    .add('GET', '/registry', () => ({ body: { registry: Object.fromEntries(ctx.store.registry) } }))
    .add('POST', '/registry', (req) => {
      const entries = (req.body?.entries ?? req.body ?? {}) as Record<string, RegistryEntry>
      for (const [inn, entry] of Object.entries(entries)) ctx.store.registry.set(inn, entry)
      return { status: 201, body: { count: ctx.store.registry.size } }
    })
    .add('DELETE', '/registry/:inn', (_req, p) => ({ status: ctx.store.registry.delete(p.inn ?? '') ? 204 : 404 }))
    .add('GET', '/config', () => ({ body: { switches: ctx.switches, oauth: ctx.oauth ? { enabled: true } : { enabled: false } } }))
    .add('PATCH', '/config', (req) => ({ body: { switches: applySwitches(ctx.switches, req.body ?? {}) } }))
}
