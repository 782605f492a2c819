/**
 * Which of our bills a bank payment from MoeDelo's money registry may have touched (spec §6.3): the
 * registry line names no bill, so match the payer (`Contractor.Id` = KontragentId) and the bill number
 * in the purpose of payment. Pure. A match only means "read this bill again"; the bill itself says
 * whether the payment is linked to it.
 */
import type { MoneyOperation } from '@/lib/moedelo'

export interface MatchCandidate {
  billId: number
  number: string | null
  kontragentId: number | null
}

/** When the purpose names none of the payer's bills, re-read at most this many of the payer's open bills. */
export const MAX_BILLS_PER_UNNAMED_PAYMENT = 20

/** Words of the purpose that could be a bill number: any run of letters, digits, `/` and `-` with a digit in it. */
export function numberTokens(description: string | null): string[] {
  if (!description) return []
  const tokens = description.match(/[\p{L}\d/-]+/gu) ?? []
  return [...new Set(tokens.filter((t) => /\d/.test(t)))]
}

const folded = (text: string) => text.trim().toLowerCase()

/**
 * Bill ids to re-read for these payments. `byNumber` are the open bills whose number appears in some
 * purpose; `byPayer` the open, not fully paid bills of the payers (newest first), for payments whose
 * purpose names none of the payer's bills.
 */
export function billsTouchedBy(
  operations: readonly MoneyOperation[],
  byNumber: readonly MatchCandidate[],
  byPayer: readonly MatchCandidate[],
): number[] {
  const touched = new Set<number>()
  for (const op of operations) {
    const tokens = new Set(numberTokens(op.description).map(folded))
    const named = byNumber.filter(
      (c) =>
        c.number !== null &&
        tokens.has(folded(c.number)) &&
        (op.kontragentId === null || c.kontragentId === null || c.kontragentId === op.kontragentId),
    )
    if (named.length > 0) {
      for (const c of named) touched.add(c.billId)
      continue
    }
    if (op.kontragentId === null) continue
    byPayer
      .filter((c) => c.kontragentId === op.kontragentId)
      .slice(0, MAX_BILLS_PER_UNNAMED_PAYMENT)
      .forEach((c) => touched.add(c.billId))
  }
  return [...touched]
}
