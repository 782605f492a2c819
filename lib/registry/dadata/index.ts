/** DaData `findById/party` as a `RegistryProvider`. */
import { invalidInnError, invalidKppError } from '../errors'
import { isKpp, validateInn } from '../identifiers'
import type { FindByInnOptions, RegistryProvider, RegistryRecord } from '../provider'
import { DaDataClient, type DaDataClientOptions } from './client'
import { mapDaDataSuggestion } from './mapper'
import type { FindPartyRequest } from './schema'

export { DaDataClient, DADATA_ACCOUNT_URL, DADATA_SUGGESTIONS_URL, FIND_PARTY_PATH, STAT_DAILY_PATH, type DaDataClientOptions } from './client'
export { mapDaDataSuggestion } from './mapper'
export { findPartyResponseSchema, partyDataSchema, suggestionSchema, type DaDataSuggestion, type FindPartyRequest } from './schema'

export interface DaDataProviderOptions extends DaDataClientOptions {
  /** Records per lookup — the head plus branches (DaData allows up to 300). Default 300. */
  count?: number
}

export function createDaDataProvider(options: DaDataProviderOptions): RegistryProvider {
  const client = new DaDataClient(options)
  const count = options.count ?? 300
  return {
    kind: 'dadata',
    async findByInn(rawInn: string, opts: FindByInnOptions = {}): Promise<RegistryRecord[]> {
      const checked = validateInn(rawInn)
      if (!checked.ok) throw invalidInnError(checked.reason)
      const kpp = opts.kpp?.trim().toUpperCase()
      if (kpp !== undefined && kpp !== '' && !isKpp(kpp)) throw invalidKppError()
      // 10 digits → LEGAL, 12 → INDIVIDUAL (spec §5.8): a person's INN must not match anything else.
      const request: FindPartyRequest = { query: checked.inn, count, type: checked.kind }
      if (kpp) request.kpp = kpp
      const suggestions = await client.findParty(request)
      return suggestions.map(mapDaDataSuggestion).filter((r) => r.inn === checked.inn)
    },
  }
}
