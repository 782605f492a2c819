/**
 * Stock — `/stock/api/v1/{good,nomenclature,stock}` (spec §7, §13): goods and materials with their
 * groups, and warehouses. Legacy conventions (§2.1): PascalCase, `{Count, TotalCount, ResourceList}`
 * lists, bare objects, 201 on create, `deleteStatus` on delete, 400 `ValidationErrors`.
 *
 * Emulator choices (the spec does not say): `name` is a case-insensitive substring filter; a good's
 * `Name` is at most 1000 characters; absent `Type` is 0 (goods), `Nds` −1 (without VAT),
 * `NdsPositionType` 1, `ProductSubType` 0; every firm starts with one group and one main warehouse.
 */
import type { EmulatorResponse, Router } from '../shared/http'
import { scaled, scaledToNumber } from './bills'
import { guarded, type EmulatorContext } from './guard'
import {
  bodyField,
  bool,
  errorResponse,
  FieldErrorCollector,
  int,
  listEnvelope,
  modifyDateFilter,
  pageParams,
  queryParam,
  recordById,
  requireBody,
  str,
  validationError,
} from './legacy'
import type { FirmState, GoodDto, GoodRecord, NomenclatureDto, StockDto } from './state'

export const GOOD_PATH = '/stock/api/v1/good'
export const NOMENCLATURE_PATH = '/stock/api/v1/nomenclature'
export const STOCK_PATH = '/stock/api/v1/stock'

const NDS_POSITION_TYPES = new Set([1, 2, 3])
const PRODUCT_SUB_TYPES = new Set([0, 1, 2, 3])
const NAME_MAX = 1000

/** Decimal with at most 4 places, ≥ 0 (prices and minimums); `null` when sent empty. */
function decimal(body: Record<string, unknown>, field: string, errors: FieldErrorCollector): number | null | undefined {
  const raw = bodyField(body, field)
  const value = scaled(raw, 4)
  if (value === undefined) return raw === null ? null : undefined
  if (value === 'invalid' || value === 'too_precise') {
    errors.add(field, `Значение ${field} должно быть числом не более чем с 4 знаками после запятой.`)
    return undefined
  }
  if (value < 0n) {
    errors.add(field, `Значение ${field} не может быть отрицательным.`)
    return undefined
  }
  return scaledToNumber(value, 4)
}

/** An enum member: `undefined` when absent, the default when sent empty, an error when out of the set. */
function member(
  body: Record<string, unknown>,
  field: string,
  allowed: ReadonlySet<number> | readonly number[],
  errors: FieldErrorCollector,
  message: string,
): number | undefined {
  const value = int(bodyField(body, field))
  if (value === undefined || value === null) return undefined
  const ok = value !== 'invalid' && (Array.isArray(allowed) ? allowed.includes(value) : (allowed as ReadonlySet<number>).has(value))
  if (!ok) {
    errors.add(field, message)
    return undefined
  }
  return value as number
}

type TextField = 'Modification' | 'Article' | 'UnitOfMeasurement' | 'Producer'

