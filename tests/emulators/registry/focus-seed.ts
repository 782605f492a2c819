/**
 * Kontur.Focus records in the vendor's shape (spec §3.2–§3.4): one entity = the `/api3/req` item
 * plus the `/api3/egrDetails` item. Branches are nested in `UL.branches[]`, dates are ISO strings,
 * status is `statusString` + booleans present only when true.
 *
 * АО «ПФ «СКБ Контур» and the ИП 561100409545 are the documentation samples of spec §3.4; the other
 * entities are the same ones the DaData emulator serves (spec §6: "same seed entities"), written in
 * Focus shape. Synthetic entities are marked СИНТЕТИКА.
 */

export interface FocusEntity {
  /** The `/api3/req` array item: `{inn, ogrn, focusHref, UL | IP, briefReport, contactPhones}`. */
  req: Record<string, unknown> & { inn: string; ogrn: string }
  /** The `/api3/egrDetails` array item; absent → the entity is missing from that method's answers. */
  egrDetails?: Record<string, unknown> & { inn: string; ogrn: string }
}

type Topo = { topoShortName?: string; topoFullName?: string; topoValue: string }
const topo = (topoShortName: string, topoFullName: string, topoValue: string): Topo => ({ topoShortName, topoFullName, topoValue })

const href = (ogrn: string) => `https://focus.kontur.ru/entity?query=${ogrn}`

const MOSCOW = topo('г', 'город', 'Москва')
const head = (fio: string, position: string, date: string, innfl?: string) => ({
  fio,
  ...(innfl ? { innfl } : {}),
  position,
  date,
  firstDate: date,
})
const activities = (code: string, text: string, date: string, extra: [string, string][] = []) => ({
  principalActivity: { code, text, date },
  ...(extra.length ? { complementaryActivities: extra.map(([c, t]) => ({ code: c, text: t, date })) } : {}),
  okvedVersion: '2',
})

function entity(
  inn: string,
  ogrn: string,
  ul: Record<string, unknown>,
  egr: Record<string, unknown>,
  brief: Record<string, unknown> = { greenStatements: true },
): FocusEntity {
  return {
    req: { inn, ogrn, focusHref: href(ogrn), UL: ul, briefReport: { summary: brief }, contactPhones: {} },
    egrDetails: { inn, ogrn, focusHref: href(ogrn), UL: egr },
  }
}

function ipEntity(inn: string, ogrn: string, ip: Record<string, unknown>, egr: Record<string, unknown>, brief: Record<string, unknown>): FocusEntity {
  return {
    req: { inn, ogrn, focusHref: href(ogrn), IP: ip, briefReport: { summary: brief }, contactPhones: {} },
    egrDetails: { inn, ogrn, focusHref: href(ogrn), IP: egr },
  }
}

