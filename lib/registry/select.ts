/**
 * Picking the one record a company card needs from everything the registry returned (spec §5.1, §5.9):
 * the unit with the given KPP; else the head office; for an ИП the active registration, else the newest.
 */
import { registryMessages, RegistryError } from './errors'
import { validateInn } from './identifiers'
import type { RegistryRecord } from './provider'

export interface SelectOptions {
  inn: string
  kpp?: string
}

const newestFirst = (a: RegistryRecord, b: RegistryRecord) =>
  String(b.ogrnDate ?? b.registeredAt ?? '').localeCompare(String(a.ogrnDate ?? a.registeredAt ?? ''))

/** Returns the matching record or throws `RegistryError` `not_found` with a plain-Russian message. */
export function selectRecord(records: readonly RegistryRecord[], options: SelectOptions): RegistryRecord {
  const checked = validateInn(options.inn)
  const inn = checked.ok ? checked.inn : options.inn.trim()
  const own = records.filter((r) => r.inn === inn)
  const kpp = options.kpp?.trim().toUpperCase()

  if (kpp) {
    const unit = own.find((r) => r.kpp === kpp && r.branchType === 'main') ?? own.find((r) => r.kpp === kpp)
    if (unit) return unit
    throw new RegistryError({
      kind: 'not_found',
      message: `no registry record for INN ${inn} with KPP ${kpp}`,
      userMessage: own.length ? registryMessages.notFoundKpp(inn, kpp) : registryMessages.notFoundLegal(inn),
    })
  }

  const soleTraders = own.filter((r) => r.kind === 'sole_trader')
  if (soleTraders.length) return soleTraders.find((r) => r.status === 'active') ?? [...soleTraders].sort(newestFirst)[0]!
  const main = own.find((r) => r.branchType === 'main') ?? own[0]
  if (main) return main
  throw new RegistryError({
    kind: 'not_found',
    message: `no registry record for INN ${inn}`,
    userMessage: inn.length === 12 ? registryMessages.notFoundSoleTrader(inn) : registryMessages.notFoundLegal(inn),
  })
}
