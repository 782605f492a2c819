/** MoeDelo («Моё дело») vendor module: client, credentials, typed errors and the app-side model. */
export {
  BILL_PATH,
  BILLS_BY_IDS_LIMIT,
  DEFAULT_BILL_PDF_PATH,
  GOOD_PATH,
  MoeDeloClient,
  NOMENCLATURE_PATH,
  PAYMENT_FROM_CUSTOMER_OPERATION,
  REGISTRY_PATH,
  type MoeDeloClientOptions,
} from './client'
export { MOEDELO_WEB_ORIGIN } from './mapper'
export {
  ApiKeyCredentials,
  OAuth2Credentials,
  type CredentialKind,
  type CredentialStrategy,
  type OAuth2CredentialsOptions,
  type OAuth2Settings,
  type OAuth2Tokens,
  type RefreshLock,
} from './auth'
export { isMoeDeloError, MoeDeloError, type MoeDeloErrorKind, type MoeDeloValidationIssue } from './errors'
export { moeDeloMessages } from './messages'
export type {
  Bill,
  BillDraft,
  BillItem,
  BillItemDraft,
  BillItemKind,
  BillKind,
  BillPayment,
  BillPdf,
  BillQuery,
  BillStatus,
  BillSummary,
  BillVatRate,
  ConnectionCheck,
  Counterparty,
  CounterpartyForm,
  CounterpartyInput,
  CounterpartyRole,
  CounterpartyUpdate,
  GoodQuery,
  GoodsGroup,
  HealthProbe,
  MoneyOperation,
  MoneyOperationQuery,
  Page,
  StockGood,
  StockGoodInput,
  StockGoodKind,
} from './model'
