/**
 * EGRUL/EGRIP lookup by INN through DaData or Kontur.Focus (spec /work/shared/specs/egrul.md).
 *
 *   const provider = withCache(createDaDataProvider({ apiKey }), cache)
 *   const records = await provider.findByInn('7707083893')
 *   const card = selectRecord(records, { inn: '7707083893' })
 */
import { createDaDataProvider, type DaDataProviderOptions } from './dadata'
import { createKonturFocusProvider, type KonturFocusProviderOptions } from './kontur-focus'
import type { RegistryProvider } from './provider'

export type {
  FindByInnOptions,
  RegistryDirector,
  RegistryEntityKind,
  RegistryLink,
  RegistryProvider,
  RegistryProviderKind,
  RegistryRecord,
  RegistryStatus,
} from './provider'
export {
  invalidInnError,
  invalidKppError,
  isRegistryError,
  PROVIDER_LABEL,
  RegistryError,
  registryMessages,
  type RegistryErrorInit,
  type RegistryErrorKind,
} from './errors'
export { isKpp, isOgrn, isOgrnip, normalizeId, validateInn, type InnKind, type InnProblem } from './identifiers'
export {
  DEFAULT_REGISTRY_TTL_SECONDS,
  InMemoryRegistryCache,
  registryCacheKey,
  withCache,
  type RegistryCache,
  type WithCacheOptions,
} from './cache'
export { selectRecord, type SelectOptions } from './select'
export { epochToMoscowDate, msUntilMoscowMidnight } from './dates'
export { createDaDataProvider, DaDataClient, type DaDataClientOptions, type DaDataProviderOptions } from './dadata'
export { createKonturFocusProvider, KonturFocusClient, type KonturFocusClientOptions, type KonturFocusProviderOptions } from './kontur-focus'

export type RegistryProviderConfig =
  | ({ provider: 'dadata' } & DaDataProviderOptions)
  | ({ provider: 'kontur_focus' } & KonturFocusProviderOptions)

/** Builds the configured provider (settings decide which vendor a portal uses). */
export function createRegistryProvider(config: RegistryProviderConfig): RegistryProvider {
  if (config.provider === 'dadata') {
    const { provider: _p, ...options } = config
    return createDaDataProvider(options)
  }
  const { provider: _p, ...options } = config
  return createKonturFocusProvider(options)
}
