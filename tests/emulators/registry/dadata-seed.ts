/**
 * DaData `findById/party` records in the vendor's own JSON shape (spec §2.3, §2.7–§2.9).
 *
 * The Сбербанк head office is the captured fixture of spec §2.7 as given there (only `licenses`,
 * `phones` and `emails` were already shortened in the spec). Other records are built with
 * `dadataParty()`, which fills the complete key set with `null`s like real responses do.
 * Synthetic records (marked СИНТЕТИКА) use checksum-valid identifiers invented for the emulator.
 */
import { epoch, fakeHid } from './util'

/** One element of `suggestions[]`: `{ value, unrestricted_value, data }`. */
export interface DaDataSuggestion {
  value: string
  unrestricted_value: string
  data: Record<string, unknown> & { inn: string; ogrn?: string | null; type: 'LEGAL' | 'INDIVIDUAL' }
}

/** Every key of `address.data` in the captured response (spec §2.7), in order. */
export const ADDRESS_DATA_KEYS = [
  'postal_code', 'country', 'country_iso_code', 'federal_district', 'region_fias_id', 'region_kladr_id',
  'region_iso_code', 'region_with_type', 'region_type', 'region_type_full', 'region', 'area_fias_id', 'area_kladr_id',
  'area_with_type', 'area_type', 'area_type_full', 'area', 'city_fias_id', 'city_kladr_id', 'city_with_type',
  'city_type', 'city_type_full', 'city', 'city_area', 'city_district_fias_id', 'city_district_kladr_id',
  'city_district_with_type', 'city_district_type', 'city_district_type_full', 'city_district', 'settlement_fias_id',
  'settlement_kladr_id', 'settlement_with_type', 'settlement_type', 'settlement_type_full', 'settlement',
  'street_fias_id', 'street_kladr_id', 'street_with_type', 'street_type', 'street_type_full', 'street',
  'stead_fias_id', 'stead_cadnum', 'stead_type', 'stead_type_full', 'stead', 'house_fias_id', 'house_kladr_id',
  'house_cadnum', 'house_flat_count', 'house_type', 'house_type_full', 'house', 'block_type', 'block_type_full',
  'block', 'entrance', 'floor', 'flat_fias_id', 'flat_cadnum', 'flat_type', 'flat_type_full', 'flat', 'flat_area',
  'square_meter_price', 'flat_price', 'room_fias_id', 'room_cadnum', 'room_type', 'room_type_full', 'room',
  'postal_box', 'fias_id', 'fias_code', 'fias_level', 'fias_actuality_state', 'kladr_id', 'geoname_id',
  'capital_marker', 'okato', 'oktmo', 'tax_office', 'tax_office_legal', 'timezone', 'geo_lat', 'geo_lon',
  'beltway_hit', 'beltway_distance', 'metro', 'divisions', 'qc_geo', 'qc_complete', 'qc_house', 'history_values',
  'unparsed_parts', 'source', 'qc',
] as const

/** Keys of `data` for a legal entity / branch (spec §2.7), in the captured order. */
const LEGAL_KEYS = [
  'kpp', 'kpp_largest', 'capital', 'invalid', 'management', 'founders', 'managers', 'predecessors', 'successors',
  'branch_type', 'branch_count', 'source', 'qc', 'hid', 'type', 'state', 'opf', 'name', 'inn', 'ogrn', 'okpo',
  'okato', 'oktmo', 'okogu', 'okfs', 'okved', 'okveds', 'authorities', 'documents', 'licenses', 'finance', 'address',
  'phones', 'emails', 'sites', 'ogrn_date', 'okved_type', 'finance_history', 'employee_count',
] as const

/** Keys of `data` for an ИП (spec §2.8): no kpp, management, branch_*, founders, managers, capital. */
const INDIVIDUAL_KEYS = [
  'citizenship', 'fio', 'source', 'qc', 'hid', 'type', 'state', 'opf', 'name', 'inn', 'ogrn', 'okpo', 'okato',
  'oktmo', 'okogu', 'okfs', 'okved', 'okveds', 'authorities', 'documents', 'licenses', 'finance', 'address', 'phones',
  'emails', 'sites', 'ogrn_date', 'okved_type', 'finance_history', 'employee_count',
] as const

export interface AddressInput {
  /** Standardised one-line address without postal code (`address.value`). */
  value: string
  /** With postal code and district (`address.unrestricted_value`); defaults to `value`. */
  unrestricted?: string
  /** Any `address.data` keys; the rest are null. `source` = the EGRUL text. */
  data?: Partial<Record<(typeof ADDRESS_DATA_KEYS)[number], unknown>>
}

export function dadataAddress(input: AddressInput): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const key of ADDRESS_DATA_KEYS) data[key] = input.data?.[key] ?? null
  return { value: input.value, unrestricted_value: input.unrestricted ?? input.value, invalidity: null, data }
}

/**
 * Builds a full `suggestions[]` element: the complete key set of the record type with `null`s, then
 * the given fields. `value` = `short_with_opf`, else `full_with_opf` (spec §2.2).
 */
export function dadataParty(fields: Record<string, unknown> & { inn: string; type: 'LEGAL' | 'INDIVIDUAL' }): DaDataSuggestion {
  const keys = fields.type === 'LEGAL' ? LEGAL_KEYS : INDIVIDUAL_KEYS
  const data: Record<string, unknown> = {}
  for (const key of keys) data[key] = null
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) data[key] = value
  if (!data.hid) data.hid = fakeHid('dadata', String(fields.inn), String(fields.ogrn ?? ''), String(fields.kpp ?? ''))
  const name = (data.name ?? {}) as Record<string, unknown>
  const value = String(name.short_with_opf ?? name.full_with_opf ?? '')
  return { value, unrestricted_value: value, data: data as DaDataSuggestion['data'] }
}

