/** MoeDelo («Моё дело») vendor module: client, credentials, typed errors and the app-side model. */
export { MoeDeloClient, type MoeDeloClientOptions } from './client'
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
  ConnectionCheck,
  Counterparty,
  CounterpartyForm,
  CounterpartyInput,
  CounterpartyRole,
  CounterpartyUpdate,
  HealthProbe,
  Page,
} from './model'
