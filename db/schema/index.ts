export * from './portals'
export * from './operations'
export * from './moedelo'
