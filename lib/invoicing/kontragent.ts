/**
 * The bill's buyer in MoeDelo (`KontragentId`). A company goes through the counterparty flow
 * (one INN, one record; registry > MoeDelo > CRM); a mapped company costs no MoeDelo call. A contact
 * (a person or ИП without a company) is found by INN or created once, remembered per INN.
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '@/db'
import { effects } from '@/db/schema'
import { counterpartyForCompany, takeClaim, releaseClaim } from '@/lib/counterparties/store'
import { invoiceMessages } from '@/lib/domain/invoice-messages'
import type { Buyer } from '@/lib/invoices'
import type { MoeDeloClient } from '@/lib/moedelo'
import { syncCompany, type SyncCompanyOutcome } from '@/lib/sync/counterparties'
import { CounterpartyBusyError, createInMoeDelo, pickExisting } from '@/lib/sync/counterparty-moedelo'

export type KontragentResult = { ok: true; kontragentId: number } | { ok: false; reason: string }

const CLAIM_STALE_MS = 60_000

function reasonOf(outcome: SyncCompanyOutcome): string {
  switch (outcome.kind) {
    case 'gone':
      return 'компания удалена из CRM'
    case 'no-inn':
      return 'у компании не заполнен ИНН в реквизитах'
    case 'invalid':
      return outcome.problems.join('; ')
    case 'not-in-registry':
      return outcome.message
    case 'duplicate':
      return `ИНН ${outcome.inn} уже указан у другой компании (№${outcome.existingCompanyId}) — объедините дубли`
    default:
      return invoiceMessages.notConnected
  }
}

async function forCompany(db: Database, memberId: string, buyer: Buyer): Promise<KontragentResult> {
  const mapped = await counterpartyForCompany(db, memberId, buyer.id)
  if (mapped?.moedeloId && mapped.inn === buyer.inn) return { ok: true, kontragentId: mapped.moedeloId }
  const outcome = await syncCompany(db, memberId, buyer.id, { trigger: 'manual' })
  if ((outcome.kind === 'created' || outcome.kind === 'linked') && outcome.moedeloId) return { ok: true, kontragentId: outcome.moedeloId }
  return { ok: false, reason: reasonOf(outcome) }
}

const personKey = (inn: string) => `invoice:kontragent:person:${inn}`

async function rememberedPerson(db: Database, memberId: string, inn: string): Promise<number | undefined> {
  const [row] = await db.select({ result: effects.result }).from(effects).where(and(eq(effects.memberId, memberId), eq(effects.key, personKey(inn))))
  const id = row?.result?.moedeloId
  return typeof id === 'number' ? id : undefined
}

async function forPerson(db: Database, memberId: string, md: MoeDeloClient, buyer: Buyer): Promise<KontragentResult> {
  const known = await rememberedPerson(db, memberId, buyer.inn)
  if (known) return { ok: true, kontragentId: known }
  const claimKey = `${personKey(buyer.inn)}:claim`
  const token = await takeClaim(db, memberId, claimKey, CLAIM_STALE_MS)
  if (!token) throw new CounterpartyBusyError(buyer.inn)
  try {
    const again = await rememberedPerson(db, memberId, buyer.inn)
    if (again) return { ok: true, kontragentId: again }
    const existing = pickExisting(await md.findCounterpartiesByInn(buyer.inn), { kpp: null, isBranch: false, exclude: new Set() })
    const kontragentId =
      existing?.id ??
      (await createInMoeDelo(md, { inn: buyer.inn, kind: buyer.kind, kpp: null, fields: { shortName: buyer.title }, fallbackName: buyer.title }, false)).id
    await db
      .insert(effects)
      .values({ memberId, key: personKey(buyer.inn), result: { moedeloId: kontragentId } })
      .onConflictDoNothing()
    return { ok: true, kontragentId: (await rememberedPerson(db, memberId, buyer.inn)) ?? kontragentId }
  } finally {
    await releaseClaim(db, memberId, claimKey, token)
  }
}

export function kontragentFor(db: Database, memberId: string, md: MoeDeloClient, buyer: Buyer): Promise<KontragentResult> {
  return buyer.entity === 'company' ? forCompany(db, memberId, buyer) : forPerson(db, memberId, md, buyer)
}
