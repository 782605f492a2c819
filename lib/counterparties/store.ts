/**
 * The counterparties table: one row per (portal, INN, KPP-of-a-branch), claimed in short transactions
 * that do no HTTP (on PGlite there is one connection: a transaction held across an HTTP call that itself
 * touches the database would deadlock). One-time effects and short-lived claims live in `effects`.
 */
import { and, eq, inArray, isNull, like, lt, ne, sql } from 'drizzle-orm'
import type { Database } from '@/db/client'
import { counterparties } from '@/db/schema/counterparties'
import { effects } from '@/db/schema/operations'
import type { RegistryStatus } from '@/lib/registry'

export type CounterpartyRow = typeof counterparties.$inferSelect
export type CounterpartyKind = CounterpartyRow['kind']

export type ClaimOutcome =
  | { kind: 'owned'; row: CounterpartyRow; created: boolean }
  /** Another company of this portal already holds this INN (+ branch KPP). */
  | { kind: 'duplicate'; row: CounterpartyRow; otherCompanyId: number }

export interface ClaimInput {
  memberId: string
  inn: string
  /** '' for the head office / no KPP; the KPP of a separate branch otherwise. */
  unitKpp: string
  kind: CounterpartyKind
  companyId: number
  requisiteId: number | null
}

/**
 * Finds or creates the row for this INN (+ branch KPP) and binds it to the company unless another company
 * holds it. A company whose INN changed is first detached from its old row.
 */
export async function claimCounterparty(db: Database, input: ClaimInput): Promise<ClaimOutcome> {
  return db.transaction(async (tx) => {
    const { memberId, inn, unitKpp, companyId } = input
    // The company moved to another INN/KPP: its old row no longer describes it.
    await tx
      .update(counterparties)
      .set({ companyId: null, requisiteId: null })
      .where(
        and(
          eq(counterparties.memberId, memberId),
          eq(counterparties.companyId, companyId),
          sql`(${counterparties.inn} <> ${inn} or ${counterparties.kpp} <> ${unitKpp})`,
        ),
      )
    const inserted = await tx
      .insert(counterparties)
      .values({ memberId, inn, kpp: unitKpp, kind: input.kind, companyId, requisiteId: input.requisiteId })
      .onConflictDoNothing({ target: [counterparties.memberId, counterparties.inn, counterparties.kpp] })
      .returning()
    if (inserted[0]) return { kind: 'owned' as const, row: inserted[0], created: true }

    const [row] = await tx
      .select()
      .from(counterparties)
      .where(and(eq(counterparties.memberId, memberId), eq(counterparties.inn, inn), eq(counterparties.kpp, unitKpp)))
      .for('update')
    if (!row) throw new Error(`counterparty ${inn}/${unitKpp} vanished while being claimed`)
    if (row.companyId === null || row.companyId === companyId) {
      const [bound] = await tx
        .update(counterparties)
        .set({ companyId, requisiteId: input.requisiteId ?? row.requisiteId, kind: input.kind })
        .where(eq(counterparties.id, row.id))
        .returning()
      return { kind: 'owned' as const, row: bound!, created: false }
    }
    return { kind: 'duplicate' as const, row, otherCompanyId: row.companyId }
  })
}

/** Hands a row over to another company (the company that held it is gone). */
export async function rebindCounterparty(db: Database, rowId: number, fromCompanyId: number, toCompanyId: number): Promise<boolean> {
  const done = await db
    .update(counterparties)
    .set({ companyId: toCompanyId })
    .where(and(eq(counterparties.id, rowId), eq(counterparties.companyId, fromCompanyId)))
    .returning({ id: counterparties.id })
  return done.length === 1
}

export async function getCounterparty(db: Database, id: number): Promise<CounterpartyRow | undefined> {
  const [row] = await db.select().from(counterparties).where(eq(counterparties.id, id))
  return row
}

export async function counterpartyForCompany(db: Database, memberId: string, companyId: number): Promise<CounterpartyRow | undefined> {
  const [row] = await db
    .select()
    .from(counterparties)
    .where(and(eq(counterparties.memberId, memberId), eq(counterparties.companyId, companyId)))
  return row
}