const state = (status: string, registration: string, opts: { code?: string | null; liquidation?: string; actuality?: string } = {}) => ({
  status,
  code: opts.code ?? null,
  actuality_date: epoch(opts.actuality ?? opts.liquidation ?? '2026-04-01'),
  registration_date: epoch(registration),
  liquidation_date: opts.liquidation ? epoch(opts.liquidation) : null,
})

const OPF = {
  PAO: { type: '2014', code: '12247', full: 'Публичное акционерное общество', short: 'ПАО' },
  AO: { type: '2014', code: '12267', full: 'Непубличное акционерное общество', short: 'АО' },
  OOO: { type: '2014', code: '12300', full: 'Общество с ограниченной ответственностью', short: 'ООО' },
  IP: { type: '2014', code: '50102', full: 'Индивидуальный предприниматель', short: 'ИП' },
}

const okveds = (main: [string, string], ...others: [string, string][]) => [
  { main: true, type: '2014', code: main[0], name: main[1] },
  ...others.map(([code, name]) => ({ main: false, type: '2014', code, name })),
]

const moscow = (extra: AddressInput['data']) => ({
  country: 'Россия', country_iso_code: 'RU', federal_district: 'Центральный',
  region_fias_id: '0c5b2444-70a0-4932-980c-b4dc0d3f02b5', region_kladr_id: '7700000000000', region_iso_code: 'RU-MOW',
  region_with_type: 'г Москва', region_type: 'г', region_type_full: 'город', region: 'Москва',
  city_fias_id: '0c5b2444-70a0-4932-980c-b4dc0d3f02b5', city_kladr_id: '7700000000000', city_with_type: 'г Москва',
  city_type: 'г', city_type_full: 'город', city: 'Москва', capital_marker: '0', timezone: 'UTC+3', qc: '0',
  ...extra,
})

const director = (name: string, post: string, start: string) => ({ name, post, start_date: epoch(start), disqualified: null })

