/**
 * A portal's MoeDelo connection: which credential strategy it uses (API key or OAuth 2.0), the
 * encrypted secrets, and a ready client. A key is checked live against MoeDelo before it is saved.
 */
import { eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '@/db'
import type { Db } from '@/lib/portals/repository'
import { moedeloConnections } from '@/db/schema'
import { config } from '@/lib/config'
import { ApiKeyCredentials, MoeDeloClient, OAuth2Credentials, type CredentialStrategy, type OAuth2Settings, type OAuth2Tokens } from '@/lib/moedelo'
import { decryptJson, encryptJson } from '@/lib/security/crypto'

const storedCredentials = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('api_key'), apiKey: z.string().min(1) }),
  z.object({
    strategy: z.literal('oauth2'),
    tokens: z.object({
      accessToken: z.string(),
      refreshToken: z.string().optional(),
      expiresAt: z.number(),
      tokenType: z.string(),
      scope: z.string().optional(),
    }),
  }),
])
type StoredCredentials = z.infer<typeof storedCredentials>

export interface MoeDeloConnectionStatus {
  connected: boolean
  strategy?: 'api_key' | 'oauth2'
  firmName?: string | null
  checkedAt?: string | null
}

export function moedeloOAuthSettings(): OAuth2Settings | undefined {
  const c = config()
  if (!c.MOEDELO_OAUTH_AUTHORIZE_URL || !c.MOEDELO_OAUTH_TOKEN_URL || !c.MOEDELO_OAUTH_CLIENT_ID) return undefined
  return {
    authorizeUrl: c.MOEDELO_OAUTH_AUTHORIZE_URL,
    tokenUrl: c.MOEDELO_OAUTH_TOKEN_URL,
    clientId: c.MOEDELO_OAUTH_CLIENT_ID,
    clientSecret: c.MOEDELO_OAUTH_CLIENT_SECRET,
  }
}

function newClient(credentials: CredentialStrategy): MoeDeloClient {
  const { MOEDELO_API_URL, MOEDELO_BILL_PDF_PATH, HTTP_TIMEOUT_MS } = config()
  return new MoeDeloClient({ baseUrl: MOEDELO_API_URL, credentials, timeoutMs: HTTP_TIMEOUT_MS, billPdfPath: MOEDELO_BILL_PDF_PATH.trim() || null })
}

async function save(db: Db, memberId: string, credentials: StoredCredentials): Promise<void> {
  const values = { strategy: credentials.strategy, credentialsEnc: encryptJson(credentials), checkedAt: new Date(), updatedAt: new Date() }
  await db
    .insert(moedeloConnections)
    .values({ memberId, ...values })
    .onConflictDoUpdate({ target: moedeloConnections.memberId, set: values })
}

async function load(db: Db, memberId: string): Promise<StoredCredentials | undefined> {
  const [row] = await db.select().from(moedeloConnections).where(eq(moedeloConnections.memberId, memberId))
  return row ? storedCredentials.parse(decryptJson(row.credentialsEnc)) : undefined
}

/** Checks the key against MoeDelo and stores it only if MoeDelo accepts it (throws MoeDeloError otherwise). */
export async function connectWithApiKey(db: Database, memberId: string, apiKey: string): Promise<void> {
  const key = apiKey.trim()
  await newClient(new ApiKeyCredentials(key)).checkConnection()
  await save(db, memberId, { strategy: 'api_key', apiKey: key })
}

/** Completes the OAuth 2.0 authorization-code flow and stores the tokens after a live check. */
export async function connectWithOAuthCode(db: Database, memberId: string, code: string, redirectUri: string): Promise<void> {
  const settings = moedeloOAuthSettings()
  if (!settings) throw new Error('OAuth 2.0 for MoeDelo is not configured')
  const credentials = new OAuth2Credentials(settings)
  const tokens = await credentials.exchangeCode(code, redirectUri)
  await newClient(credentials).checkConnection()
  await save(db, memberId, { strategy: 'oauth2', tokens })
}

export async function disconnect(db: Database, memberId: string): Promise<void> {
  await db.delete(moedeloConnections).where(eq(moedeloConnections.memberId, memberId))
}

export async function connectionStatus(db: Database, memberId: string): Promise<MoeDeloConnectionStatus> {
  const [row] = await db
    .select({ strategy: moedeloConnections.strategy, firmName: moedeloConnections.firmName, checkedAt: moedeloConnections.checkedAt })
    .from(moedeloConnections)
    .where(eq(moedeloConnections.memberId, memberId))
  if (!row) return { connected: false }
  return { connected: true, strategy: row.strategy, firmName: row.firmName, checkedAt: row.checkedAt?.toISOString() ?? null }
}

/**
 * A client for the portal's MoeDelo, or undefined when none is connected. OAuth refreshes are
 * serialised across processes by a row lock and persisted before use.
 */
export async function moedeloClientFor(db: Database, memberId: string): Promise<MoeDeloClient | undefined> {
  const stored = await load(db, memberId)
  if (!stored) return undefined
  if (stored.strategy === 'api_key') return newClient(new ApiKeyCredentials(stored.apiKey))
  const settings = moedeloOAuthSettings()
  if (!settings) return undefined
  // Inside the refresh lock every read and write goes through the locking transaction: on PGlite a
  // second connection does not exist, and on PostgreSQL it would wait for our own row lock.
  let lockedTx: Db | undefined
  return newClient(
    new OAuth2Credentials({
      ...settings,
      tokens: stored.tokens,
      onTokens: (tokens: OAuth2Tokens) => save(lockedTx ?? db, memberId, { strategy: 'oauth2', tokens }),
      loadTokens: async () => {
        const current = await load(lockedTx ?? db, memberId)
        return current?.strategy === 'oauth2' ? current.tokens : undefined
      },
      refreshLock: (fn) =>
        db.transaction(async (tx) => {
          await tx.execute(sql`select 1 from ${moedeloConnections} where ${moedeloConnections.memberId} = ${memberId} for update`)
          lockedTx = tx
          try {
            return await fn()
          } finally {
            lockedTx = undefined
          }
        }),
    }),
  )
}