/** Rows of the portal with this INN (head and branches). */
export function counterpartiesByInn(db: Database, memberId: string, inn: string): Promise<CounterpartyRow[]> {
  return db.select().from(counterparties).where(and(eq(counterparties.memberId, memberId), eq(counterparties.inn, inn)))
}

/** MoeDelo ids already bound to other rows of the portal (never bind one MoeDelo record twice). */
export async function boundMoedeloIds(db: Database, memberId: string, ids: number[], exceptRowId: number): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .select({ moedeloId: counterparties.moedeloId })
    .from(counterparties)
    .where(and(eq(counterparties.memberId, memberId), inArray(counterparties.moedeloId, ids), ne(counterparties.id, exceptRowId)))
  return new Set(rows.map((r) => r.moedeloId!).filter((v) => v !== null))
}

/** Records the MoeDelo id once; returns the id that stands (ours, or one recorded meanwhile). */
export async function recordMoedeloId(db: Database, rowId: number, moedeloId: number): Promise<number> {
  const [set] = await db
    .update(counterparties)
    .set({ moedeloId, syncedAt: new Date() })
    .where(and(eq(counterparties.id, rowId), isNull(counterparties.moedeloId)))
    .returning({ moedeloId: counterparties.moedeloId })
  if (set?.moedeloId) return set.moedeloId
  const row = await getCounterparty(db, rowId)
  return row?.moedeloId ?? moedeloId
}

export async function markSynced(db: Database, rowId: number): Promise<void> {
  await db.update(counterparties).set({ syncedAt: new Date() }).where(eq(counterparties.id, rowId))
}

/** Statuses that stay on the card until the registry really says otherwise for the same unit. */
export const FLAGGED_STATUSES: ReadonlySet<string> = new Set(['liquidated', 'liquidating', 'bankrupt'])

/**
 * Stores a registry status. A flagged status (liquidated, liquidating, bankrupt) is kept unless this
 * answer is about the same unit (`sameUnit`) and says something else that is known.
 */
export async function recordRegistryStatus(
  db: Database,
  rowId: number,
  status: RegistryStatus,
  sameUnit: boolean,
): Promise<string | null> {
  const row = await getCounterparty(db, rowId)
  if (!row) return null
  const current = row.registryStatus
  let next: string = status
  if (current && FLAGGED_STATUSES.has(current) && !FLAGGED_STATUSES.has(status)) {
    if (!sameUnit || status === 'unknown') next = current
  }
  await db.update(counterparties).set({ registryStatus: next, registryCheckedAt: new Date() }).where(eq(counterparties.id, rowId))
  return next
}

// ---------- effects: "once" marks and short claims ----------

/** Takes a one-time mark; true for the one caller that took it. */
export async function takeOnce(db: Database, memberId: string, key: string, result: Record<string, unknown> = {}): Promise<boolean> {
  const rows = await db.insert(effects).values({ memberId, key, result }).onConflictDoNothing().returning({ key: effects.key })
  return rows.length === 1
}

export async function releaseOnce(db: Database, memberId: string, key: string): Promise<void> {
  await db.delete(effects).where(and(eq(effects.memberId, memberId), eq(effects.key, key)))
}

export async function releaseByPrefix(db: Database, memberId: string, prefix: string): Promise<void> {
  await db.delete(effects).where(and(eq(effects.memberId, memberId), like(effects.key, `${prefix.replace(/[%_]/g, '\\$&')}%`)))
}

/**
 * A short claim: taken when free, or when the holder has not finished within `staleAfterMs` (it died).
 * Returns a token to release with, or undefined when someone else holds it.
 */
export async function takeClaim(db: Database, memberId: string, key: string, staleAfterMs: number): Promise<string | undefined> {
  const token = `${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}`
  if (await takeOnce(db, memberId, key, { token })) return token
  const taken = await db
    .update(effects)
    .set({ result: { token }, doneAt: new Date() })
    .where(and(eq(effects.memberId, memberId), eq(effects.key, key), lt(effects.doneAt, new Date(Date.now() - staleAfterMs))))
    .returning({ key: effects.key })
  return taken.length === 1 ? token : undefined
}

export async function releaseClaim(db: Database, memberId: string, key: string, token: string): Promise<void> {
  await db
    .delete(effects)
    .where(and(eq(effects.memberId, memberId), eq(effects.key, key), sql`${effects.result}->>'token' = ${token}`))
}
