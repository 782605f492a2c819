/**
 * zod schemas of Kontur.Focus `/api3/req` and `/api3/egrDetails` answers (spec §3.2–§3.4): top-level
 * JSON arrays, one item per entity with `UL` (legal entity) or `IP` (individual entrepreneur). Only
 * mapped fields are described; the rest passes through.
 */
import { z } from 'zod'

const str = z.string().nullish()
const flag = z.boolean().nullish()

export const toponymSchema = z.looseObject({ topoShortName: str, topoFullName: str, topoValue: str })

export const parsedAddressSchema = z.looseObject({
  zipCode: str,
  regionCode: str,
  regionName: toponymSchema.nullish(),
  district: toponymSchema.nullish(),
  city: toponymSchema.nullish(),
  settlement: toponymSchema.nullish(),
  street: toponymSchema.nullish(),
  house: toponymSchema.nullish(),
  bulk: toponymSchema.nullish(),
  flat: toponymSchema.nullish(),
  houseRaw: str,
  bulkRaw: str,
  flatRaw: str,
  oneLineFormatOfAddress: str,
})

const statusSchema = z.looseObject({
  statusString: str,
  reorganizing: flag,
  bankrupting: flag,
  dissolving: flag,
  dissolved: flag,
  date: str,
})

export const reqULSchema = z.looseObject({
  kpp: str,
  okopf: str,
  opf: str,
  legalName: z.looseObject({ short: str, full: str, readable: str, date: str }).nullish(),
  legalAddress: z.looseObject({ parsedAddressRF: parsedAddressSchema.nullish(), date: str }).nullish(),
  branches: z
    .array(z.looseObject({ name: str, kpp: str, parsedAddressRF: parsedAddressSchema.nullish(), date: str }))
    .nullish(),
  status: statusSchema.nullish(),
  registrationDate: str,
  dissolutionDate: str,
  heads: z.array(z.looseObject({ fio: str, innfl: str, position: str, date: str })).nullish(),
  managementCompanies: z.array(z.looseObject({ name: str, inn: str, ogrn: str, date: str })).nullish(),
})

export const reqIPSchema = z.looseObject({
  fio: str,
  okopf: str,
  registrationDate: str,
  dissolutionDate: str,
  status: statusSchema.nullish(),
})

export const reqItemSchema = z.looseObject({
  inn: str,
  ogrn: str,
  focusHref: str,
  UL: reqULSchema.nullish(),
  IP: reqIPSchema.nullish(),
})

const activitiesSchema = z
  .looseObject({
    principalActivity: z.looseObject({ code: str, text: str, date: str }).nullish(),
    okvedVersion: str,
  })
  .nullish()

const linkSchema = z.looseObject({ inn: str, ogrn: str, name: str, date: str })

export const egrDetailsItemSchema = z.looseObject({
  inn: str,
  ogrn: str,
  UL: z
    .looseObject({
      activities: activitiesSchema,
      regInfo: z.looseObject({ ogrnDate: str }).nullish(),
      successors: z.array(linkSchema).nullish(),
    })
    .nullish(),
  IP: z
    .looseObject({
      activities: activitiesSchema,
      regInfo: z.looseObject({ ogrnDate: str }).nullish(),
      shortenedAddress: z
        .looseObject({
          regionName: toponymSchema.nullish(),
          district: toponymSchema.nullish(),
          city: toponymSchema.nullish(),
          settlement: toponymSchema.nullish(),
        })
        .nullish(),
    })
    .nullish(),
})

export const reqResponseSchema = z.array(reqItemSchema)
export const egrDetailsResponseSchema = z.array(egrDetailsItemSchema)

export type FocusReqItem = z.infer<typeof reqItemSchema>
export type FocusEgrDetailsItem = z.infer<typeof egrDetailsItemSchema>
export type FocusParsedAddress = z.infer<typeof parsedAddressSchema>
export type FocusToponym = z.infer<typeof toponymSchema>
