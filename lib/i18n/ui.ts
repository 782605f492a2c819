/** Interface texts: Russian first, English available. One dictionary, typed keys. */
const ru = {
  appTitle: 'Моё дело для Битрикс24',
  frameConnecting: 'Подключаемся к Битрикс24…',
  frameReady: 'Связь с Битрикс24 установлена',
  frameFailed: 'Не удалось связаться с Битрикс24. Обновите страницу портала.',
  sessionExpired: 'Сессия истекла. Закройте и снова откройте вкладку приложения.',
  loading: 'Загрузка…',
  retry: 'Повторить',
  save: 'Сохранить',
  saved: 'Сохранено',
  requestFailed: 'Не получилось выполнить запрос. Попробуйте ещё раз.',
  // Deal tab
  dealTabTitle: 'Счета и оплаты',
  dealLabel: 'Сделка',
  dealStage: 'Стадия',
  dealAmount: 'Сумма',
  dealActivity: 'Что приложение делало по этой сделке',
  noActivity: 'Пока ничего: записи появятся, когда приложение выставит счёт или получит оплату.',
  moedeloNotConnected: '«Моё дело» ещё не подключено. Попросите администратора портала открыть настройки приложения.',
  // Company tab
  companyTabTitle: 'Расчёты',
  companyLabel: 'Компания',
  // Admin page
  settingsTitle: 'Настройки приложения',
  adminOnly: 'Настройки доступны только администратору портала.',
  moedeloSection: 'Подключение к «Моё дело»',
  moedeloConnected: 'Подключено',
  moedeloFirm: 'Организация',
  moedeloCheckedAt: 'Проверено',
  apiKeyLabel: 'Ключ API «Моё дело»',
  apiKeyHint: 'Ключ находится в личном кабинете «Моё дело», раздел «Интеграция с партнёрами». Перед сохранением мы проверим его.',
  apiKeyCheckAndSave: 'Проверить и сохранить',
  oauthConnect: 'Подключить через вход в «Моё дело»',
  oauthUnavailable: 'Вход через OAuth 2.0 не настроен на сервере приложения (MOEDELO_OAUTH_*).',
  disconnect: 'Отключить',
  pipelinesSection: 'Воронки и стадии',
  pipelinesHint: 'Когда сделка попадает на стадию «Выставить счёт», приложение выставляет счёт. Когда счёт оплачен полностью, сделка переходит на стадию «Оплачено».',
  pipeline: 'Воронка',
  invoiceStage: 'Стадия «Выставить счёт»',
  paidStage: 'Стадия «Оплачено»',
  notSet: '— не выбрано —',
  journalSection: 'Журнал синхронизации',
  journalEmpty: 'Записей пока нет.',
  journalWhen: 'Когда',
  journalWhat: 'Что произошло',
  installTitle: 'Установка приложения',
  installDone: 'Приложение установлено. Откройте сделку, чтобы выставить счёт.',
  installFinishing: 'Завершаем установку…',
  installFailed: 'Не удалось завершить установку. Обновите страницу.',
} as const

export type UiKey = keyof typeof ru
export type Lang = 'ru' | 'en'

const en: Record<UiKey, string> = {
  appTitle: 'MoeDelo for Bitrix24',
  frameConnecting: 'Connecting to Bitrix24…',
  frameReady: 'Connected to Bitrix24',
  frameFailed: 'Could not talk to Bitrix24. Reload the portal page.',
  sessionExpired: 'The session has expired. Close and reopen the application tab.',
  loading: 'Loading…',
  retry: 'Retry',
  save: 'Save',
  saved: 'Saved',
  requestFailed: 'The request failed. Please try again.',
  dealTabTitle: 'Invoices and payments',
  dealLabel: 'Deal',
  dealStage: 'Stage',
  dealAmount: 'Amount',
  dealActivity: 'What the app did for this deal',
  noActivity: 'Nothing yet: entries appear when the app issues an invoice or receives a payment.',
  moedeloNotConnected: 'MoeDelo is not connected yet. Ask the portal administrator to open the app settings.',
  companyTabTitle: 'Settlements',
  companyLabel: 'Company',
  settingsTitle: 'Application settings',
  adminOnly: 'Only a portal administrator can change the settings.',
  moedeloSection: 'MoeDelo connection',
  moedeloConnected: 'Connected',
  moedeloFirm: 'Company',
  moedeloCheckedAt: 'Checked',
  apiKeyLabel: 'MoeDelo API key',
  apiKeyHint: 'Find the key in your MoeDelo account under “Partner integration”. We check it before saving.',
  apiKeyCheckAndSave: 'Check and save',
  oauthConnect: 'Connect by signing in to MoeDelo',
  oauthUnavailable: 'OAuth 2.0 sign-in is not configured on the app server (MOEDELO_OAUTH_*).',
  disconnect: 'Disconnect',
  pipelinesSection: 'Pipelines and stages',
  pipelinesHint: 'When a deal enters the “Issue invoice” stage the app issues an invoice. When the invoice is fully paid the deal moves to the “Paid” stage.',
  pipeline: 'Pipeline',
  invoiceStage: '“Issue invoice” stage',
  paidStage: '“Paid” stage',
  notSet: '— not set —',
  journalSection: 'Sync journal',
  journalEmpty: 'No entries yet.',
  journalWhen: 'When',
  journalWhat: 'What happened',
  installTitle: 'Installing the application',
  installDone: 'The application is installed. Open a deal to issue an invoice.',
  installFinishing: 'Finishing the installation…',
  installFailed: 'Could not finish the installation. Reload the page.',
}

const dictionaries: Record<Lang, Record<UiKey, string>> = { ru, en }

export function normaliseLang(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'ru'
}

export function translator(lang: Lang): (key: UiKey) => string {
  const dictionary = dictionaries[lang]
  return (key) => dictionary[key]
}