// ---------------------------------------------------------------------------------------------
// АО «ПФ «СКБ Контур» — Focus documentation sample (spec §3.4), as given there.
// ---------------------------------------------------------------------------------------------
export const KONTUR: FocusEntity = {
  req: {
    inn: '6663003127', ogrn: '1026605606620', focusHref: 'https://focus.kontur.ru/entity?query=1026605606620',
    UL: {
      kpp: '667101001', okpo: '00242766', okato: '65401377000', okfs: '16', oktmo: '65701000001',
      okogu: '4210014', okopf: '12267', opf: 'Непубличные акционерные общества',
      legalName: {
        short: 'АО "ПФ "СКБ Контур"', full: 'Акционерное общество "Производственная Фирма "СКБ Контур"',
        readable: 'АО "ПФ "СКБ Контур"', date: '2017-06-21',
      },
      legalAddress: {
        parsedAddressRF: {
          zipCode: '620144', kladrCode: '660000010000717', regionCode: '66',
          regionName: { topoShortName: 'обл', topoFullName: 'область', topoValue: 'Свердловская' },
          city: { topoShortName: 'г', topoFullName: 'город', topoValue: 'Екатеринбург' },
          street: { topoShortName: 'ул', topoFullName: 'улица', topoValue: 'Народной воли' },
          bulk: { topoShortName: 'стр', topoFullName: 'строение', topoValue: '19А' }, bulkRaw: 'СТРОЕНИЕ 19А',
        },
        date: '2020-09-02', firstDate: '2020-09-02',
      },
      branches: [
        {
          name: 'ПЕРМСКИЙ ФИЛИАЛ АО "ПФ "СКБ КОНТУР"', kpp: '590443001',
          parsedAddressRF: {
            zipCode: '614010', kladrCode: '590000010000603', regionCode: '59',
            regionName: { topoShortName: 'край', topoFullName: 'край', topoValue: 'Пермский' },
            city: { topoShortName: 'г', topoFullName: 'город', topoValue: 'Пермь' },
            street: { topoShortName: 'ул', topoFullName: 'улица', topoValue: 'Куйбышева' },
            house: { topoShortName: 'дом', topoFullName: 'дом', topoValue: '95' },
            bulk: { topoShortName: 'корп', topoFullName: 'корпус', topoValue: 'Б' },
            flat: { topoShortName: 'пом', topoFullName: 'помещение', topoValue: '1' }, houseRaw: 'ДОМ 95',
            bulkRaw: 'КОРПУС Б', flatRaw: 'ПОМЕЩЕНИЕ 1',
          },
          date: '2018-05-24',
        },
        {
          kpp: '771543001',
          parsedAddressRF: {
            zipCode: '127254', kladrCode: '770000000004162', regionCode: '77',
            regionName: { topoShortName: 'г', topoFullName: 'город', topoValue: 'Москва' },
            street: { topoShortName: 'пер', topoFullName: 'переулок', topoValue: 'Добролюбова' },
            house: { topoShortName: 'дом', topoFullName: 'дом', topoValue: '3' }, bulk: { topoValue: '1' },
            flat: { topoValue: '412' }, houseRaw: '3', bulkRaw: '1', flatRaw: '412',
          },
          date: '2008-10-03',
        },
      ],
      status: { statusString: 'Действующее' }, registrationDate: '1992-03-26',
      heads: [
        {
          fio: 'Филатов Евгений Юрьевич', innfl: '666102227581', position: 'Генеральный Директор',
          date: '2019-01-28', firstDate: '2019-01-28',
        },
      ],
      history: {
        kpps: [{ kpp: '668601001', date: '2016-11-19' }, { kpp: '667301001', date: '2005-07-29' }],
        legalNames: [
          {
            short: 'ЗАО "ПФ "СКБ Контур"',
            full: 'Закрытое акционерное общество "Производственная фирма "СКБ Контур"',
            readable: 'ЗАО "ПФ "СКБ Контур"', date: '2006-03-28',
          },
        ],
      },
    },
    briefReport: { summary: { greenStatements: true } }, contactPhones: { count: 78 },
  },
  egrDetails: {
    inn: '6663003127', ogrn: '1026605606620', focusHref: 'https://focus.kontur.ru/entity?query=1026605606620',
    UL: {
      okpo: '00242766', pfrRegNumber: '075031140631', fssRegNumber: '660704291366151',
      fomsRegNumber: '654019370010182',
      activities: {
        principalActivity: { code: '62.01', text: 'Разработка компьютерного программного обеспечения', date: '2006-03-28' },
        complementaryActivities: [
          { code: '62.02', text: 'Деятельность консультативная и работы в области компьютерных технологий', date: '2006-03-28' },
        ],
        okvedVersion: '2',
      },
      regInfo: {
        ogrnDate: '2002-07-19', regName: 'Администрация Орджоникидзевского района города Екатеринбурга',
        regNum: '0870 11-ОИ',
      },
      nalogRegBody: {
        nalogCode: '6671',
        nalogName: 'Инспекция Федеральной налоговой службы по Ленинскому району г.Екатеринбурга',
        nalogRegDate: '2020-09-02', kpp: '667101001', date: '2020-09-02',
      },
      regBody: {
        nalogCode: '6658',
        nalogName: 'Инспекция Федеральной налоговой службы по Верх-Исетскому району г.Екатеринбурга',
        nalogRegAddress: '620014,Екатеринбург г,Хомякова ул,4', date: '2015-03-30',
      },
      statedCapital: { sum: 25601795, date: '2021-04-02' },
      egrRecords: [
        {
          grn: '2216601039785', date: '2021-09-09', name: 'Изменение сведений о ЮЛ, содержащихся в ЕГРЮЛ',
          regName: 'Инспекция Федеральной Налоговой Службы по Верх-Исетскому Району г.Екатеринбурга',
          regCode: '6658',
          documents: [{ name: 'Р13014 Заявление об изменении учр.документа и/или иных сведений о ЮЛ' }],
        },
      ],
    },
  },
}

