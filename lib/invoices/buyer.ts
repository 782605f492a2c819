/**
 * The buyer of a bill: the deal's company, or — when there is none — its contact with a
 * person's (or ИП's) requisites. Requisites are checked by lib/domain/requisites; a buyer the
 * registry reports as liquidated, being liquidated or bankrupt is refused.
 */
import { validateRequisites } from '../domain/requisites'
import type { BillDraft, ClientRequisite, DealSnapshot } from './model'
import { BLOCKING_REGISTRY_STATUSES, type BlockingRegistryStatus, type InvoiceProblem } from './problems'

export type Buyer = BillDraft['kontragent']
export type BuyerResult = { ok: true; value: Buyer } | { ok: false; problems: InvoiceProblem[] }

const isBlocking = (s: unknown): s is BlockingRegistryStatus => (BLOCKING_REGISTRY_STATUSES as readonly unknown[]).includes(s)

export function readBuyer(snapshot: Pick<DealSnapshot, 'company' | 'contact'>): BuyerResult {
  const found = snapshot.company
    ? { party: 'company' as const, who: snapshot.company, title: snapshot.company.title }
    : snapshot.contact
      ? { party: 'contact' as const, who: snapshot.contact, title: snapshot.contact.name }
      : null
  if (found === null) return { ok: false, problems: [{ code: 'no_client' }] }
  const { party, who, title } = found
  const id = who.id
  const requisite: ClientRequisite | null = who.requisite
  const problems: InvoiceProblem[] = []

  let buyer: Buyer | null = null
  const empty = !requisite || [requisite.inn, requisite.kpp, requisite.ogrn, requisite.ogrnip].every((v) => (v ?? '').trim() === '')
  if (empty) {
    problems.push({ code: 'no_requisites', party, title })
  } else {
    const kind = requisite.presetKind ?? (party === 'contact' ? 'individual' : null)
    const r = validateRequisites({ inn: requisite.inn, kpp: requisite.kpp, ogrn: requisite.ogrn, ogrnip: requisite.ogrnip, kind })
    if (!r.ok) problems.push(...r.problems.map((problem) => ({ code: 'requisites' as const, party, title, problem })))
    else if (party === 'contact' && r.value.kind === 'legal_entity') problems.push({ code: 'contact_not_person', title })
    else buyer = { entity: party, id, title, inn: r.value.inn, kpp: r.value.kpp, kind: r.value.kind }
  }

  const status = who.registryStatus
  if (isBlocking(status)) {
    const soleTrader = requisite?.presetKind === 'sole_trader' || (requisite?.inn ?? '').replace(/\D/g, '').length === 12
    problems.push({ code: 'counterparty_flagged', party, title, status, soleTrader })
  }

  return buyer !== null && problems.length === 0 ? { ok: true, value: buyer } : { ok: false, problems }
}
