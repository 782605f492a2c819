/**
 * The fixture "ЕГРЮЛ/ЕГРИП" behind `POST /kontragents/api/v1/kontragent/inn`.
 * Real MoeDelo fills a new counterparty from the state register; the emulator fills it from this table.
 */
export interface RegistryEntry {
  Name: string
  ShortName?: string | null
  Ogrn?: string | null
  Okpo?: string | null
  Kpp?: string | null
  LegalAddress?: string | null
  ActualAddress?: string | null
  /** Sole traders: the owner's full name. */
  Fio?: string | null
  SignerFio?: string | null
  InFace?: string | null
  InReason?: string | null
}

export type RegistryFixture = Record<string, RegistryEntry>

/** Real public companies (values as in the public register at the time of writing) plus one synthetic ИП. */
export const defaultRegistry: RegistryFixture = {
  '7707083893': {
    Name: 'ПАО СБЕРБАНК',
    ShortName: 'ПАО СБЕРБАНК',
    Ogrn: '1027700132195',
    Kpp: '773601001',
    LegalAddress: '117312, г. Москва, ул. Вавилова, д. 19',
    SignerFio: 'ГРЕФ ГЕРМАН ОСКАРОВИЧ',
    InFace: 'Президента, Председателя Правления Грефа Германа Оскаровича',
    InReason: 'Устава',
  },
  '7736207543': {
    Name: 'ООО "ЯНДЕКС"',
    ShortName: 'ООО "ЯНДЕКС"',
    Ogrn: '1027700229193',
    Kpp: '770501001',
    LegalAddress: '119021, г. Москва, ул. Льва Толстого, д. 16',
    SignerFio: 'САВИНОВ АРТЁМ ГЕННАДЬЕВИЧ',
    InFace: 'Генерального директора Савинова Артёма Геннадьевича',
    InReason: 'Устава',
  },
  '6663003127': {
    Name: 'АО "ПФ "СКБ КОНТУР"',
    ShortName: 'АО "ПФ "СКБ КОНТУР"',
    Ogrn: '1026605606620',
    Kpp: '667101001',
    LegalAddress: '620144, г. Екатеринбург, ул. Народной Воли, стр. 19А',
    SignerFio: 'ШИРОКОВ МИХАИЛ АЛЕКСАНДРОВИЧ',
    InFace: 'Генерального директора Широкова Михаила Александровича',
    InReason: 'Устава',
  },
  '2312108067': {
    Name: 'ООО "МЗ"',
    ShortName: 'ООО "МЗ"',
    Ogrn: '1032307189188',
    Kpp: '231201001',
    LegalAddress: '350080, г. Краснодар, ул. Уральская, д. 20/1',
    SignerFio: 'ИВАНОВ ИВАН ИВАНОВИЧ',
    InFace: 'Генерального директора Иванова Ивана Владимировича',
    InReason: 'Устава',
  },
  '0660534489': {
    Name: 'ООО "НУЛЕВОЙ ИНН"',
    ShortName: 'ООО "НУЛЕВОЙ ИНН"',
    Ogrn: '1020600000005',
    Kpp: '060601001',
    LegalAddress: '386101, Республика Ингушетия, г. Назрань, ул. Тестовая, д. 1',
    SignerFio: 'ТЕСТОВ ТЕСТ ТЕСТОВИЧ',
    InFace: 'Директора Тестова Теста Тестовича',
    InReason: 'Устава',
  },
  '770123456703': {
    Name: 'ИП Петров Пётр Петрович',
    ShortName: 'ИП Петров П. П.',
    Ogrn: '321774600123451',
    Kpp: null,
    LegalAddress: '125009, г. Москва, ул. Тверская, д. 7, кв. 1',
    Fio: 'Петров Пётр Петрович',
    SignerFio: 'ПЕТРОВ ПЁТР ПЕТРОВИЧ',
    InFace: 'Индивидуального предпринимателя Петрова Петра Петровича',
    InReason: 'Свидетельства о государственной регистрации',
  },
}
