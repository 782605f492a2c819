/**
 * Vendor shapes (PascalCase, spec §2.1 and §3.2), validated with zod. These stay inside lib/moedelo;
 * the rest of the app uses the camelCase model from model.ts via mapper.ts.
 * Schemas are lenient about nulls and extra members (the live API may add fields) and strict about
 * what we rely on (Id, Name, envelope counts).
 */
import { z } from 'zod'

const text = z.string().nullish()
/** Enums come back as numbers; Json.NET could also emit numeric strings or names, so keep them raw. */
const enumValue = z.union([z.number().int(), z.string()]).nullish()

export const kontragentSchema = z.looseObject({
  Id: z.number().int().positive(),
  Inn: text,
  Ogrn: text,
  Okpo: text,
  Kpp: text,
  Name: z.string(),
  ShortName: text,
  FullName: text,
  Type: enumValue,
  Form: enumValue,
  IsArchived: z.boolean().nullish(),
  LegalAddress: text,
  ActualAddress: text,
  RegistrationAddress: text,
  TaxpayerNumber: text,
  AdditionalRegNumber: text,
  SubcontoId: z.number().int().nullish(),
  Fio: text,
  SignerFio: text,
  InFace: text,
  Position: text,
  InReason: text,
  PersonalData: text,
})
export type KontragentDto = z.infer<typeof kontragentSchema>

/** Legacy list envelope `{Count, TotalCount, ResourceList}`. */
export function legacyListSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    Count: z.number().int().nonnegative().optional(),
    TotalCount: z.number().int().nonnegative(),
    ResourceList: z.array(item),
  })
}

export const kontragentListSchema = legacyListSchema(kontragentSchema)
export type KontragentListDto = z.infer<typeof kontragentListSchema>

/** Request body for `POST /kontragent` and `PUT /kontragent/{id}`. */
export interface KontragentSaveDto {
  Name: string
  Form?: number
  Type?: number
  Inn?: string | null
  Kpp?: string | null
  Ogrn?: string | null
  Okpo?: string | null
  ShortName?: string | null
  FullName?: string | null
  LegalAddress?: string | null
  ActualAddress?: string | null
  RegistrationAddress?: string | null
  Fio?: string | null
  SiteUrl?: string | null
}

/** Request body for `POST /kontragent/inn`. */
export interface KontragentByInnDto {
  Inn: string
  Type: number
}