// ---------------------------------------------------------------------------------------------
// ПАО Сбербанк — captured fixture (spec §2.7), verbatim.
// ---------------------------------------------------------------------------------------------
export const SBERBANK_MAIN: DaDataSuggestion = {
  value: 'ПАО СБЕРБАНК', unrestricted_value: 'ПАО СБЕРБАНК',
  data: {
    kpp: '773601001', kpp_largest: null, capital: { type: 'УСТАВНЫЙ КАПИТАЛ', value: 67760844000.0 },
    invalid: null,
    management: { name: 'Греф Герман Оскарович', post: 'ПРЕЗИДЕНТ, ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ', start_date: 1254690000000, disqualified: null },
    founders: null,
    managers: [
      {
        inn: '770303580308',
        fio: { surname: 'Греф', name: 'Герман', patronymic: 'Оскарович', gender: 'MALE', source: 'ГРЕФ ГЕРМАН ОСКАРОВИЧ', qc: null },
        post: 'ПРЕЗИДЕНТ, ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ',
        hid: 'c7566f19aea28a24766b66ad9ef8f21c60cd8292a43338fbf9d705f88cec9a90', type: 'EMPLOYEE',
        invalidity: null, start_date: 1254690000000,
      },
    ],
    predecessors: null, successors: null, branch_type: 'MAIN', branch_count: 86, source: null,
    qc: null, hid: '588a141bc5e17cbc976ec2d0d54149af49d5a4ca16e26ed2effafdf06841d645', type: 'LEGAL',
    state: { status: 'ACTIVE', code: null, actuality_date: 1775001600000, registration_date: 677376000000, liquidation_date: null },
    opf: { type: '2014', code: '12247', full: 'Публичное акционерное общество', short: 'ПАО' },
    name: { full_with_opf: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"', short_with_opf: 'ПАО СБЕРБАНК', latin: null, full: 'СБЕРБАНК РОССИИ', short: 'СБЕРБАНК' },
    inn: '7707083893', ogrn: '1027700132195', okpo: '00032537', okato: '45293554000',
    oktmo: '45397000000', okogu: '4100104', okfs: '41', okved: '64.19',
    okveds: [
      { main: true, type: '2014', code: '64.19', name: 'Денежное посредничество прочее' },
      { main: false, type: '2014', code: '62.09', name: 'Деятельность, связанная с использованием вычислительной техники и информационных технологий, прочая' },
    ],
    authorities: {
      fts_registration: { type: 'FEDERAL_TAX_SERVICE', code: '7700', name: 'Управление Федеральной налоговой службы по г.Москве', address: '125284, г.Москва, Хорошевское ш., 12А' },
      fts_report: { type: 'FEDERAL_TAX_SERVICE', code: '7736', name: 'Инспекция Федеральной налоговой службы № 36 по г.Москве', address: null },
      pf: { type: 'PENSION_FUND', code: '077', name: 'Отделение Фонда пенсионного и социального страхования Российской Федерации по г. Москве и Московской области', address: null },
      sif: { type: 'SOCIAL_INSURANCE_FUND', code: '077', name: 'Отделение Фонда пенсионного и социального страхования Российской Федерации по г. Москве и Московской области', address: null },
    },
    documents: {
      fts_registration: { type: 'FTS_REGISTRATION', series: '77', number: '4856976', issue_date: 1029456000000, issue_authority: '7700' },
      fts_report: { type: 'FTS_REPORT', series: null, number: null, issue_date: 1483920000000, issue_authority: '7736' },
      pf_registration: { type: 'PF_REGISTRATION', series: null, number: '1339827378', issue_date: 1283472000000, issue_authority: '077' },
      sif_registration: { type: 'SIF_REGISTRATION', series: null, number: '1339827378', issue_date: 978566400000, issue_authority: '077' },
      smb: null,
    },
    licenses: [
      {
        series: null, number: '045-02894-100000', issue_date: 975283200000, issue_authority: 'Центральный банк Российской Федерации',
        suspend_date: null, suspend_authority: null, valid_from: 1444089600000, valid_to: null,
        activities: ['Брокерская деятельность'], addresses: null,
      },
    ],
    finance: null,
    address: {
      value: 'г Москва, ул Вавилова, д 19',
      unrestricted_value: '117312, г Москва, Академический р-н, ул Вавилова, д 19', invalidity: null,
      data: {
        postal_code: '117312', country: 'Россия', country_iso_code: 'RU', federal_district: 'Центральный',
        region_fias_id: '0c5b2444-70a0-4932-980c-b4dc0d3f02b5', region_kladr_id: '7700000000000',
        region_iso_code: 'RU-MOW', region_with_type: 'г Москва', region_type: 'г',
        region_type_full: 'город', region: 'Москва', area_fias_id: null, area_kladr_id: null,
        area_with_type: null, area_type: null, area_type_full: null, area: null,
        city_fias_id: '0c5b2444-70a0-4932-980c-b4dc0d3f02b5', city_kladr_id: '7700000000000',
        city_with_type: 'г Москва', city_type: 'г', city_type_full: 'город', city: 'Москва',
        city_area: 'Юго-западный', city_district_fias_id: null, city_district_kladr_id: null,
        city_district_with_type: 'Академический р-н', city_district_type: 'р-н',
        city_district_type_full: 'район', city_district: 'Академический', settlement_fias_id: null,
        settlement_kladr_id: null, settlement_with_type: null, settlement_type: null,
        settlement_type_full: null, settlement: null,
        street_fias_id: '25f8f29b-b110-40ab-a48e-9c72f5fb4331', street_kladr_id: '77000000000092400',
        street_with_type: 'ул Вавилова', street_type: 'ул', street_type_full: 'улица', street: 'Вавилова',
        stead_fias_id: null, stead_cadnum: null, stead_type: null, stead_type_full: null, stead: null,
        house_fias_id: '93409d8c-d8d4-4491-838f-f9aa1678b5e6', house_kladr_id: '7700000000009240170',
        house_cadnum: '77:06:0002008:1036', house_flat_count: '0', house_type: 'д',
        house_type_full: 'дом', house: '19', block_type: null, block_type_full: null, block: null,
        entrance: null, floor: null, flat_fias_id: null, flat_cadnum: null, flat_type: null,
        flat_type_full: null, flat: null, flat_area: '-1', square_meter_price: '-1', flat_price: null,
        room_fias_id: null, room_cadnum: null, room_type: null, room_type_full: null, room: null,
        postal_box: null, fias_id: '93409d8c-d8d4-4491-838f-f9aa1678b5e6',
        fias_code: '77000000000000009240170', fias_level: '8', fias_actuality_state: '0',
        kladr_id: '7700000000009240170', geoname_id: '524901', capital_marker: '0', okato: '45293554000',
        oktmo: '45397000', tax_office: '7736', tax_office_legal: '7736', timezone: 'UTC+3',
        geo_lat: '55.7001539', geo_lon: '37.5801112', beltway_hit: 'IN_MKAD', beltway_distance: null,
        metro: [
          { name: 'Ленинский проспект', line: 'Калужско-Рижская', distance: 0.8 },
          { name: 'Площадь Гагарина', line: 'МЦК', distance: 0.8 },
          { name: 'Академическая', line: 'Калужско-Рижская', distance: 1.5 },
        ],
        divisions: null, qc_geo: '0', qc_complete: null, qc_house: null, history_values: null,
        unparsed_parts: null, source: '117312, Г.МОСКВА, УЛ. ВАВИЛОВА, Д.19', qc: '0',
      },
    },
    phones: [
      {
        value: '+7 495 9747387', unrestricted_value: '+7 495 9747387',
        data: {
          contact: null, origins: null, source: '(495) 9747387', qc: null, type: 'Прямой мобильный',
          number: '9747387', extension: null, provider: 'ПАО "Мобильные ТелеСистемы"', country: null,
          region: 'Москва', city: null, timezone: 'UTC+3', country_code: '7', city_code: '495', qc_conflict: null,
        },
      },
    ],
    emails: [
      {
        value: 'CFO_SPB@SBERBANK.RU', unrestricted_value: 'CFO_SPB@SBERBANK.RU',
        data: {
          local: 'CFO_SPB', domain: 'SBERBANK.RU', type: null,
          source: 'CFO_SPb@sberbank.ru, Ibragimova_A_R@moek.ru, Info@altay-hotel.ru, Lebedyanskaya.An.Ig@sberbank.ru', qc: null,
        },
      },
    ],
    sites: null, ogrn_date: 1029456000000, okved_type: '2014', finance_history: null, employee_count: null,
  },
}

const SBER_COMMON = {
  inn: '7707083893', ogrn: '1027700132195', okpo: '00032537', okogu: '4100104', okfs: '41', okved: '64.19',
  opf: OPF.PAO, ogrn_date: epoch('2002-08-16'), okved_type: '2014',
}

/** Сибирский банк — a branch with its own KPP `540602001` (spec §1.2, §2.2). */
export const SBERBANK_BRANCH_SIBERIA = dadataParty({
  ...SBER_COMMON,
  type: 'LEGAL',
  kpp: '540602001',
  branch_type: 'BRANCH',
  branch_count: 0,
  // Branch `management` is null — likely but [unverified] (spec §2.3, §8).
  name: { full_with_opf: 'СИБИРСКИЙ БАНК ПАО СБЕРБАНК', short_with_opf: 'СИБИРСКИЙ БАНК ПАО СБЕРБАНК', latin: null, full: 'СИБИРСКИЙ БАНК ПАО СБЕРБАНК', short: null },
  state: state('ACTIVE', '1997-01-20'),
  okato: '50401386000', oktmo: '50701000001',
  address: dadataAddress({
    value: 'г Новосибирск, ул Серебренниковская, д 20',
    unrestricted: '630007, Новосибирская обл, г Новосибирск, Центральный р-н, ул Серебренниковская, д 20',
    data: {
      postal_code: '630007', country: 'Россия', country_iso_code: 'RU', federal_district: 'Сибирский',
      region_with_type: 'Новосибирская обл', region_type: 'обл', region_type_full: 'область', region: 'Новосибирская',
      region_kladr_id: '5400000000000', region_iso_code: 'RU-NVS', city_with_type: 'г Новосибирск', city_type: 'г',
      city_type_full: 'город', city: 'Новосибирск', city_kladr_id: '5400000100000', street_with_type: 'ул Серебренниковская',
      street_type: 'ул', street_type_full: 'улица', street: 'Серебренниковская', house_type: 'д', house_type_full: 'дом',
      house: '20', tax_office: '5406', timezone: 'UTC+7', source: '630007, Г.НОВОСИБИРСК, УЛ. СЕРЕБРЕННИКОВСКАЯ, Д.20', qc: '0',
    },
  }),
})

const ALFA_COMMON = {
  inn: '7728168971', ogrn: '1027700067328', okpo: '09610444', okogu: '4210014', okfs: '16', okved: '64.19',
  opf: OPF.AO, ogrn_date: epoch('2002-07-26'), okved_type: '2014',
  okveds: okveds(['64.19', 'Денежное посредничество прочее']),
}

export const ALFA_MAIN = dadataParty({
  ...ALFA_COMMON,
  type: 'LEGAL',
  kpp: '770801001',
  branch_type: 'MAIN',
  branch_count: 7,
  management: director('Верхошинский Владимир Вячеславович', 'ПРЕДСЕДАТЕЛЬ ПРАВЛЕНИЯ', '2021-07-05'),
  name: { full_with_opf: 'АКЦИОНЕРНОЕ ОБЩЕСТВО "АЛЬФА-БАНК"', short_with_opf: 'АО "АЛЬФА-БАНК"', latin: null, full: 'АЛЬФА-БАНК', short: 'АЛЬФА-БАНК' },
  state: state('ACTIVE', '1991-01-10'),
  okato: '45286555000', oktmo: '45378000000',
  address: dadataAddress({
    value: 'г Москва, ул Каланчевская, д 27',
    unrestricted: '107078, г Москва, Красносельский р-н, ул Каланчевская, д 27',
    data: moscow({
      postal_code: '107078', city_district_with_type: 'Красносельский р-н', city_district_type: 'р-н',
      city_district_type_full: 'район', city_district: 'Красносельский', street_with_type: 'ул Каланчевская',
      street_type: 'ул', street_type_full: 'улица', street: 'Каланчевская', house_type: 'д', house_type_full: 'дом',
      house: '27', tax_office: '7708', source: '107078, Г.МОСКВА, УЛ. КАЛАНЧЕВСКАЯ, Д.27',
    }),
  }),
})

/** Альфа-Банк Екатеринбург branch, KPP `667143001` (from DaData's own tests, spec §1.2). */
export const ALFA_BRANCH_EKB = dadataParty({
  ...ALFA_COMMON,
  type: 'LEGAL',
  kpp: '667143001',
  branch_type: 'BRANCH',
  branch_count: 0,
  name: {
    full_with_opf: 'ФИЛИАЛ "ЕКАТЕРИНБУРГСКИЙ" АО "АЛЬФА-БАНК"', short_with_opf: 'ФИЛИАЛ "ЕКАТЕРИНБУРГСКИЙ" АО "АЛЬФА-БАНК"',
    latin: null, full: 'ФИЛИАЛ "ЕКАТЕРИНБУРГСКИЙ" АО "АЛЬФА-БАНК"', short: null,
  },
  state: state('ACTIVE', '2004-03-01'),
  okato: '65401000000', oktmo: '65701000001',
  address: dadataAddress({
    value: 'г Екатеринбург, ул Маршала Жукова, д 5',
    unrestricted: '620014, Свердловская обл, г Екатеринбург, ул Маршала Жукова, д 5',
    data: {
      postal_code: '620014', country: 'Россия', country_iso_code: 'RU', federal_district: 'Уральский',
      region_with_type: 'Свердловская обл', region_type: 'обл', region_type_full: 'область', region: 'Свердловская',
      city_with_type: 'г Екатеринбург', city_type: 'г', city_type_full: 'город', city: 'Екатеринбург',
      street_with_type: 'ул Маршала Жукова', street_type: 'ул', street_type_full: 'улица', street: 'Маршала Жукова',
      house_type: 'д', house_type_full: 'дом', house: '5', tax_office: '6671', timezone: 'UTC+5',
      source: '620014, Г.ЕКАТЕРИНБУРГ, УЛ. МАРШАЛА ЖУКОВА, Д.5', qc: '0',
    },
  }),
})

export const YANDEX_MAIN = dadataParty({
  type: 'LEGAL',
  inn: '7736207543', ogrn: '1027700229193', kpp: '770501001', okpo: '55209773', okogu: '4210014', okfs: '16',
  okved: '62.01', okved_type: '2014', opf: OPF.OOO, ogrn_date: epoch('2002-09-05'),
  okveds: okveds(['62.01', 'Разработка компьютерного программного обеспечения'], ['63.11', 'Деятельность по обработке данных, предоставление услуг по размещению информации и связанная с этим деятельность']),
  branch_type: 'MAIN', branch_count: 0,
  management: director('Савиновский Артем Геннадьевич', 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', '2022-07-01'),
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЯНДЕКС"', short_with_opf: 'ООО "ЯНДЕКС"', latin: null, full: 'ЯНДЕКС', short: 'ЯНДЕКС' },
  state: state('ACTIVE', '2000-09-21'),
  okato: '45286590000', oktmo: '45383000000',
  address: dadataAddress({
    value: 'г Москва, ул Льва Толстого, д 16',
    unrestricted: '119021, г Москва, р-н Хамовники, ул Льва Толстого, д 16',
    data: moscow({
      postal_code: '119021', city_district_with_type: 'р-н Хамовники', city_district_type: 'р-н', city_district_type_full: 'район',
      city_district: 'Хамовники', street_with_type: 'ул Льва Толстого', street_type: 'ул', street_type_full: 'улица',
      street: 'Льва Толстого', house_type: 'д', house_type_full: 'дом', house: '16', tax_office: '7704',
      source: '119021, Г.МОСКВА, УЛ. ЛЬВА ТОЛСТОГО, Д.16',
    }),
  }),
})

const KONTUR_COMMON = {
  inn: '6663003127', ogrn: '1026605606620', okpo: '00242766', okogu: '4210014', okfs: '16', okved: '62.01',
  okved_type: '2014', opf: OPF.AO, ogrn_date: epoch('2002-07-19'),
  okveds: okveds(['62.01', 'Разработка компьютерного программного обеспечения'], ['62.02', 'Деятельность консультативная и работы в области компьютерных технологий']),
}

const ekbAddress = (value: string, unrestricted: string, data: AddressInput['data']) =>
  dadataAddress({
    value,
    unrestricted,
    data: {
      country: 'Россия', country_iso_code: 'RU', federal_district: 'Уральский', region_with_type: 'Свердловская обл',
      region_type: 'обл', region_type_full: 'область', region: 'Свердловская', city_with_type: 'г Екатеринбург',
      city_type: 'г', city_type_full: 'город', city: 'Екатеринбург', timezone: 'UTC+5', qc: '0', ...data,
    },
  })

/** АО «ПФ «СКБ Контур» — the Focus documentation entity (spec §3.4), rendered as DaData would. */
export const KONTUR_MAIN = dadataParty({
  ...KONTUR_COMMON,
  type: 'LEGAL',
  kpp: '667101001', branch_type: 'MAIN', branch_count: 2,
  management: director('Филатов Евгений Юрьевич', 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', '2019-01-28'),
  name: {
    full_with_opf: 'АКЦИОНЕРНОЕ ОБЩЕСТВО "ПРОИЗВОДСТВЕННАЯ ФИРМА "СКБ КОНТУР"', short_with_opf: 'АО "ПФ "СКБ КОНТУР"',
    latin: null, full: 'ПРОИЗВОДСТВЕННАЯ ФИРМА "СКБ КОНТУР"', short: 'ПФ "СКБ КОНТУР"',
  },
  state: state('ACTIVE', '1992-03-26'),
  okato: '65401377000', oktmo: '65701000001',
  address: ekbAddress(
    'г Екатеринбург, ул Народной Воли, стр 19А',
    '620144, Свердловская обл, г Екатеринбург, ул Народной Воли, стр 19А',
    {
      postal_code: '620144', street_with_type: 'ул Народной Воли', street_type: 'ул', street_type_full: 'улица',
      street: 'Народной Воли', block_type: 'стр', block_type_full: 'строение', block: '19А', tax_office: '6671',
      source: '620144, ОБЛАСТЬ СВЕРДЛОВСКАЯ, ГОРОД ЕКАТЕРИНБУРГ, УЛИЦА НАРОДНОЙ ВОЛИ, СТРОЕНИЕ 19А',
    },
  ),
})

export const KONTUR_BRANCH_PERM = dadataParty({
  ...KONTUR_COMMON,
  type: 'LEGAL',
  kpp: '590443001', branch_type: 'BRANCH', branch_count: 0,
  name: { full_with_opf: 'ПЕРМСКИЙ ФИЛИАЛ АО "ПФ "СКБ КОНТУР"', short_with_opf: 'ПЕРМСКИЙ ФИЛИАЛ АО "ПФ "СКБ КОНТУР"', latin: null, full: 'ПЕРМСКИЙ ФИЛИАЛ АО "ПФ "СКБ КОНТУР"', short: null },
  state: state('ACTIVE', '2018-05-24'),
  address: dadataAddress({
    value: 'г Пермь, ул Куйбышева, д 95Б, помещ 1',
    unrestricted: '614010, Пермский край, г Пермь, Ленинский р-н, ул Куйбышева, д 95Б, помещ 1',
    data: {
      postal_code: '614010', country: 'Россия', country_iso_code: 'RU', federal_district: 'Приволжский',
      region_with_type: 'Пермский край', region_type: 'край', region_type_full: 'край', region: 'Пермский',
      city_with_type: 'г Пермь', city_type: 'г', city_type_full: 'город', city: 'Пермь', street_with_type: 'ул Куйбышева',
      street_type: 'ул', street_type_full: 'улица', street: 'Куйбышева', house_type: 'д', house_type_full: 'дом',
      house: '95Б', flat_type: 'помещ', flat_type_full: 'помещение', flat: '1', tax_office: '5904', timezone: 'UTC+5',
      source: '614010, КРАЙ ПЕРМСКИЙ, ГОРОД ПЕРМЬ, УЛИЦА КУЙБЫШЕВА, ДОМ 95, КОРПУС Б, ПОМЕЩЕНИЕ 1', qc: '0',
    },
  }),
})

export const KONTUR_BRANCH_MOSCOW = dadataParty({
  ...KONTUR_COMMON,
  type: 'LEGAL',
  kpp: '771543001', branch_type: 'BRANCH', branch_count: 0,
  name: { full_with_opf: 'ФИЛИАЛ АО "ПФ "СКБ КОНТУР" В Г. МОСКВЕ', short_with_opf: 'ФИЛИАЛ АО "ПФ "СКБ КОНТУР" В Г. МОСКВЕ', latin: null, full: 'ФИЛИАЛ АО "ПФ "СКБ КОНТУР" В Г. МОСКВЕ', short: null },
  state: state('ACTIVE', '2008-10-03'),
  address: dadataAddress({
    value: 'г Москва, пер Добролюбова, д 3 стр 1, кв 412',
    unrestricted: '127254, г Москва, Бутырский р-н, пер Добролюбова, д 3 стр 1, кв 412',
    data: moscow({
      postal_code: '127254', street_with_type: 'пер Добролюбова', street_type: 'пер', street_type_full: 'переулок',
      street: 'Добролюбова', house_type: 'д', house_type_full: 'дом', house: '3', block_type: 'стр', block_type_full: 'строение',
      block: '1', flat_type: 'кв', flat_type_full: 'квартира', flat: '412', tax_office: '7715',
      source: '127254, Г.МОСКВА, ПЕР. ДОБРОЛЮБОВА, 3, 1, 412',
    }),
  }),
})

/** ООО «АВАПС» — LIQUIDATED, code 201 (state block from spec §2.9). */
export const AVAPS_LIQUIDATED = dadataParty({
  type: 'LEGAL',
  inn: '7709809066', ogrn: '5087746425509', kpp: '770901001', okpo: '89011652', okogu: '4210014', okfs: '16',
  okved: '51.70', okved_type: '2001', opf: { type: '99', code: '65', full: 'Общество с ограниченной ответственностью', short: 'ООО' },
  ogrn_date: 1226880000000, branch_type: 'MAIN', branch_count: 0,
  okveds: [{ main: true, type: '2001', code: '51.70', name: 'Прочая оптовая торговля' }],
  management: director('Кузнецов Андрей Викторович', 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', '2008-11-17'),
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "АВАПС"', short_with_opf: 'ООО "АВАПС"', latin: null, full: 'АВАПС', short: 'АВАПС' },
  state: { status: 'LIQUIDATED', code: '201', actuality_date: 1347840000000, registration_date: 1226880000000, liquidation_date: 1347840000000 },
  okato: '45286575000', oktmo: '45375000000',
  address: dadataAddress({
    value: 'г Москва, ул Земляной Вал, д 9',
    unrestricted: '105064, г Москва, Басманный р-н, ул Земляной Вал, д 9',
    data: moscow({
      postal_code: '105064', street_with_type: 'ул Земляной Вал', street_type: 'ул', street_type_full: 'улица',
      street: 'Земляной Вал', house_type: 'д', house_type_full: 'дом', house: '9', tax_office: '7709',
      source: '105064, Г.МОСКВА, УЛ. ЗЕМЛЯНОЙ ВАЛ, Д.9',
    }),
  }),
})

/** СИНТЕТИКА: the successor the reorganising company is being merged into. */
export const SUCCESSOR_ACTIVE = dadataParty({
  type: 'LEGAL',
  inn: '7709876545', ogrn: '1027700987654', kpp: '770901001', okpo: '12345670', okogu: '4210014', okfs: '16',
  okved: '46.90', okved_type: '2014', opf: OPF.OOO, ogrn_date: epoch('2002-10-01'), branch_type: 'MAIN', branch_count: 0,
  okveds: okveds(['46.90', 'Торговля оптовая неспециализированная']),
  management: director('Смирнова Ольга Петровна', 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', '2015-03-02'),
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ТОРГОВЫЙ ДОМ ПРЕЕМНИК"', short_with_opf: 'ООО "ТД ПРЕЕМНИК"', latin: null, full: 'ТОРГОВЫЙ ДОМ ПРЕЕМНИК', short: 'ТД ПРЕЕМНИК' },
  state: state('ACTIVE', '2002-10-01'),
  okato: '45286575000', oktmo: '45375000000',
  address: dadataAddress({
    value: 'г Москва, ул Покровка, д 10',
    unrestricted: '101000, г Москва, Басманный р-н, ул Покровка, д 10',
    data: moscow({ postal_code: '101000', street_with_type: 'ул Покровка', street_type: 'ул', street: 'Покровка', house_type: 'д', house: '10', source: '101000, Г.МОСКВА, УЛ. ПОКРОВКА, Д.10' }),
  }),
})

/** СИНТЕТИКА: REORGANIZING, code 124 — being merged into SUCCESSOR_ACTIVE (spec §2.4, §5.5). */
export const REORGANIZING = dadataParty({
  type: 'LEGAL',
  inn: '7712345671', ogrn: '1177746123455', kpp: '771201001', okpo: '23456781', okogu: '4210014', okfs: '16',
  okved: '46.90', okved_type: '2014', opf: OPF.OOO, ogrn_date: epoch('2017-02-14'), branch_type: 'MAIN', branch_count: 0,
  okveds: okveds(['46.90', 'Торговля оптовая неспециализированная']),
  management: director('Орлов Денис Игоревич', 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', '2017-02-14'),
  successors: [{ ogrn: '1027700987654', inn: '7709876545', name: 'ООО "ТД ПРЕЕМНИК"' }],
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РЕОРГ-ТЕСТ"', short_with_opf: 'ООО "РЕОРГ-ТЕСТ"', latin: null, full: 'РЕОРГ-ТЕСТ', short: 'РЕОРГ-ТЕСТ' },
  state: state('REORGANIZING', '2017-02-14', { code: '124', actuality: '2026-03-10' }),
  address: dadataAddress({
    value: 'г Москва, ул Бутырская, д 4',
    unrestricted: '127015, г Москва, Савеловский р-н, ул Бутырская, д 4',
    data: moscow({ postal_code: '127015', street_with_type: 'ул Бутырская', street_type: 'ул', street: 'Бутырская', house_type: 'д', house: '4', source: '127015, Г.МОСКВА, УЛ. БУТЫРСКАЯ, Д.4' }),
  }),
})

/** СИНТЕТИКА: BANKRUPT, code 114 (bankruptcy stage, spec §2.4). */
export const BANKRUPT = dadataParty({
  type: 'LEGAL',
  inn: '5001234561', ogrn: '1155000123453', kpp: '500101001', okpo: '34567812', okogu: '4210014', okfs: '16',
  okved: '41.20', okved_type: '2014', opf: OPF.OOO, ogrn_date: epoch('2015-06-09'), branch_type: 'MAIN', branch_count: 0,
  okveds: okveds(['41.20', 'Строительство жилых и нежилых зданий']),
  management: director('Белов Сергей Николаевич', 'КОНКУРСНЫЙ УПРАВЛЯЮЩИЙ', '2025-11-20'),
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СТРОЙ-БАНКРОТ"', short_with_opf: 'ООО "СТРОЙ-БАНКРОТ"', latin: null, full: 'СТРОЙ-БАНКРОТ', short: 'СТРОЙ-БАНКРОТ' },
  state: state('BANKRUPT', '2015-06-09', { code: '114', actuality: '2026-02-01' }),
  address: dadataAddress({
    value: 'Московская обл, г Балашиха, ул Советская, д 1',
    unrestricted: '143900, Московская обл, г Балашиха, ул Советская, д 1',
    data: {
      postal_code: '143900', country: 'Россия', country_iso_code: 'RU', federal_district: 'Центральный',
      region_with_type: 'Московская обл', region_type: 'обл', region_type_full: 'область', region: 'Московская',
      city_with_type: 'г Балашиха', city_type: 'г', city_type_full: 'город', city: 'Балашиха', street_with_type: 'ул Советская',
      street_type: 'ул', street: 'Советская', house_type: 'д', house: '1', timezone: 'UTC+3',
      source: '143900, ОБЛАСТЬ МОСКОВСКАЯ, Г. БАЛАШИХА, УЛ. СОВЕТСКАЯ, Д.1', qc: '0',
    },
  }),
})

/** СИНТЕТИКА: LIQUIDATING, code 101 (in liquidation, spec §2.4). */
export const LIQUIDATING = dadataParty({
  type: 'LEGAL',
  inn: '7801123455', ogrn: '1197847123451', kpp: '780101001', okpo: '45678123', okogu: '4210014', okfs: '16',
  okved: '47.91', okved_type: '2014', opf: OPF.OOO, ogrn_date: epoch('2019-04-22'), branch_type: 'MAIN', branch_count: 0,
  okveds: okveds(['47.91', 'Торговля розничная по почте или по информационно-коммуникационной сети Интернет']),
  management: director('Ковалёва Анна Дмитриевна', 'ЛИКВИДАТОР', '2026-01-15'),
  name: { full_with_opf: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "НЕВА-ЛИКВИДАЦИЯ"', short_with_opf: 'ООО "НЕВА-ЛИКВИДАЦИЯ"', latin: null, full: 'НЕВА-ЛИКВИДАЦИЯ', short: 'НЕВА-ЛИКВИДАЦИЯ' },
  state: state('LIQUIDATING', '2019-04-22', { code: '101', actuality: '2026-01-20' }),
  address: dadataAddress({
    value: 'г Санкт-Петербург, Невский пр-кт, д 28',
    unrestricted: '191186, г Санкт-Петербург, Центральный р-н, Невский пр-кт, д 28',
    data: {
      postal_code: '191186', country: 'Россия', country_iso_code: 'RU', federal_district: 'Северо-Западный',
      region_with_type: 'г Санкт-Петербург', region_type: 'г', region_type_full: 'город', region: 'Санкт-Петербург',
      city_with_type: 'г Санкт-Петербург', city_type: 'г', city_type_full: 'город', city: 'Санкт-Петербург',
      street_with_type: 'Невский пр-кт', street_type: 'пр-кт', street_type_full: 'проспект', street: 'Невский',
      house_type: 'д', house: '28', timezone: 'UTC+3', source: '191186, Г.САНКТ-ПЕТЕРБУРГ, ПР-КТ НЕВСКИЙ, Д.28', qc: '0',
    },
  }),
})

const ipMoscowAddress = () =>
  dadataAddress({
    value: 'г Москва',
    data: moscow({
      fias_id: '0c5b2444-70a0-4932-980c-b4dc0d3f02b5', fias_code: '7700000000000000000', fias_level: '1',
      fias_actuality_state: '0', kladr_id: '7700000000000', okato: '45000000000', oktmo: '45000000', tax_office: '7700',
      geo_lat: '55.75396', geo_lon: '37.620393', qc_geo: '4', source: 'г Москва',
    }),
  })

const RUS = { code: { numeric: 643, alpha_3: 'RUS' }, name: { full: 'Российская Федерация', short: 'Россия' } }
const PETROVA_FIO = { surname: 'Петрова', name: 'Мария', patronymic: 'Сергеевна', gender: null, source: null, qc: null }
const PETROVA_NAME = {
  full_with_opf: 'Индивидуальный предприниматель Петрова Мария Сергеевна', short_with_opf: 'ИП Петрова Мария Сергеевна',
  latin: null, full: 'Петрова Мария Сергеевна', short: null,
}

/** СИНТЕТИКА: ИП of spec §2.8, ACTIVE (ОГРНИП 321774600123451). */
export const IP_PETROVA_ACTIVE = dadataParty({
  type: 'INDIVIDUAL',
  citizenship: RUS, fio: PETROVA_FIO,
  hid: '0000000000000000000000000000000000000000000000000000000000000001',
  state: { status: 'ACTIVE', code: null, actuality_date: 1615766400000, registration_date: 1615766400000, liquidation_date: null },
  opf: OPF.IP, name: PETROVA_NAME,
  inn: '770123456703', ogrn: '321774600123451', okpo: null, okato: '45286560000', oktmo: '45380000000', okogu: '4210015',
  okfs: '16', okved: '62.01',
  okveds: okveds(['62.01', 'Разработка компьютерного программного обеспечения']),
  address: ipMoscowAddress(),
  ogrn_date: 1615766400000, okved_type: '2014',
})

/** СИНТЕТИКА: the same person's earlier ИП, closed by own decision (code 201), another ОГРНИП (spec §2.2, §5.9). */
export const IP_PETROVA_CLOSED = dadataParty({
  type: 'INDIVIDUAL',
  citizenship: RUS, fio: PETROVA_FIO,
  state: state('LIQUIDATED', '2016-08-03', { code: '201', liquidation: '2019-12-10' }),
  opf: OPF.IP, name: PETROVA_NAME,
  inn: '770123456703', ogrn: '316774600123454', okpo: '0123456789', okato: '45286560000', oktmo: '45380000000',
  okogu: '4210015', okfs: '16', okved: '73.11', okved_type: '2014',
  okveds: okveds(['73.11', 'Деятельность рекламных агентств']),
  address: ipMoscowAddress(),
  ogrn_date: epoch('2016-08-03'),
})

/** ИП of the Focus documentation sample (vendor placeholder name), ceased 2018-01-10. */
export const IP_IVANOV_CLOSED = dadataParty({
  type: 'INDIVIDUAL',
  citizenship: RUS,
  fio: { surname: 'Иванов', name: 'Иван', patronymic: 'Иванович', gender: null, source: null, qc: null },
  state: state('LIQUIDATED', '2009-03-27', { code: '201', liquidation: '2018-01-10' }),
  opf: OPF.IP,
  name: {
    full_with_opf: 'Индивидуальный предприниматель Иванов Иван Иванович', short_with_opf: 'ИП Иванов Иван Иванович',
    latin: null, full: 'Иванов Иван Иванович', short: null,
  },
  inn: '561100409545', ogrn: '309565808600188', okpo: '0164667059', okato: '53401364000', oktmo: '53701000001',
  okogu: '4210015', okfs: '16', okved: '47.11', okved_type: '2014',
  okveds: okveds(['47.11', 'Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах']),
  address: dadataAddress({
    value: 'г Оренбург',
    data: {
      country: 'Россия', country_iso_code: 'RU', federal_district: 'Приволжский', region_with_type: 'Оренбургская обл',
      region_type: 'обл', region_type_full: 'область', region: 'Оренбургская', city_with_type: 'г Оренбург',
      city_type: 'г', city_type_full: 'город', city: 'Оренбург', timezone: 'UTC+5', source: 'г Оренбург', qc: '0',
    },
  }),
  ogrn_date: epoch('2009-03-27'),
})

/** The default data set (spec §6). `1234567894` and the other "unknown" INNs are deliberately absent. */
export function defaultDaDataRecords(): DaDataSuggestion[] {
  return structuredClone([
    SBERBANK_MAIN,
    SBERBANK_BRANCH_SIBERIA,
    ALFA_MAIN,
    ALFA_BRANCH_EKB,
    YANDEX_MAIN,
    KONTUR_MAIN,
    KONTUR_BRANCH_PERM,
    KONTUR_BRANCH_MOSCOW,
    AVAPS_LIQUIDATED,
    REORGANIZING,
    SUCCESSOR_ACTIVE,
    BANKRUPT,
    LIQUIDATING,
    IP_PETROVA_ACTIVE,
    IP_PETROVA_CLOSED,
    IP_IVANOV_CLOSED,
  ])
}