export const SBERBANK = entity(
  '7707083893',
  '1027700132195',
  {
    kpp: '773601001', okpo: '00032537', okato: '45293554000', okfs: '41', oktmo: '45397000000', okogu: '4100104',
    okopf: '12247', opf: 'Публичные акционерные общества',
    legalName: {
      short: 'ПАО СБЕРБАНК', full: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "СБЕРБАНК РОССИИ"', readable: 'ПАО Сбербанк', date: '2015-08-04',
    },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '117312', kladrCode: '770000000009240', regionCode: '77', regionName: MOSCOW,
        street: topo('ул', 'улица', 'Вавилова'), house: topo('дом', 'дом', '19'), houseRaw: 'ДОМ 19',
      },
      date: '2014-03-31', firstDate: '2002-08-16',
    },
    branches: [
      {
        name: 'СИБИРСКИЙ БАНК ПАО СБЕРБАНК', kpp: '540602001',
        parsedAddressRF: {
          zipCode: '630007', kladrCode: '540000010000528', regionCode: '54', regionName: topo('обл', 'область', 'Новосибирская'),
          city: topo('г', 'город', 'Новосибирск'), street: topo('ул', 'улица', 'Серебренниковская'),
          house: topo('дом', 'дом', '20'), houseRaw: 'ДОМ 20',
        },
        date: '1997-01-20',
      },
    ],
    status: { statusString: 'Действующее' },
    registrationDate: '1991-06-20',
    heads: [
      head('Греф Герман Оскарович', 'Президент, Председатель Правления', '2009-10-05', '770303580308'),
    ],
    history: { kpps: [{ kpp: '775001001', date: '2014-01-01' }] },
  },
  {
    okpo: '00032537',
    activities: activities('64.19', 'Денежное посредничество прочее', '2002-08-16', [
      ['62.09', 'Деятельность, связанная с использованием вычислительной техники и информационных технологий, прочая'],
    ]),
    regInfo: { ogrnDate: '2002-08-16', regName: 'Центральный банк Российской Федерации', regNum: '1481' },
    nalogRegBody: { nalogCode: '7736', nalogName: 'Инспекция Федеральной налоговой службы № 36 по г.Москве', kpp: '773601001', date: '2017-01-09' },
    statedCapital: { sum: 67760844000, date: '2014-07-31' },
  },
)

export const ALFA = entity(
  '7728168971',
  '1027700067328',
  {
    kpp: '770801001', okpo: '09610444', okato: '45286555000', okfs: '16', oktmo: '45378000000', okogu: '4210014',
    okopf: '12267', opf: 'Непубличные акционерные общества',
    legalName: { short: 'АО "АЛЬФА-БАНК"', full: 'АКЦИОНЕРНОЕ ОБЩЕСТВО "АЛЬФА-БАНК"', readable: 'АО "Альфа-Банк"', date: '2014-12-26' },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '107078', kladrCode: '770000000001310', regionCode: '77', regionName: MOSCOW,
        street: topo('ул', 'улица', 'Каланчевская'), house: topo('дом', 'дом', '27'), houseRaw: 'ДОМ 27',
      },
      date: '2014-12-26', firstDate: '2002-07-26',
    },
    branches: [
      {
        name: 'ФИЛИАЛ "ЕКАТЕРИНБУРГСКИЙ" АО "АЛЬФА-БАНК"', kpp: '667143001',
        parsedAddressRF: {
          zipCode: '620014', kladrCode: '660000010000531', regionCode: '66', regionName: topo('обл', 'область', 'Свердловская'),
          city: topo('г', 'город', 'Екатеринбург'), street: topo('ул', 'улица', 'Маршала Жукова'),
          house: topo('дом', 'дом', '5'), houseRaw: 'ДОМ 5',
        },
        date: '2004-03-01',
      },
    ],
    status: { statusString: 'Действующее' },
    registrationDate: '1991-01-10',
    heads: [head('Верхошинский Владимир Вячеславович', 'Председатель Правления', '2021-07-05')],
  },
  {
    okpo: '09610444',
    activities: activities('64.19', 'Денежное посредничество прочее', '2002-07-26'),
    regInfo: { ogrnDate: '2002-07-26', regName: 'Центральный банк Российской Федерации', regNum: '1326' },
  },
)