/** Validates a create/update body into good fields (spec §7; §13: `NomenclatureId` required and must exist, `Type` ∈ {0,1}). */
function parseGood(
  ctx: EmulatorContext,
  firm: FirmState,
  body: Record<string, unknown>,
  base: Partial<GoodDto>,
): { fields: Omit<GoodDto, 'Id' | 'SubcontoId'> } | { errors: FieldErrorCollector } {
  const errors = new FieldErrorCollector()
  const name = str(bodyField(body, 'Name'))?.trim()
  if (!name) errors.add('Name', 'Не указано наименование товара.')
  else if (name.length > NAME_MAX) errors.add('Name', `Наименование не может быть длиннее ${NAME_MAX} символов.`)

  const nomenclatureId = int(bodyField(body, 'NomenclatureId'))
  if (nomenclatureId === undefined || nomenclatureId === null) errors.add('NomenclatureId', 'Не указана группа товаров.')
  else if (nomenclatureId === 'invalid' || !firm.nomenclatures.has(nomenclatureId)) errors.add('NomenclatureId', 'Группа товаров не найдена.')

  const type = member(body, 'Type', [0, 1], errors, 'Тип должен быть 0 (товар) или 1 (материал).')
  const nds = member(body, 'Nds', ctx.switches.goodNdsValues, errors, 'Недопустимая ставка НДС.')
  const ndsPositionType = member(body, 'NdsPositionType', NDS_POSITION_TYPES, errors, 'Способ учёта НДС должен быть 1 (без НДС), 2 (сверху) или 3 (в том числе).')
  const productSubType = member(body, 'ProductSubType', PRODUCT_SUB_TYPES, errors, 'Недопустимый вид товара.')
  const salePrice = decimal(body, 'SalePrice', errors)
  const minSalePrice = decimal(body, 'MinSalePrice', errors)
  const productMinimum = decimal(body, 'ProductMinimum', errors)
  if (!errors.empty || !name) return { errors }

  const text = (field: TextField): string | null => {
    const value = str(bodyField(body, field))
    return value === undefined ? (base[field] ?? null) : value
  }
  const pick = <T>(sent: T | undefined, field: keyof GoodDto, fallback: T): T => (sent !== undefined ? sent : ((base[field] as T | undefined) ?? fallback))
  return {
    fields: {
      NomenclatureId: nomenclatureId as number,
      Name: name,
      Modification: text('Modification'),
      Article: text('Article'),
      UnitOfMeasurement: text('UnitOfMeasurement'),
      Nds: pick(nds, 'Nds', -1),
      SalePrice: pick(salePrice, 'SalePrice', null),
      MinSalePrice: pick(minSalePrice, 'MinSalePrice', null),
      Type: pick(type, 'Type', 0),
      NdsPositionType: pick(ndsPositionType, 'NdsPositionType', 1),
      Producer: text('Producer'),
      ProductSubType: pick(productSubType, 'ProductSubType', 0),
      ProductMinimum: pick(productMinimum, 'ProductMinimum', null),
    },
  }
}

/** The response object: the §7 members in the Swagger's order, nothing else. */
export function goodView(g: GoodRecord): GoodDto {
  return {
    Id: g.Id,
    NomenclatureId: g.NomenclatureId,
    Name: g.Name,
    Modification: g.Modification,
    Article: g.Article,
    UnitOfMeasurement: g.UnitOfMeasurement,
    Nds: g.Nds,
    SalePrice: g.SalePrice,
    MinSalePrice: g.MinSalePrice,
    Type: g.Type,
    NdsPositionType: g.NdsPositionType,
    SubcontoId: g.SubcontoId,
    Producer: g.Producer,
    ProductSubType: g.ProductSubType,
    ProductMinimum: g.ProductMinimum,
  }
}

/** Stores a good without validation (the seed control route); ids continue after explicit ones. */
export function insertGood(ctx: EmulatorContext, firm: FirmState, fields: Partial<GoodDto> & { Name: string; NomenclatureId: number }): GoodRecord {
  const id = fields.Id && !firm.goods.has(fields.Id) ? fields.Id : ctx.store.ids.next('good')
  if (id > ctx.store.ids.good) ctx.store.ids.good = id
  const now = ctx.clock.now()
  const good: GoodRecord = {
    Id: id,
    NomenclatureId: fields.NomenclatureId,
    Name: fields.Name,
    Modification: fields.Modification ?? null,
    Article: fields.Article ?? null,
    UnitOfMeasurement: fields.UnitOfMeasurement ?? null,
    Nds: fields.Nds ?? -1,
    SalePrice: fields.SalePrice ?? null,
    MinSalePrice: fields.MinSalePrice ?? null,
    Type: fields.Type ?? 0,
    NdsPositionType: fields.NdsPositionType ?? 1,
    SubcontoId: fields.SubcontoId ?? ctx.store.ids.next('subconto'),
    Producer: fields.Producer ?? null,
    ProductSubType: fields.ProductSubType ?? 0,
    ProductMinimum: fields.ProductMinimum ?? null,
    createDate: now,
    modifyDate: now,
  }
  firm.goods.set(id, good)
  return good
}

function parseStock(body: Record<string, unknown>, errors: FieldErrorCollector): Omit<StockDto, 'Id'> | undefined {
  const name = str(bodyField(body, 'Name'))?.trim()
  if (!name) errors.add('Name', 'Не указано название склада.')
  const stockType = int(bodyField(body, 'StockType'))
  if (stockType === 'invalid' || (typeof stockType === 'number' && stockType < 0)) errors.add('StockType', 'Недопустимый тип склада.')
  if (!errors.empty || !name) return undefined
  return { Name: name, IsMain: bool(bodyField(body, 'IsMain')) ?? false, StockType: typeof stockType === 'number' ? stockType : 0 }
}

