/**
 * The MoeDelo side of the counterparty flow (moedelo.md §3.3, §12 step 1): search by INN first (matching
 * KPP, non-archived, lowest Id), create only when nothing is found (`/kontragent/inn`, then a full create
 * when MoeDelo refuses it). One create per row: the row is claimed in `effects` before any HTTP call;
 * a second worker waits briefly for the first one's id and otherwise retries later (retryable error).
 */
import type { Database } from '@/db/client'
import { counterpartyMessages } from '@/lib/domain/messages'
import { AppError } from '@/lib/errors'
import { MoeDeloError, type Counterparty, type CounterpartyForm, type CounterpartyInput, type MoeDeloClient } from '@/lib/moedelo'
import type { CounterpartyFields } from '@/lib/counterparties/fields'
import {
  boundMoedeloIds,
  getCounterparty,
  recordMoedeloId,
  releaseClaim,
  takeClaim,
  type CounterpartyKind,
  type CounterpartyRow,
} from '@/lib/counterparties/store'

/** Another worker is creating this counterparty in MoeDelo right now: try again shortly. */
export class CounterpartyBusyError extends AppError {
  constructor(inn: string) {
    super(`counterparty ${inn} is being created in MoeDelo by another worker`, {
      userMessage: counterpartyMessages.busy(inn),
      retryable: true,
    })
  }
}

export interface MoeDeloLinkInput {
  inn: string
  kind: CounterpartyKind
  /** The unit's KPP (head office or branch); null for an ИП / person. */
  kpp: string | null
  fields: Partial<CounterpartyFields>
  /** Name to use when nothing better is known (the company title). */
  fallbackName: string
}

export type MoeDeloLink =
  | { kind: 'existing'; moedeloId: number }
  | { kind: 'linked' | 'created'; moedeloId: number; record: Counterparty | null }

/** A claim older than this belongs to a worker that died. */
export const CLAIM_STALE_MS = 60_000
const WAIT_FOR_OTHER_MS = 5_000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The best existing MoeDelo record for a unit: same KPP (or none, for the head office), not archived, lowest Id. */
export function pickExisting(found: readonly Counterparty[], input: { kpp: string | null; isBranch: boolean; exclude: Set<number> }): Counterparty | undefined {
  const live = found.filter((c) => !c.isArchived && !input.exclude.has(c.id)).sort((a, b) => a.id - b.id)
  if (input.kpp === null) return live[0]
  const sameKpp = live.find((c) => c.kpp === input.kpp)
  if (sameKpp || input.isBranch) return sameKpp
  return live.find((c) => !c.kpp)
}

const FORM: Record<CounterpartyKind, CounterpartyForm> = { legal_entity: 'legal_entity', sole_trader: 'sole_trader', individual: 'individual' }

function fullCreateInput(input: MoeDeloLinkInput): CounterpartyInput {
  const f = input.fields
  const person = input.kind !== 'legal_entity'
  const name = f.shortName || f.fullName || input.fallbackName || `Контрагент ИНН ${input.inn}`
  return {
    name,
    form: FORM[input.kind],
    role: 'buyer',
    inn: input.inn,
    ...(!person && input.kpp ? { kpp: input.kpp } : {}),
    ...(person ? (f.ogrnip ? { ogrn: f.ogrnip } : {}) : f.ogrn ? { ogrn: f.ogrn } : {}),
    ...(f.shortName ? { shortName: f.shortName } : {}),
    ...(f.fullName ? { fullName: f.fullName } : {}),
    ...(f.legalAddress ? { legalAddress: f.legalAddress } : {}),
    ...(person ? { fio: f.directorName || name.replace(/^ИП\s+/i, '') } : {}),
  }
}

/** Creates the counterparty: from MoeDelo's register by INN when it can, else with every field we have. */
export async function createInMoeDelo(client: MoeDeloClient, input: MoeDeloLinkInput, isBranch: boolean): Promise<Counterparty> {
  if (!isBranch && input.kind !== 'individual') {
    try {
      return await client.createCounterpartyByInn(input.inn, 'buyer')
    } catch (error) {
      // Refused (not in MoeDelo's register, a private person…): a full create instead. Outages propagate.
      if (!(error instanceof MoeDeloError) || error.retryable) throw error
    }
  }
  return client.createCounterparty(fullCreateInput(input))
}

export async function linkInMoeDelo(
  db: Database,
  memberId: string,
  client: MoeDeloClient,
  row: CounterpartyRow,
  input: MoeDeloLinkInput,
): Promise<MoeDeloLink> {
  if (row.moedeloId) return { kind: 'existing', moedeloId: row.moedeloId }
  const key = `counterparty:moedelo-create:${row.id}`
  const token = await takeClaim(db, memberId, key, CLAIM_STALE_MS)
  if (!token) {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS
    while (Date.now() < deadline) {
      await sleep(150)
      const now = await getCounterparty(db, row.id)
      if (now?.moedeloId) return { kind: 'existing', moedeloId: now.moedeloId }
    }
    throw new CounterpartyBusyError(input.inn)
  }
  try {
    const fresh = await getCounterparty(db, row.id)
    if (fresh?.moedeloId) return { kind: 'existing', moedeloId: fresh.moedeloId }
    const isBranch = row.kpp !== ''
    const found = await client.findCounterpartiesByInn(input.inn)
    const exclude = await boundMoedeloIds(db, memberId, found.map((c) => c.id), row.id)
    const existing = pickExisting(found, { kpp: input.kind === 'legal_entity' ? input.kpp : null, isBranch, exclude })
    if (existing) {
      const moedeloId = await recordMoedeloId(db, row.id, existing.id)
      return { kind: 'linked', moedeloId, record: moedeloId === existing.id ? existing : null }
    }
    const created = await createInMoeDelo(client, input, isBranch)
    const moedeloId = await recordMoedeloId(db, row.id, created.id)
    return { kind: 'created', moedeloId, record: moedeloId === created.id ? created : null }
  } finally {
    await releaseClaim(db, memberId, key, token)
  }
}
