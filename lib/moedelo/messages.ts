/**
 * Plain-Russian texts shown to Bitrix24 users for MoeDelo failures. One place, no API codes.
 * (When `lib/domain/messages.ts` exists, these can move there unchanged.)
 */
export const moeDeloMessages = {
  unavailable: 'Сервис «Моё дело» не отвечает. Повторим попытку автоматически.',
  timeout: 'Сервис «Моё дело» не ответил вовремя. Повторим попытку автоматически.',
  rateLimited: 'Сервис «Моё дело» просит отправлять запросы реже. Повторим попытку чуть позже.',
  unauthorized: 'Ключ API «Моё дело» не принят — проверьте его в настройках приложения.',
  oauthRevoked: 'Доступ к «Моё дело» отозван или истёк — подключите «Моё дело» заново в настройках приложения.',
  oauthNotConnected: '«Моё дело» ещё не подключено — подключите его в настройках приложения.',
  forbidden: 'Тариф или права пользователя в «Моё дело» не дают доступа к этому разделу.',
  notFound: 'Запись не найдена в «Моё дело» — возможно, её удалили.',
  validation: '«Моё дело» не приняло данные.',
  validationWithDetails: (details: string) => `«Моё дело» не приняло данные: ${details}`,
  unexpected: 'Сервис «Моё дело» ответил неожиданно. Мы записали подробности; попробуйте ещё раз позже.',
} as const

/** Human labels for MoeDelo field names, so a user never sees `Inn` or `Items[0].Price`. */
export const moeDeloFieldLabels: Record<string, string> = {
  name: 'Наименование',
  shortname: 'Краткое наименование',
  fullname: 'Полное наименование',
  inn: 'ИНН',
  kpp: 'КПП',
  ogrn: 'ОГРН',
  okpo: 'ОКПО',
  form: 'Правовая форма',
  type: 'Тип',
  legaladdress: 'Юридический адрес',
  actualaddress: 'Фактический адрес',
  registrationaddress: 'Адрес регистрации',
  fio: 'ФИО',
  bik: 'БИК',
  number: 'Номер',
  pagesize: 'Размер страницы',
  pageno: 'Номер страницы',
  kontragentid: 'Контрагент',
  docdate: 'Дата документа',
  deadline: 'Срок оплаты',
  price: 'Цена',
  count: 'Количество',
  unit: 'Единица измерения',
  ndstype: 'Ставка НДС',
  discountrate: 'Скидка',
  items: 'Позиции',
  ndspositiontype: 'Способ учёта НДС',
  status: 'Статус',
  projectid: 'Договор',
  stockid: 'Склад',
  stockproductid: 'Товар',
  settlementaccountid: 'Расчётный счёт',
  additionalinfo: 'Дополнительная информация',
  contractsubject: 'Предмет договора',
  ids: 'Список счетов',
  afterdate: 'Изменён после',
  beforedate: 'Изменён до',
  docafterdate: 'Дата документа с',
  docbeforedate: 'Дата документа по',
  nomenclatureid: 'Группа товаров',
  unitofmeasurement: 'Единица измерения',
  nds: 'Ставка НДС',
  saleprice: 'Цена продажи',
  minsaleprice: 'Минимальная цена продажи',
  article: 'Артикул',
}

/** Labels for an indexed collection member: `Items[0]` → «Позиция 1» (not «Позиции 1»). */
export const moeDeloIndexedLabels: Record<string, string> = {
  items: 'Позиция',
}
