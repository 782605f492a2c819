/**
 * zod schemas of DaData's `findById/party` answer (spec §2.2–§2.3) and `stat/daily`. Only the fields
 * we map are described; everything else passes through untouched (`looseObject`). Nullable fields
 * accept absent / null alike — DaData omits some keys for ИП and fills others with null.
 */
import { z } from 'zod'

const str = z.string().nullish()
const epochMs = z.number().nullish()

export const partyDataSchema = z.looseObject({
  inn: z.string(),
  kpp: str,
  ogrn: str,
  ogrn_date: epochMs,
  hid: str,
  type: str,
  name: z.looseObject({ full_with_opf: str, short_with_opf: str, full: str, short: str }).nullish(),
  fio: z.looseObject({ surname: str, name: str, patronymic: str }).nullish(),
  opf: z.looseObject({ code: str, full: str, short: str }).nullish(),
  management: z.looseObject({ name: str, post: str, start_date: epochMs }).nullish(),
  managers: z
    .array(
      z.looseObject({
        type: str,
        post: str,
        name: str,
        fio: z.looseObject({ surname: str, name: str, patronymic: str, source: str }).nullish(),
      }),
    )
    .nullish(),
  branch_type: str,
  address: z
    .looseObject({
      value: str,
      unrestricted_value: str,
      data: z.looseObject({ source: str }).nullish(),
    })
    .nullish(),
  state: z
    .looseObject({
      status: str,
      code: z.union([z.string(), z.number()]).nullish(),
      actuality_date: epochMs,
      registration_date: epochMs,
      liquidation_date: epochMs,
    })
    .nullish(),
  okved: str,
  okved_type: str,
  okveds: z.array(z.looseObject({ main: z.boolean().nullish(), code: str, name: str, type: str })).nullish(),
  successors: z.array(z.looseObject({ inn: str, ogrn: str, name: str })).nullish(),
})

export const suggestionSchema = z.looseObject({
  value: str,
  unrestricted_value: str,
  data: partyDataSchema,
})

export const findPartyResponseSchema = z.looseObject({
  suggestions: z.array(suggestionSchema),
})

export const dailyStatsSchema = z.looseObject({
  date: z.string(),
  services: z.looseObject({ suggestions: z.number().nullish() }),
})

export type DaDataPartyData = z.infer<typeof partyDataSchema>
export type DaDataSuggestion = z.infer<typeof suggestionSchema>

/** Request body of `findById/party` (spec §2.1). */
export interface FindPartyRequest {
  query: string
  count?: number
  kpp?: string
  branch_type?: 'MAIN' | 'BRANCH'
  type?: 'LEGAL' | 'INDIVIDUAL'
  status?: ('ACTIVE' | 'LIQUIDATING' | 'LIQUIDATED' | 'REORGANIZING' | 'BANKRUPT')[]
}
