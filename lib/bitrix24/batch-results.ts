/**
 * Reading a batch built around one record (a deal, a company) and what hangs on it. A record
 * Bitrix24 says is gone means "not found" to the caller; any other missing result leaves the read
 * incomplete, which is a Bitrix24 failure worth retrying.
 */
import type { BatchResult } from './client'
import { Bitrix24Error, type BatchCommandError } from './errors'

const incomplete = (failure: BatchCommandError | undefined, method: string) =>
  new Bitrix24Error({ kind: 'server', code: failure?.code || 'NO_RESULT', description: failure?.description, method, retryable: true })

/**
 * The record the batch's `key` command read, or `undefined` when Bitrix24 answered that it does not
 * exist. Throws a retryable Bitrix24Error (for `method`) when the command failed otherwise or
 * returned no record.
 */
export function batchRecord<T extends object>(batch: BatchResult, key: string, method: string): T | undefined {
  const record = batch.results[key]
  if (record && typeof record === 'object') return record as T
  const failure = batch.errors[key]
  if (failure && /not ?found/i.test(`${failure.code} ${failure.description}`)) return undefined
  throw incomplete(failure, method)
}

/** Throws a retryable Bitrix24Error for the first of `keys` whose command failed. */
export function requireBatchResults(batch: BatchResult, keys: readonly string[]): void {
  for (const key of keys) {
    const failure = batch.errors[key]
    if (failure) throw incomplete(failure, 'batch')
  }
}
