/** Kontur.Focus `req` + `egrDetails` as a `RegistryProvider`. */
import { invalidInnError, invalidKppError } from '../errors'
import { isKpp, validateInn } from '../identifiers'
import type { FindByInnOptions, RegistryProvider, RegistryRecord } from '../provider'
import { KonturFocusClient, type KonturFocusClientOptions } from './client'
import { mapFocusResponse } from './mapper'

export { FOCUS_API_URL, KonturFocusClient, type FocusIds, type KonturFocusClientOptions } from './client'
export { formatFocusAddress, mapFocusEntity, mapFocusResponse } from './mapper'
export { egrDetailsResponseSchema, reqResponseSchema, type FocusEgrDetailsItem, type FocusReqItem } from './schema'

export interface KonturFocusProviderOptions extends KonturFocusClientOptions {
  /**
   * Also call `/api3/egrDetails` for OKVED, ОГРН date and successors (default true). It is a second
   * paid request, made only when `/api3/req` found something.
   */
  egrDetails?: boolean
}

export function createKonturFocusProvider(options: KonturFocusProviderOptions): RegistryProvider {
  const client = new KonturFocusClient(options)
  const withDetails = options.egrDetails ?? true
  return {
    kind: 'kontur_focus',
    async findByInn(rawInn: string, opts: FindByInnOptions = {}): Promise<RegistryRecord[]> {
      const checked = validateInn(rawInn)
      if (!checked.ok) throw invalidInnError(checked.reason)
      const kpp = opts.kpp?.trim().toUpperCase()
      if (kpp !== undefined && kpp !== '' && !isKpp(kpp)) throw invalidKppError()
      const ids = { inn: [checked.inn] }
      const req = (await client.req(ids)).filter((item) => item.inn === checked.inn)
      if (req.length === 0) return []
      const details = withDetails ? await client.egrDetails(ids) : []
      const records = mapFocusResponse(req, details)
      // Focus nests branches in one record; a KPP pins one unit the way DaData's `kpp` filter does.
      return kpp ? records.filter((r) => r.kpp === kpp) : records
    },
  }
}