export const YANDEX = entity(
  '7736207543',
  '1027700229193',
  {
    kpp: '770501001', okpo: '55209773', okato: '45286590000', okfs: '16', oktmo: '45383000000', okogu: '4210014',
    okopf: '12300', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "ЯНДЕКС"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЯНДЕКС"', readable: 'ООО "Яндекс"', date: '2007-05-29' },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '119021', kladrCode: '770000000001711', regionCode: '77', regionName: MOSCOW,
        street: topo('ул', 'улица', 'Льва Толстого'), house: topo('дом', 'дом', '16'), houseRaw: 'ДОМ 16',
      },
      date: '2007-05-29', firstDate: '2002-09-05',
    },
    status: { statusString: 'Действующее' },
    registrationDate: '2000-09-21',
    heads: [head('Савиновский Артем Геннадьевич', 'Генеральный Директор', '2022-07-01')],
  },
  {
    okpo: '55209773',
    activities: activities('62.01', 'Разработка компьютерного программного обеспечения', '2002-09-05', [
      ['63.11', 'Деятельность по обработке данных, предоставление услуг по размещению информации и связанная с этим деятельность'],
    ]),
    regInfo: { ogrnDate: '2002-09-05', regName: 'Московская регистрационная палата', regNum: '001.058.011' },
  },
)

/** ООО «АВАПС» — liquidated 2012-09-17 (illustrative status of spec §3.4). */
export const AVAPS = entity(
  '7709809066',
  '5087746425509',
  {
    kpp: '770901001', okpo: '89011652', okato: '45286575000', okfs: '16', oktmo: '45375000000', okogu: '4210014',
    okopf: '65', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "АВАПС"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "АВАПС"', readable: 'ООО "АВАПС"', date: '2008-11-17' },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '105064', kladrCode: '770000000001234', regionCode: '77', regionName: MOSCOW,
        street: topo('ул', 'улица', 'Земляной Вал'), house: topo('дом', 'дом', '9'), houseRaw: 'ДОМ 9',
      },
      date: '2008-11-17', firstDate: '2008-11-17',
    },
    status: { statusString: 'Ликвидация', dissolved: true, date: '2012-09-17' },
    registrationDate: '2008-11-17',
    dissolutionDate: '2012-09-17',
    heads: [head('Кузнецов Андрей Викторович', 'Генеральный Директор', '2008-11-17')],
  },
  {
    okpo: '89011652',
    activities: { principalActivity: { code: '51.70', text: 'Прочая оптовая торговля', date: '2008-11-17' } },
    regInfo: { ogrnDate: '2008-11-17' },
  },
  { redStatements: true },
)

/** СИНТЕТИКА: the successor of the reorganising company. */
export const SUCCESSOR = entity(
  '7709876545',
  '1027700987654',
  {
    kpp: '770901001', okpo: '12345670', okfs: '16', okogu: '4210014', okopf: '12300', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "ТД ПРЕЕМНИК"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ТОРГОВЫЙ ДОМ ПРЕЕМНИК"', readable: 'ООО "ТД Преемник"', date: '2002-10-01' },
    legalAddress: {
      parsedAddressRF: { zipCode: '101000', regionCode: '77', regionName: MOSCOW, street: topo('ул', 'улица', 'Покровка'), house: topo('дом', 'дом', '10'), houseRaw: 'ДОМ 10' },
      date: '2002-10-01',
    },
    status: { statusString: 'Действующее' },
    registrationDate: '2002-10-01',
    heads: [head('Смирнова Ольга Петровна', 'Генеральный Директор', '2015-03-02')],
  },
  {
    activities: activities('46.90', 'Торговля оптовая неспециализированная', '2002-10-01'),
    regInfo: { ogrnDate: '2002-10-01' },
    predecessors: [{ name: 'ООО "РЕОРГ-ТЕСТ"', inn: '7712345671', ogrn: '1177746123455', date: '2026-03-10' }],
  },
)

