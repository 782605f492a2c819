/**
 * Environment configuration, parsed once with zod. Everything that points at the outside world
 * (MoeDelo, registries) is a base URL here; Bitrix24 endpoints come from each portal's install payload.
 */
import { z } from 'zod'

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_URL: z.url().default('http://127.0.0.1:3000'),
  B24_CLIENT_ID: z.string().default(''),
  B24_CLIENT_SECRET: z.string().default(''),
  DATABASE_URL: z.string().optional().transform((v) => (v ? v : undefined)),
  DATA_DIR: z.string().default('.data'),
  APP_SECRET: z.string().optional().transform((v) => (v ? v : undefined)),
  MOEDELO_API_URL: z.url().default('https://restapi.moedelo.org'),
  /** Where MoeDelo's public bill pages live: the bill's `Online` path is appended (spec §4.4). */
  MOEDELO_WEB_URL: z.url().default('https://www.moedelo.org'),
  /**
   * Route of a bill's PDF on the MoeDelo API, `{id}` = bill id. MoeDelo's route is UNKNOWN (spec §4.6);
   * empty = PDFs are not fetched and the deal gets the online link only.
   */
  MOEDELO_BILL_PDF_PATH: z.string().default('/accounting/api/v1/sales/bill/{id}/pdf'),
  MOEDELO_OAUTH_AUTHORIZE_URL: z.string().default(''),
  MOEDELO_OAUTH_TOKEN_URL: z.string().default(''),
  MOEDELO_OAUTH_CLIENT_ID: z.string().default(''),
  MOEDELO_OAUTH_CLIENT_SECRET: z.string().default(''),
  DADATA_API_URL: z.url().default('https://suggestions.dadata.ru'),
  KONTUR_FOCUS_API_URL: z.url().default('https://focus-api.kontur.ru'),
  ALLOWED_IPS: z.string().default(''),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (the client is the N-th from the right). */
  TRUSTED_PROXIES: z.coerce.number().int().min(1).default(1),
  ALLOW_INSECURE_ENDPOINTS: booleanFlag,
  /** Runs pg-boss workers inside the Next.js process (always with the embedded database). */
  RUN_WORKERS_IN_APP: z.enum(['auto', 'yes', 'no']).default('auto'),
  /** Retry delays for external calls, seconds (the policy is 5/15/45). */
  RETRY_DELAYS_SECONDS: z
    .string()
    .default('5,15,45')
    .transform((v) => v.split(',').map((s) => Number(s.trim())))
    .pipe(z.array(z.number().nonnegative()).min(1)),
  /** How often a parked service is probed for recovery, seconds. */
  RECOVERY_PROBE_SECONDS: z.coerce.number().positive().default(30),
  /** How long registry (EGRUL/EGRIP) answers are reused, seconds. */
  REGISTRY_CACHE_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Payments: how often each portal's MoeDelo bills are polled, seconds (MoeDelo has no webhooks). */
  PAYMENT_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(60),
  /** Payments: every poll also re-reads changes from this long before its cursor, seconds (clock skew, late writes). */
  PAYMENT_POLL_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Payments: bank payments are read from the Money Registry from this many days before the cursor (statements come late). */
  PAYMENT_REGISTRY_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** Payments: how often every open bill is re-read to find bills deleted in MoeDelo, seconds. */
  PAYMENT_RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(60).default(21_600),
  /** Overdue reminders: the local time (the portal's time zone) of the daily run, `HH:MM`. */
  PAYMENT_REMINDER_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM').default('09:00'),
  /** Overdue reminders: a manager with at least this many overdue invoices gets one digest instead of one each. */
  PAYMENT_REMINDER_DIGEST_FROM: z.coerce.number().int().min(2).default(5),
})

export type AppConfig = z.infer<typeof envSchema>

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`Invalid configuration: ${problems}`)
  }
  const config = parsed.data
  if (config.ALLOW_INSECURE_ENDPOINTS && config.NODE_ENV === 'production' && !env.SANDBOX) {
    throw new ConfigError(
      'ALLOW_INSECURE_ENDPOINTS is for the sandbox and tests only; it is refused in production (set SANDBOX=1 for a demo).',
    )
  }
  return config
}

let cached: AppConfig | undefined

export function config(): AppConfig {
  cached ??= parseConfig(process.env)
  return cached
}

/** Tests change the environment between suites. */
export function resetConfigForTests(): void {
  cached = undefined
}