/** One main warehouse per firm: marking one main unmarks the others (an emulator choice). */
function saveStock(firm: FirmState, stock: StockDto): void {
  if (stock.IsMain) for (const other of firm.stocks.values()) if (other.Id !== stock.Id) other.IsMain = false
  firm.stocks.set(stock.Id, stock)
}

export function registerStockRoutes(router: Router, ctx: EmulatorContext): void {
  const sw = () => ctx.switches
  const notFound = (): EmulatorResponse => errorResponse(404, sw().notFoundBody)
  const findGood = (firm: FirmState, raw: string | undefined) => recordById(firm.goods, raw)
  const findStock = (firm: FirmState, raw: string | undefined) => recordById(firm.stocks, raw)

  // ---------- goods ----------

  router.add(
    'GET',
    GOOD_PATH,
    guarded(ctx, 'stock', (req, _params, firm) => {
      const errors = new FieldErrorCollector()
      const { pageNo, pageSize } = pageParams(req, sw(), errors)
      const modifiedInRange = modifyDateFilter(req, errors)
      if (!errors.empty) return validationError(sw(), errors.errors)
      const name = queryParam(req, 'name')?.trim().toLocaleLowerCase('ru-RU')
      const matching = [...firm.goods.values()]
        .filter((g) => !name || g.Name.toLocaleLowerCase('ru-RU').includes(name))
        .filter(modifiedInRange)
        .sort((a, b) => a.Id - b.Id)
        .map(goodView)
      return { body: listEnvelope(matching, pageNo, pageSize) }
    }),
  )

  router.add(
    'POST',
    GOOD_PATH,
    guarded(ctx, 'stock', (req, _params, firm) => {
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const result = parseGood(ctx, firm, parsed.body, {})
      if ('errors' in result) return validationError(sw(), result.errors.errors)
      return { status: 201, body: goodView(insertGood(ctx, firm, result.fields)) }
    }),
  )

  router.add(
    'GET',
    `${GOOD_PATH}/:id`,
    guarded(ctx, 'stock', (_req, params, firm) => {
      const good = findGood(firm, params.id)
      return good ? { body: goodView(good) } : notFound()
    }),
  )

  router.add(
    'PUT',
    `${GOOD_PATH}/:id`,
    guarded(ctx, 'stock', (req, params, firm) => {
      const existing = findGood(firm, params.id)
      if (!existing) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const result = parseGood(ctx, firm, parsed.body, sw().goodPutSemantics === 'merge' ? existing : {})
      if ('errors' in result) return validationError(sw(), result.errors.errors)
      const updated: GoodRecord = { ...existing, ...result.fields, modifyDate: ctx.clock.now() }
      firm.goods.set(existing.Id, updated)
      return { body: goodView(updated) }
    }),
  )

  router.add(
    'DELETE',
    `${GOOD_PATH}/:id`,
    guarded(ctx, 'stock', (_req, params, firm) => {
      const existing = findGood(firm, params.id)
      if (!existing) return notFound()
      firm.goods.delete(existing.Id)
      return { status: sw().deleteStatus }
    }),
  )

  // ---------- groups ----------

  router.add(
    'GET',
    NOMENCLATURE_PATH,
    guarded(ctx, 'stock', (_req, _params, firm) => {
      const groups: NomenclatureDto[] = [...firm.nomenclatures.values()].sort((a, b) => a.Id - b.Id)
      return { body: sw().nomenclatureListShape === 'array' ? groups : listEnvelope(groups, 1, Math.max(1, groups.length)) }
    }),
  )

  // ---------- warehouses ----------

  router.add(
    'GET',
    STOCK_PATH,
    guarded(ctx, 'stock', (req, _params, firm) => {
      const errors = new FieldErrorCollector()
      const { pageNo, pageSize } = pageParams(req, sw(), errors)
      if (!errors.empty) return validationError(sw(), errors.errors)
      return { body: listEnvelope([...firm.stocks.values()].sort((a, b) => a.Id - b.Id), pageNo, pageSize) }
    }),
  )

  router.add(
    'POST',
    STOCK_PATH,
    guarded(ctx, 'stock', (req, _params, firm) => {
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const fields = parseStock(parsed.body, errors)
      if (!fields) return validationError(sw(), errors.errors)
      const stock: StockDto = { Id: ctx.store.ids.next('stock'), ...fields }
      saveStock(firm, stock)
      return { status: 201, body: stock }
    }),
  )

  router.add(
    'GET',
    `${STOCK_PATH}/:id`,
    guarded(ctx, 'stock', (_req, params, firm) => {
      const stock = findStock(firm, params.id)
      return stock ? { body: stock } : notFound()
    }),
  )

  router.add(
    'PUT',
    `${STOCK_PATH}/:id`,
    guarded(ctx, 'stock', (req, params, firm) => {
      const existing = findStock(firm, params.id)
      if (!existing) return notFound()
      const parsed = requireBody(req, sw())
      if ('error' in parsed) return parsed.error
      const errors = new FieldErrorCollector()
      const fields = parseStock(parsed.body, errors)
      if (!fields) return validationError(sw(), errors.errors)
      const stock: StockDto = { Id: existing.Id, ...fields }
      saveStock(firm, stock)
      return { body: stock }
    }),
  )

  router.add(
    'DELETE',
    `${STOCK_PATH}/:id`,
    guarded(ctx, 'stock', (_req, params, firm) => {
      const existing = findStock(firm, params.id)
      if (!existing) return notFound()
      firm.stocks.delete(existing.Id)
      return { status: sw().deleteStatus }
    }),
  )
}