/** СИНТЕТИКА: being merged into SUCCESSOR (`reorganizing: true`, spec §3.5). */
export const REORGANIZING = entity(
  '7712345671',
  '1177746123455',
  {
    kpp: '771201001', okpo: '23456781', okfs: '16', okogu: '4210014', okopf: '12300', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "РЕОРГ-ТЕСТ"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РЕОРГ-ТЕСТ"', readable: 'ООО "Реорг-тест"', date: '2017-02-14' },
    legalAddress: {
      parsedAddressRF: { zipCode: '127015', regionCode: '77', regionName: MOSCOW, street: topo('ул', 'улица', 'Бутырская'), house: topo('дом', 'дом', '4'), houseRaw: 'ДОМ 4' },
      date: '2017-02-14',
    },
    status: { statusString: 'В процессе реорганизации в форме присоединения к другому юрлицу', reorganizing: true, date: '2026-03-10' },
    registrationDate: '2017-02-14',
    heads: [head('Орлов Денис Игоревич', 'Генеральный Директор', '2017-02-14')],
  },
  {
    activities: activities('46.90', 'Торговля оптовая неспециализированная', '2017-02-14'),
    regInfo: { ogrnDate: '2017-02-14' },
    successors: [{ name: 'ООО "ТД ПРЕЕМНИК"', inn: '7709876545', ogrn: '1027700987654', date: '2026-03-10' }],
  },
  { yellowStatements: true },
)

/** СИНТЕТИКА: bankruptcy (`bankrupting: true`). */
export const BANKRUPT = entity(
  '5001234561',
  '1155000123453',
  {
    kpp: '500101001', okpo: '34567812', okfs: '16', okogu: '4210014', okopf: '12300', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "СТРОЙ-БАНКРОТ"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СТРОЙ-БАНКРОТ"', readable: 'ООО "Строй-банкрот"', date: '2015-06-09' },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '143900', regionCode: '50', regionName: topo('обл', 'область', 'Московская'), city: topo('г', 'город', 'Балашиха'),
        street: topo('ул', 'улица', 'Советская'), house: topo('дом', 'дом', '1'), houseRaw: 'ДОМ 1',
      },
      date: '2015-06-09',
    },
    status: { statusString: 'В стадии банкротства (конкурсное производство)', bankrupting: true, date: '2025-11-20' },
    registrationDate: '2015-06-09',
    heads: [head('Белов Сергей Николаевич', 'Конкурсный Управляющий', '2025-11-20')],
  },
  { activities: activities('41.20', 'Строительство жилых и нежилых зданий', '2015-06-09'), regInfo: { ogrnDate: '2015-06-09' } },
  { redStatements: true },
)

