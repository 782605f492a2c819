/**
 * A world for the counterparty tests: a fresh database, the Bitrix24 portal emulator with the app
 * installed, the MoeDelo emulator connected by API key, and the DaData + Kontur.Focus emulators — all
 * over HTTP, through the app's real clients.
 */
import { sql } from 'drizzle-orm'
import { setDatabase } from '@/db'
import { installPayloadFromEvent, installPortal } from '@/lib/bitrix24/install'
import { setDefaultRateLimit } from '@/lib/bitrix24/rate-limit'
import { connectWithApiKey } from '@/lib/connections/moedelo'
import { removeRegistryConnection, saveRegistryConnection } from '@/lib/connections/registry'
import type { RegistryProviderKind } from '@/lib/registry'
import { startBitrix24Emulator, type Bitrix24Emulator } from '../emulators/bitrix24'
import { startMoeDeloEmulator, type MoeDeloEmulator } from '../emulators/moedelo'
import {
  DADATA_DEMO_API_KEY,
  DADATA_DEMO_SECRET_KEY,
  FOCUS_DEMO_KEY,
  startDaDataEmulator,
  startKonturFocusEmulator,
  type DaDataEmulator,
  type KonturFocusEmulator,
} from '../emulators/registry'
import { setTestEnv, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from '../bitrix24/support/env'
import { startReceiver, type Receiver } from '../bitrix24/support/receiver'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { rows } from '../support/jobs/helpers'

export const MD_KEY = '33333333-cccc-4ccc-8ccc-000000000003'
export const MANAGER = 2

export interface World {
  database: TestDatabase
  portal: Bitrix24Emulator
  moedelo: MoeDeloEmulator
  dadata: DaDataEmulator
  focus: KonturFocusEmulator
  receiver: Receiver
  memberId: string
  /** REST as the manager (user 2) through an inbound webhook: what a person does in the CRM UI. */
  asManager<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  const [receiver, moedelo, dadata, focus] = await Promise.all([
    startReceiver(),
    startMoeDeloEmulator({ apiKeys: { [MD_KEY]: 'ООО "Тестовая фирма"' } }),
    startDaDataEmulator(),
    startKonturFocusEmulator(),
  ])
  setTestEnv({
    APP_URL: receiver.url,
    MOEDELO_API_URL: moedelo.url,
    DADATA_API_URL: dadata.url,
    KONTUR_FOCUS_API_URL: focus.url,
    RETRY_DELAYS_SECONDS: '1,1,1',
  })
  setDefaultRateLimit({ drainRate: 500, burst: 1000 })
  const database = await createTestDatabase()
  setDatabase(database)
  const portal = await startBitrix24Emulator({
    seed: false,
    app: {
      clientId: TEST_CLIENT_ID,
      clientSecret: TEST_CLIENT_SECRET,
      installUrl: `${receiver.url}/b24/install`,
      appUrl: `${receiver.url}/b24/app`,
      installMode: 'event',
    },
    rateLimit: { enabled: false },
    eventDelayMs: 5,
  })
  await portal.install()
  const [body] = await receiver.waitFor('/b24/install', 1)
  await installPortal(database.db, installPayloadFromEvent(body!))
  await connectWithApiKey(database.db, portal.memberId, MD_KEY)
  const hook = portal.addWebhook(MANAGER)

  return {
    database,
    portal,
    moedelo,
    dadata,
    focus,
    receiver,
    memberId: portal.memberId,
    async asManager<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const response = await fetch(`${hook}${method}.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      })
      const body = (await response.json()) as { result?: T; error?: string; error_description?: string }
      if (!response.ok || body.error) throw new Error(`${method}: ${body.error} ${body.error_description ?? ''}`)
      return body.result as T
    },
    async close() {
      setDefaultRateLimit(undefined)
      await portal.close()
      await Promise.all([moedelo.close(), dadata.close(), focus.close(), receiver.close()])
      setDatabase(undefined)
      await database.drop()
    },
  }
}

export async function useRegistry(world: World, provider: RegistryProviderKind | null): Promise<void> {
  if (provider === null) return removeRegistryConnection(world.database.db, world.memberId)
  await saveRegistryConnection(
    world.database.db,
    world.memberId,
    provider === 'dadata'
      ? { provider, apiKey: DADATA_DEMO_API_KEY, secretKey: DADATA_DEMO_SECRET_KEY }
      : { provider, apiKey: FOCUS_DEMO_KEY },
  )
}

/** Forgets everything the app learnt (rows, provenance, marks, cache, journal) and MoeDelo's counterparties. */
export async function resetApp(world: World): Promise<void> {
  const db = world.database.db
  for (const table of ['field_provenance', 'counterparties', 'effects', 'registry_cache', 'sync_journal']) {
    await db.execute(sql.raw(`delete from ${table}`))
  }
  world.moedelo.firm(MD_KEY).kontragents.clear()
  world.portal.state.notifications = []
  world.portal.state.timeline = []
  for (const url of [world.dadata.url, world.focus.url]) await fetch(`${url}/__emulator/reset`, { method: 'POST' })
  world.moedelo.faults.clear()
}

export interface CompanyInput {
  title: string
  preset?: 'Организация' | 'ИП' | 'Физ. лицо'
  requisite?: Record<string, unknown>
  legalAddress?: Record<string, unknown>
}

/** The manager creates a company with a requisite (and a legal address) in the CRM. */
export async function createCompany(world: World, input: CompanyInput): Promise<{ companyId: number; requisiteId: number | null }> {
  const companyId = await world.asManager<number>('crm.company.add', { fields: { TITLE: input.title, ASSIGNED_BY_ID: MANAGER } })
  if (!input.requisite) return { companyId, requisiteId: null }
  const presets = await world.asManager<{ ID: string; NAME: string }[]>('crm.requisite.preset.list', {})
  const preset = presets.find((p) => p.NAME === (input.preset ?? 'Организация'))!
  const requisiteId = await world.asManager<number>('crm.requisite.add', {
    fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: companyId, PRESET_ID: Number(preset.ID), NAME: preset.NAME, ...input.requisite },
  })
  if (input.legalAddress) {
    await world.asManager('crm.address.add', { fields: { TYPE_ID: 6, ENTITY_TYPE_ID: 8, ENTITY_ID: requisiteId, ...input.legalAddress } })
  }
  return { companyId, requisiteId: Number(requisiteId) }
}

export function requisiteOf(world: World, companyId: number): Record<string, unknown> {
  const found = [...world.portal.state.requisites.values()].find((r) => r.ENTITY_TYPE_ID === 4 && r.ENTITY_ID === companyId)
  if (!found) throw new Error(`company ${companyId} has no requisite`)
  return found as unknown as Record<string, unknown>
}

export function legalAddressOf(world: World, requisiteId: number): Record<string, unknown> | undefined {
  return world.portal.state.addresses.find((a) => a.TYPE_ID === 6 && a.ENTITY_TYPE_ID === 8 && a.ENTITY_ID === requisiteId) as
    | Record<string, unknown>
    | undefined
}

export function companyOf(world: World, companyId: number): Record<string, unknown> {
  return world.portal.state.companies.get(companyId) as unknown as Record<string, unknown>
}

export const notificationsFor = (world: World, userId: number) => world.portal.state.notifications.filter((n) => n.userId === userId)

export const commentsOn = (world: World, companyId: number) =>
  world.portal.state.timeline.filter((c) => c.ENTITY_TYPE === 'company' && c.ENTITY_ID === companyId)

export const moedeloCounterparties = (world: World) => [...world.moedelo.firm(MD_KEY).kontragents.values()]

export async function journal(world: World, topic?: string): Promise<{ topic: string; level: string; message: string; entity_id: string | null; details: Record<string, unknown> | null }[]> {
  const all = await rows<{ topic: string; level: string; message: string; entity_id: string | null; details: Record<string, unknown> | null }>(
    world.database.db,
    sql`select topic, level, message, entity_id, details from sync_journal order by id`,
  )
  return topic ? all.filter((j) => j.topic === topic) : all
}

/** Requests the registry emulators received on their vendor routes. */
export async function registryHits(world: World): Promise<number> {
  const [a, b] = await Promise.all([world.dadata.requests(), world.focus.requests()])
  return a.length + b.length
}

export async function clearRegistryLog(world: World): Promise<void> {
  for (const url of [world.dadata.url, world.focus.url]) await fetch(`${url}/__emulator/requests`, { method: 'DELETE' })
}
