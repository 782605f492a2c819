/** Domain rules with no I/O: company requisites, money and VAT, and the texts about their problems. */
export * from './requisites'
export * from './money'
export * from './messages'
