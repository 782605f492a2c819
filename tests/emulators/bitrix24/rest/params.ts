/** Parameter readers with the vendor's error messages. */
import type { CallContext } from '../portal'
import { isPlainObject, pick } from '../util'
import { legacyError, RestError } from './errors'

/** Legacy `id`: missing / non-positive → "ID is not defined or invalid.". */
export function legacyId(ctx: CallContext): number {
  const raw = pick(ctx.params, 'id')
  const id = Number(raw)
  if (raw === undefined || raw === null || raw === '' || !Number.isInteger(id) || id <= 0) {
    throw legacyError('ID is not defined or invalid.')
  }
  return id
}

export function legacyFields(ctx: CallContext): Record<string, unknown> {
  const fields = pick(ctx.params, 'fields')
  if (!isPlainObject(fields)) throw legacyError("Parameter 'fields' must be array.")
  return fields
}

/** crm.item-style required parameter (`100` "Could not find value for parameter {x}"). */
export function required(ctx: CallContext, name: string): unknown {
  const value = pick(ctx.params, name)
  if (value === undefined || value === null || value === '') {
    throw new RestError(400, '100', `Could not find value for parameter {${name}}`)
  }
  return value
}

export function intParam(ctx: CallContext, name: string): number {
  const value = Number(required(ctx, name))
  if (!Number.isFinite(value)) throw new RestError(400, '100', `Invalid value for parameter {${name}}`)
  return value
}

export function objParam(ctx: CallContext, name: string): Record<string, unknown> {
  const value = pick(ctx.params, name)
  return isPlainObject(value) ? value : {}
}