/** СИНТЕТИКА: in liquidation (`dissolving: true`). */
export const LIQUIDATING = entity(
  '7801123455',
  '1197847123451',
  {
    kpp: '780101001', okpo: '45678123', okfs: '16', okogu: '4210014', okopf: '12300', opf: 'Общества с ограниченной ответственностью',
    legalName: { short: 'ООО "НЕВА-ЛИКВИДАЦИЯ"', full: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "НЕВА-ЛИКВИДАЦИЯ"', readable: 'ООО "Нева-ликвидация"', date: '2019-04-22' },
    legalAddress: {
      parsedAddressRF: {
        zipCode: '191186', regionCode: '78', regionName: topo('г', 'город', 'Санкт-Петербург'),
        street: topo('пр-кт', 'проспект', 'Невский'), house: topo('дом', 'дом', '28'), houseRaw: 'ДОМ 28',
      },
      date: '2019-04-22',
    },
    status: { statusString: 'В стадии ликвидации', dissolving: true, date: '2026-01-15' },
    registrationDate: '2019-04-22',
    heads: [head('Ковалёва Анна Дмитриевна', 'Ликвидатор', '2026-01-15')],
  },
  {
    activities: activities('47.91', 'Торговля розничная по почте или по информационно-коммуникационной сети Интернет', '2019-04-22'),
    regInfo: { ogrnDate: '2019-04-22' },
  },
  { yellowStatements: true },
)

const PETROVA_STRUCTURED = { lastName: 'Петрова', firstName: 'Мария', middleName: 'Сергеевна' }
const moscowShortened = { regionCode: '77', regionName: MOSCOW }

/** СИНТЕТИКА: ИП 770123456703, active registration. */
export const IP_PETROVA_ACTIVE = ipEntity(
  '770123456703',
  '321774600123451',
  {
    fio: 'Петрова Мария Сергеевна', fioDate: '2021-03-15', structuredFio: PETROVA_STRUCTURED,
    okato: '45286560000', okfs: '16', okogu: '4210015', okopf: '50102', opf: 'Индивидуальные предприниматели', oktmo: '45380000000',
    registrationDate: '2021-03-15', status: { statusString: 'Действующий' },
  },
  {
    okato: '45286560000', shortenedAddress: moscowShortened,
    activities: activities('62.01', 'Разработка компьютерного программного обеспечения', '2021-03-15'),
    regInfo: { ogrnDate: '2021-03-15' },
  },
  { greenStatements: true },
)

/** СИНТЕТИКА: the same person's earlier, closed ИП (other ОГРНИП). */
export const IP_PETROVA_CLOSED = ipEntity(
  '770123456703',
  '316774600123454',
  {
    fio: 'Петрова Мария Сергеевна', fioDate: '2016-08-03', structuredFio: PETROVA_STRUCTURED,
    okpo: '0123456789', okato: '45286560000', okfs: '16', okogu: '4210015', okopf: '50102', opf: 'Индивидуальные предприниматели',
    oktmo: '45380000000', registrationDate: '2016-08-03', dissolutionDate: '2019-12-10',
    status: {
      statusString: 'Индивидуальный предприниматель прекратил деятельность в связи с принятием им соответствующего решения',
      dissolved: true, date: '2019-12-10',
    },
  },
  {
    okpo: '0123456789', okato: '45286560000', shortenedAddress: moscowShortened,
    activities: activities('73.11', 'Деятельность рекламных агентств', '2016-08-03'),
    regInfo: { ogrnDate: '2016-08-03' },
  },
  { redStatements: true },
)

/** ИП of the Focus documentation sample (spec §3.4), ceased 2018-01-10. */
export const IP_IVANOV: FocusEntity = {
  req: {
    inn: '561100409545', ogrn: '309565808600188',
    focusHref: 'https://focus.kontur.ru/entity?query=309565808600188',
    IP: {
      fio: 'Иванов Иван Иванович', okpo: '0164667059', okato: '53401364000', okfs: '16', okogu: '4210015',
      okopf: '50102', opf: 'Индивидуальные предприниматели', oktmo: '53701000001',
      registrationDate: '2009-03-27', dissolutionDate: '2018-01-10',
      status: {
        statusString: 'Индивидуальный предприниматель прекратил деятельность в связи с принятием им соответствующего решения',
        dissolved: true, date: '2018-01-10',
      },
    },
    briefReport: { summary: { redStatements: true } }, contactPhones: {},
  },
  egrDetails: {
    inn: '561100409545', ogrn: '309565808600188', focusHref: 'https://focus.kontur.ru/entity?query=309565808600188',
    IP: {
      okpo: '0164667059', okato: '53401364000',
      shortenedAddress: { regionCode: '56', regionName: topo('обл', 'область', 'Оренбургская'), city: topo('г', 'город', 'Оренбург') },
      activities: {
        principalActivity: {
          code: '47.11',
          text: 'Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах',
          date: '2009-03-27',
        },
        okvedVersion: '2',
      },
      regInfo: { ogrnDate: '2009-03-27' },
    },
  },
}

export function defaultFocusEntities(): FocusEntity[] {
  return structuredClone([
    SBERBANK,
    ALFA,
    YANDEX,
    KONTUR,
    AVAPS,
    REORGANIZING,
    SUCCESSOR,
    BANKRUPT,
    LIQUIDATING,
    IP_PETROVA_ACTIVE,
    IP_PETROVA_CLOSED,
    IP_IVANOV,
  ])
}
