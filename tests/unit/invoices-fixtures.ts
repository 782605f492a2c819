/** Shared deal snapshots for the invoice tests (not a test file itself). */
import type { BitrixProductRow, DealSnapshot } from '@/lib/invoices'

export const row = (over: Partial<BitrixProductRow> = {}): BitrixProductRow => ({
  ID: '1',
  PRODUCT_ID: 0,
  PRODUCT_NAME: 'Консультация',
  PRICE: 1220,
  PRICE_EXCLUSIVE: 1000,
  PRICE_NETTO: 1000,
  PRICE_BRUTTO: 1220,
  QUANTITY: 1,
  DISCOUNT_TYPE_ID: 2,
  DISCOUNT_RATE: 0,
  DISCOUNT_SUM: 0,
  TAX_RATE: 22,
  TAX_INCLUDED: 'N',
  MEASURE_CODE: 796,
  MEASURE_NAME: 'шт',
  ...over,
})

export const deal = (over: Partial<DealSnapshot> = {}): DealSnapshot => ({
  id: 42,
  title: 'Поставка',
  currency: 'RUB',
  opportunity: '1220.00',
  isManualOpportunity: false,
  company: { id: 7, title: 'ООО «Ромашка»', requisite: { inn: '7717586110', kpp: '770501001', presetKind: 'legal_entity' }, registryStatus: 'active' },
  contact: null,
  productRows: [row()],
  ...over,
})

export const TODAY = '2026-03-30'
