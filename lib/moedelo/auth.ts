/**
 * How requests to MoeDelo are authenticated. The confirmed way is a per-company API key in the
 * `md-api-key` header (spec §1.1); OAuth 2.0 is an unconfirmed option (spec §1.2, see oauth2.ts).
 * Nothing here reads the database or the environment: keys and token stores are injected.
 */
import { MoeDeloError } from './errors'
import { moeDeloMessages } from './messages'

export type CredentialKind = 'api_key' | 'oauth2'

export interface CredentialStrategy {
  readonly kind: CredentialKind
  /** Adds the authentication header(s) to an outgoing request (may refresh a token first). */
  apply(headers: Headers): Promise<void> | void
  /**
   * Called once after a 401 with the headers that were rejected. Resolve `true` when fresh
   * credentials are ready and the request may be repeated; `false` when there is nothing to retry.
   */
  recoverFromUnauthorized?(rejected: Headers): Promise<boolean>
  /** What to tell the user when MoeDelo answers 401 with these credentials. */
  readonly unauthorizedMessage: string
}

export class ApiKeyCredentials implements CredentialStrategy {
  readonly kind = 'api_key' as const
  readonly unauthorizedMessage = moeDeloMessages.unauthorized
  private readonly apiKey: string

  constructor(apiKey: string) {
    this.apiKey = apiKey.trim()
  }

  apply(headers: Headers): void {
    if (!this.apiKey) {
      throw new MoeDeloError({ kind: 'unauthorized', message: 'MoeDelo API key is empty' })
    }
    headers.set('md-api-key', this.apiKey)
  }
}

export {
  OAuth2Credentials,
  type OAuth2CredentialsOptions,
  type OAuth2Settings,
  type OAuth2Tokens,
  type RefreshLock,
} from './oauth2'
