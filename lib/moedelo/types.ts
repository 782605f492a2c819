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

// ---------- sales bills (spec §4) ----------

/** JSON numbers for money (decimal on the server); converted to kopecks by the mapper, never kept as floats. */
const amount = z.union([z.number(), z.string()])
const amountOrNull = amount.nullish()
const id = z.number().int()

/** `SalesBillItemDto` (spec §4.3). */
export const billItemSchema = z.looseObject({
  Id: id.nullish(),
  StockProductId: id.nullish(),
  Name: z.string(),
  Count: amount,
  Unit: text,
  Type: enumValue,
  Price: amount,
  NdsType: z.union([z.number().int(), z.string()]).nullish(),
  DiscountRate: amountOrNull,
  SumWithoutNds: amountOrNull,
  NdsSum: amountOrNull,
  SumWithNds: amountOrNull,
})
export type BillItemDto = z.infer<typeof billItemSchema>

/** `SalesBillCollectionItemDto`: list entries (no Items, no Payments; spec §4.4). */
export const billCollectionItemSchema = z.looseObject({
  Id: z.number().int().positive(),
  Number: z.union([z.string(), z.number()]).transform(String),
  DocDate: z.string(),
  Type: enumValue,
  Status: enumValue,
  KontragentId: id,
  SettlementAccount: z.looseObject({ AccountId: id.nullish(), AccountNumber: text }).nullish(),
  ProjectId: id.nullish(),
  StockId: id.nullish(),
  DeadLine: text,
  AdditionalInfo: text,
  ContractSubject: text,
  NdsPositionType: enumValue,
  IsCovered: z.boolean().nullish(),
  Sum: amount,
  PaidSum: amountOrNull,
  Comment: text,
})
export type BillCollectionItemDto = z.infer<typeof billCollectionItemSchema>

/** `SalesBillDto`: the full bill from GET by id, byIds, POST and PUT. */
export const billSchema = billCollectionItemSchema.extend({
  UseStampAndSign: z.boolean().nullish(),
  Online: text,
  Items: z.array(billItemSchema).nullish(),
  Payments: z
    .array(z.looseObject({ Id: id.nullish(), Number: z.union([z.string(), z.number()]).nullish(), Date: text, Sum: amount }))
    .nullish(),
  Context: z.looseObject({ CreateDate: text, ModifyDate: text, ModifyUser: text }).nullish(),
})
export type BillDto = z.infer<typeof billSchema>

export const billListSchema = legacyListSchema(billCollectionItemSchema)
export const billArraySchema = z.array(billSchema)

/** `SalesBillItemSaveRequestDto`. */
export interface BillItemSaveDto {
  Id?: number
  StockProductId?: number
  Name: string
  Count: number
  Unit: string
  Type: number
  Price: number
  NdsType: number
  DiscountRate?: number
}

/** `SalesBillSaveRequestDto` (spec §4.2). */
export interface BillSaveDto {
  Number?: string
  DocDate?: string
  DeadLine?: string
  KontragentId: number
  ProjectId?: number
  StockId?: number
  SettlementAccountId?: number
  Type: number
  Status?: number
  AdditionalInfo?: string
  ContractSubject?: string
  NdsPositionType: number
  IsCovered?: boolean
  UseStampAndSign?: boolean
  Items: BillItemSaveDto[]
}

// ---------- stock (spec §7) ----------

/** A good or material (`/stock/api/v1/good`); the field list of the Swagger comments (spec §7). */
export const goodSchema = z.looseObject({
  Id: z.number().int().positive(),
  NomenclatureId: id.nullish(),
  Name: z.string(),
  Modification: text,
  Article: text,
  UnitOfMeasurement: text,
  /** A percentage (22), −1 «без НДС», or a calculated-rate code (120); numbers or numeric strings. */
  Nds: z.union([z.number().int(), z.string()]).nullish(),
  SalePrice: amountOrNull,
  MinSalePrice: amountOrNull,
  Type: enumValue,
  NdsPositionType: enumValue,
  SubcontoId: id.nullish(),
  Producer: text,
  ProductSubType: enumValue,
  ProductMinimum: amountOrNull,
})
export type GoodDto = z.infer<typeof goodSchema>
export const goodListSchema = legacyListSchema(goodSchema)

/** A goods group `{Id, ParentNomenclatureId, Name, NomenclatureType}` (spec §7). */
export const nomenclatureSchema = z.looseObject({
  Id: z.number().int().positive(),
  ParentNomenclatureId: id.nullish(),
  Name: z.string(),
  NomenclatureType: enumValue,
})
export type NomenclatureDto = z.infer<typeof nomenclatureSchema>
/** The groups list: the legacy envelope or a bare array (spec §7 does not show which). */
export const nomenclatureListSchema = z.union([
  legacyListSchema(nomenclatureSchema).transform((l) => l.ResourceList),
  z.array(nomenclatureSchema),
])

/** Request body for `POST /good` and `PUT /good/{id}`. */
export interface GoodSaveDto {
  NomenclatureId: number
  Name: string
  Modification?: string | null
  Article?: string | null
  UnitOfMeasurement?: string | null
  Nds: number
  SalePrice?: number | null
  MinSalePrice?: number | null
  Type: number
  NdsPositionType: number
  Producer?: string | null
  ProductSubType?: number | null
  ProductMinimum?: number | null
}
// ---------- money: Registry of money operations (spec §2.2, §6.1) ----------

/**
 * The Money service is ASP.NET Core: the envelope is camelCase (spec §2.2) and the members most likely
 * are too, but that is not confirmed — keys are read case-insensitively by lower-casing their first letter.
 */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(v)]))
  }
  return value
}

/** `OperationResponseDto` (spec §6.1); only what the app relies on is strict. */
export const moneyOperationSchema = z.looseObject({
  documentBaseId: z.number().int().positive(),
  /** `yyyy-MM-dd` or a `DateTime` (`yyyy-MM-ddT00:00:00`): the format is not confirmed. */
  date: z.string(),
  number: z.union([z.string(), z.number()]).nullish(),
  sum: amount,
  direction: enumValue,
  operationType: enumValue,
  description: text,
  /** `Id` arrives as a string (spec §6.1). */
  contractor: z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), name: text, type: enumValue }).nullish(),
  modifyDate: text,
})
export type MoneyOperationDto = z.infer<typeof moneyOperationSchema>

/** `{data, offset, limit, totalCount}` (spec §2.2). */
export const moneyOperationPageSchema = z.preprocess(
  camelKeys,
  z.looseObject({
    data: z.array(moneyOperationSchema),
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().positive().optional(),
    totalCount: z.number().int().nonnegative(),
  }),
)
