/** The app's own view of MoeDelo data (camelCase, readable enums). Vendor shapes live in types.ts. */

/** Legal form (MoeDelo `KontragentForm` 1–4). */
export type CounterpartyForm = 'legal_entity' | 'sole_trader' | 'individual' | 'non_resident'

/** Role in MoeDelo (`KontragentType` 0–4): «Требует внимания», «Покупатель/Поставщик», «Покупатель», «Поставщик», «Другое». */
export type CounterpartyRole = 'unspecified' | 'buyer_and_supplier' | 'buyer' | 'supplier' | 'other'

export interface Counterparty {
  id: number
  name: string
  shortName: string | null
  inn: string | null
  kpp: string | null
  ogrn: string | null
  okpo: string | null
  /** `null` when MoeDelo sent a value we do not know. */
  form: CounterpartyForm | null
  role: CounterpartyRole | null
  isArchived: boolean
  legalAddress: string | null
  actualAddress: string | null
  registrationAddress: string | null
  /** Sole trader's or person's full name. */
  fio: string | null
  signerFio: string | null
  /** «в лице …» */
  inFace: string | null
  position: string | null
  /** «действующего на основании …» */
  inReason: string | null
  subcontoId: number | null
}

export interface CounterpartyInput {
  name: string
  form: CounterpartyForm
  role?: CounterpartyRole
  inn?: string | null
  kpp?: string | null
  ogrn?: string | null
  okpo?: string | null
  shortName?: string | null
  fullName?: string | null
  legalAddress?: string | null
  actualAddress?: string | null
  registrationAddress?: string | null
  fio?: string | null
  siteUrl?: string | null
}

/** MoeDelo wants `Name` on every update (spec §3.1); other fields are sent only when present. */
export type CounterpartyUpdate = Partial<Omit<CounterpartyInput, 'name'>> & { name: string }

export interface Page<T> {
  items: T[]
  pageNo: number
  pageSize: number
  /** Items on this page. */
  count: number
  /** Items matching the query across all pages. */
  totalCount: number
}

export interface ConnectionCheck {
  /** How many counterparties the company has (a cheap sign that the key reads real data). */
  counterpartyCount: number
}

export interface HealthProbe {
  /** The service answered with anything but a server error. */
  reachable: boolean
  status?: number
  /** Why it is not reachable (network error, timeout, 5xx). */
  error?: import('./errors').MoeDeloError
}
