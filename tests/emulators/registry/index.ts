/**
 * EGRUL/EGRIP lookup emulators (spec /work/shared/specs/egrul.md): DaData `findById/party` and
 * Kontur.Focus `req`/`egrDetails`, each a real HTTP server on a loopback port built on
 * `tests/emulators/shared/http.ts` (faults, virtual clock, request log under `/__emulator/`).
 */
export {
  DADATA_BALANCE_PATH,
  DADATA_DEMO_API_KEY,
  DADATA_DEMO_SECRET_KEY,
  DADATA_FIND_PARTY_PATH,
  DADATA_STAT_PATH,
  defaultDaDataSwitches,
  normalizeDaDataRecords,
  startDaDataEmulator,
  type DaDataEmulator,
  type DaDataEmulatorOptions,
  type DaDataSwitches,
} from './dadata'
export { ADDRESS_DATA_KEYS, dadataAddress, dadataParty, defaultDaDataRecords, type DaDataSuggestion } from './dadata-seed'
export {
  defaultFocusSwitches,
  FOCUS_DEMO_KEY,
  FOCUS_EGR_DETAILS_PATH,
  FOCUS_REQ_PATH,
  normalizeFocusEntities,
  startKonturFocusEmulator,
  type FocusSwitches,
  type KonturFocusEmulator,
  type KonturFocusEmulatorOptions,
} from './focus'
export { defaultFocusEntities, type FocusEntity } from './focus-seed'

/** Identifiers of the seed entities (both emulators serve the same ones, spec §6). */
export const SEED = {
  sberbank: { inn: '7707083893', ogrn: '1027700132195', kpp: '773601001', branchKpp: '540602001' },
  alfaBank: { inn: '7728168971', ogrn: '1027700067328', kpp: '770801001', branchKpp: '667143001' },
  yandex: { inn: '7736207543', ogrn: '1027700229193', kpp: '770501001' },
  kontur: { inn: '6663003127', ogrn: '1026605606620', kpp: '667101001', branchKpps: ['590443001', '771543001'] },
  /** LIQUIDATED 2012-09-17, code 201. */
  avaps: { inn: '7709809066', ogrn: '5087746425509' },
  /** СИНТЕТИКА: REORGANIZING (code 124) into `successor`. */
  reorganizing: { inn: '7712345671', ogrn: '1177746123455' },
  successor: { inn: '7709876545', ogrn: '1027700987654' },
  /** СИНТЕТИКА: BANKRUPT (code 114). */
  bankrupt: { inn: '5001234561', ogrn: '1155000123453' },
  /** СИНТЕТИКА: LIQUIDATING (code 101). */
  liquidating: { inn: '7801123455', ogrn: '1197847123451' },
  /** СИНТЕТИКА: ИП, ACTIVE record + older LIQUIDATED one with another ОГРНИП. */
  soleTrader: { inn: '770123456703', ogrnip: '321774600123451', closedOgrnip: '316774600123454' },
  /** ИП of the Focus docs sample, ceased 2018-01-10. */
  closedSoleTrader: { inn: '561100409545', ogrnip: '309565808600188' },
  /** Checksum-valid INNs that are in no seed (spec §1.5). */
  unknownInns: ['1234567894', '123456789047', '366220664163', '7723456782', '5031234569', '500312345614'],
} as const
