/**
 * One interface per external registry (DaData, Kontur.Focus) and the app's own record type.
 * Vendor shapes never leave `lib/registry/<vendor>/`; everything else sees `RegistryRecord`.
 */

export type RegistryProviderKind = 'dadata' | 'kontur_focus'

export type RegistryStatus = 'active' | 'liquidating' | 'liquidated' | 'bankrupt' | 'reorganizing' | 'unknown'

export type RegistryEntityKind = 'legal_entity' | 'sole_trader'

export interface RegistryDirector {
  /** Person's full name, or a company name when `isCompany` (management company, spec §5.11). */
  name: string
  /** As the registry writes it (DaData: upper case). `null` when unknown. */
  position: string | null
  isCompany: boolean
}

export interface RegistryLink {
  inn: string | null
  ogrn: string | null
  name: string | null
}

export interface RegistryRecord {
  /** Which provider produced this record. */
  provider: RegistryProviderKind
  kind: RegistryEntityKind
  inn: string
  /** Legal entities / branches only; `null` for ИП (never filled with zeros, spec §5.2). */
  kpp: string | null
  /** ОГРН of a legal entity (for foreign representative offices DaData puts an 11-digit НЗА here, spec §1.3). */
  ogrn: string | null
  /** ОГРНИП of an ИП. */
  ogrnip: string | null
  /** `YYYY-MM-DD` of the ОГРН/ОГРНИП record. */
  ogrnDate: string | null
  fullName: string
  shortName: string
  /**
   * Legal address as one line. For ИП registries publish only the city/region
   * (`legalAddressPrecision: 'locality'`), never overwrite a fuller address with it (spec §2.10).
   */
  legalAddress: string | null
  legalAddressPrecision: 'full' | 'locality' | null
  /** The address text as written in EGRUL (DaData `address.data.source`), for audit/compare. */
  legalAddressRaw: string | null
  /** The head (DaData `management`, Focus latest `heads[]`); for an ИП the person. */
  director: RegistryDirector | null
  status: RegistryStatus
  /** EGRUL/EGRIP status code (DaData `state.code`), when known. */
  statusCode: string | null
  /** The registry's own wording (Focus `statusString`). */
  statusText: string | null
  /** `YYYY-MM-DD`: liquidation date, or the date the status took effect when the registry gives one. */
  statusDate: string | null
  /** `main` for the head organisation and every ИП; `branch` for a separate subdivision with its own KPP. */
  branchType: 'main' | 'branch'
  /** Name of the branch (only for `branchType: 'branch'`). */
  branchName: string | null
  /** `YYYY-MM-DD` of registration (of the branch, for branches when known). */
  registeredAt: string | null
  liquidatedAt: string | null
  /** Main activity code (ОКВЭД). */
  okved: string | null
  okvedName: string | null
  /** `2014` = ОКВЭД-2, `2001` = the old classifier. */
  okvedVersion: '2014' | '2001' | null
  /** Successors after reorganisation (spec §5.5) — suggest re-linking the card. */
  successors: RegistryLink[]
  /** `YYYY-MM-DD` the provider vouches the data for (DaData `state.actuality_date`). */
  actualAt: string | null
  /** The provider's own id/link of the record (DaData `hid`, Focus `focusHref`). */
  sourceRef: string | null
}

export interface FindByInnOptions {
  /** Pick one unit by KPP (head office or branch). Records are not filtered otherwise. */
  kpp?: string
}

export interface RegistryProvider {
  readonly kind: RegistryProviderKind
  /**
   * All registry records for an INN: the head organisation and its branches, or every ИП registration of
   * a person. `[]` when the registry knows nothing. Throws `RegistryError` (invalid INN, provider failures).
   */
  findByInn(inn: string, opts?: FindByInnOptions): Promise<RegistryRecord[]>
}
