export * from './portals'
export * from './operations'
export * from './moedelo'
export * from './counterparties'
