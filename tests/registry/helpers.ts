/** Shared setup for the registry provider tests: both emulators and providers pointed at them. */
import {
  DADATA_DEMO_API_KEY,
  DADATA_DEMO_SECRET_KEY,
  FOCUS_DEMO_KEY,
  startDaDataEmulator,
  startKonturFocusEmulator,
  type DaDataEmulator,
  type KonturFocusEmulator,
} from '@/tests/emulators/registry'
import { createDaDataProvider, createKonturFocusProvider, RegistryError, type RegistryProvider } from '@/lib/registry'

export interface Emulators {
  dadata: DaDataEmulator
  focus: KonturFocusEmulator
}

export async function startEmulators(): Promise<Emulators> {
  const [dadata, focus] = await Promise.all([startDaDataEmulator(), startKonturFocusEmulator()])
  return { dadata, focus }
}

export async function stopEmulators(emus: Emulators): Promise<void> {
  await Promise.all([emus.dadata.close(), emus.focus.close()])
}

export async function resetEmulators(emus: Emulators): Promise<void> {
  for (const url of [emus.dadata.url, emus.focus.url]) {
    await fetch(`${url}/__emulator/reset`, { method: 'POST' })
    await fetch(`${url}/__emulator/requests`, { method: 'DELETE' })
  }
}

export const dadataProvider = (emus: Emulators, overrides: Partial<Parameters<typeof createDaDataProvider>[0]> = {}) =>
  createDaDataProvider({ baseUrl: emus.dadata.url, apiKey: DADATA_DEMO_API_KEY, secretKey: DADATA_DEMO_SECRET_KEY, timeoutMs: 5_000, ...overrides })

export const focusProvider = (emus: Emulators, overrides: Partial<Parameters<typeof createKonturFocusProvider>[0]> = {}) =>
  createKonturFocusProvider({ baseUrl: emus.focus.url, apiKey: FOCUS_DEMO_KEY, timeoutMs: 5_000, ...overrides })

export interface ProviderCase {
  name: 'dadata' | 'kontur_focus'
  make(emus: Emulators): RegistryProvider
  emulator(emus: Emulators): DaDataEmulator | KonturFocusEmulator
}

export const PROVIDERS: ProviderCase[] = [
  { name: 'dadata', make: (e) => dadataProvider(e), emulator: (e) => e.dadata },
  { name: 'kontur_focus', make: (e) => focusProvider(e), emulator: (e) => e.focus },
]

/** Runs `fn`, expecting a `RegistryError`; returns it. */
export async function registryError(fn: () => Promise<unknown>): Promise<RegistryError> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof RegistryError) return error
    throw error
  }
  throw new Error('expected a RegistryError, got success')
}
