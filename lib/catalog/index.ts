/** CRM catalog goods → MoeDelo stock goods: the sync, its jobs and the admin run. */
export { catalogJobs, catalogProductJob, catalogProductJobKey, catalogSyncJob, startCatalogSync, type CatalogProductPayload } from './jobs'
export { catalogSyncProgress, runCatalogSync, type CatalogRun } from './runs'
export { isService, productOfPrice, SERVICE_TYPE } from './crm-catalog'
export { articleOf } from './good'
export {
  CATALOG_TOPIC,
  CatalogSyncError,
  ensureStockGoods,
  forgetStockGoods,
  syncCatalog,
  syncCatalogProduct,
  type CatalogClients,
  type CatalogSyncSummary,
  type GoodOutcome,
  type ProductSyncOutcome,
} from './sync'
