/**
 * Counterparties: the (portal, INN, branch KPP) mapping between a Bitrix24 company and a MoeDelo
 * counterparty, and field-by-field provenance (registry > MoeDelo > CRM). The flow itself is in
 * lib/sync/counterparties.ts.
 */
export {
  COUNTERPARTY_FIELDS,
  comparable,
  fieldsFromCrm,
  fieldsFromMoeDelo,
  fieldsFromRegistry,
  sameValue,
  SOURCE_PRIORITY,
  type CounterpartyField,
  type CounterpartyFields,
  type FieldSource,
} from './fields'
export {
  currentFields,
  loadProvenance,
  mergeFields,
  type FieldOverwrite,
  type MergeInput,
  type MergeResult,
  type Provenance,
  type ProvenanceEntry,
} from './provenance'
export {
  claimCounterparty,
  counterpartiesByInn,
  counterpartyForCompany,
  FLAGGED_STATUSES,
  getCounterparty,
  recordMoedeloId,
  recordRegistryStatus,
  type ClaimOutcome,
  type CounterpartyKind,
  type CounterpartyRow,
} from './store'