/** Control routes: dump the stock, seed or clear groups and goods (for "no group" and duplicate tests). */
export function registerStockControlRoutes(control: Router, ctx: EmulatorContext): void {
  const withFirm = (apiKey: string | undefined, fn: (firm: FirmState) => EmulatorResponse): EmulatorResponse => {
    const firm = apiKey ? ctx.store.firms.get(apiKey) : undefined
    return firm ? fn(firm) : { status: 404, body: { error: 'unknown apiKey' } }
  }
  const list = (body: unknown, key: string): Record<string, unknown>[] => {
    const b = body as Record<string, unknown> | undefined
    const raw = Array.isArray(b) ? b : Array.isArray(b?.[key]) ? (b[key] as unknown[]) : b ? [b] : []
    return raw.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
  }
  control
    .add('GET', '/firms/:apiKey/stock', (_req, p) =>
      withFirm(p.apiKey, (firm) => ({
        body: {
          goods: [...firm.goods.values()].map((g) => ({ ...goodView(g), CreateDate: g.createDate.toISOString(), ModifyDate: g.modifyDate.toISOString() })),
          nomenclatures: [...firm.nomenclatures.values()],
          stocks: [...firm.stocks.values()],
        },
      })),
    )
    .add('POST', '/firms/:apiKey/nomenclature', (req, p) =>
      withFirm(p.apiKey, (firm) => {
        const created = list(req.body, 'nomenclatures').map((g) => {
          const group: NomenclatureDto = {
            Id: ctx.store.ids.next('nomenclature'),
            ParentNomenclatureId: typeof g.ParentNomenclatureId === 'number' ? g.ParentNomenclatureId : null,
            Name: typeof g.Name === 'string' && g.Name ? g.Name : 'Товары',
            NomenclatureType: typeof g.NomenclatureType === 'number' ? g.NomenclatureType : 0,
          }
          firm.nomenclatures.set(group.Id, group)
          return group
        })
        return { status: 201, body: { created } }
      }),
    )
    .add('DELETE', '/firms/:apiKey/nomenclature', (_req, p) =>
      withFirm(p.apiKey, (firm) => {
        firm.nomenclatures.clear()
        return { status: 204 }
      }),
    )
    .add('POST', '/firms/:apiKey/goods', (req, p) =>
      withFirm(p.apiKey, (firm) => {
        const fallbackGroup = [...firm.nomenclatures.keys()].sort((a, b) => a - b)[0] ?? 0
        const created = list(req.body, 'goods').map((g) =>
          goodView(
            insertGood(ctx, firm, {
              ...(g as Partial<GoodDto>),
              Name: typeof g.Name === 'string' ? g.Name : 'Товар',
              NomenclatureId: typeof g.NomenclatureId === 'number' ? g.NomenclatureId : fallbackGroup,
            }),
          ),
        )
        return { status: 201, body: { created } }
      }),
    )
    .add('DELETE', '/firms/:apiKey/goods', (_req, p) =>
      withFirm(p.apiKey, (firm) => {
        firm.goods.clear()
        return { status: 204 }
      }),
    )
}
