/**
 * `batch` (spec §1.10): `cmd` object or array of `method?query`, PHP-compatible query parsing,
 * `$result[key][FIELD]` / `$result[key][0][FIELD]` substitution, `halt`, ≤ 50 commands, no nested
 * batch / file methods, and PHP-style serialisation of the five result maps (empty → `[]`).
 */
import { parseForm } from '../../shared/http'
import type { CallContext, MethodDef } from '../portal'
import { asArray, isPlainObject, isTruthyFlag, pick } from '../util'
import { RestError } from './errors'
import { executeMethod, timeBlock } from './execute'

export const MAX_BATCH = 50

/** PHP json_encode of an array: sequential 0..n-1 keys → list, none → [], otherwise an object. */
export function phpMap(entries: [string, unknown][]): unknown {
  if (entries.length === 0) return []
  if (entries.every(([key], i) => key === String(i))) return entries.map(([, value]) => value)
  return Object.fromEntries(entries)
}

const REF = /\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g

function resolveRef(results: Map<string, unknown>, key: string, path: string): unknown {
  let value: unknown = results.get(key)
  for (const m of path.matchAll(/\[([^\]]*)\]/g)) {
    const k = m[1]!
    if (Array.isArray(value)) value = value[Number(k)]
    else if (isPlainObject(value)) value = value[k]
    else return undefined
  }
  return value
}

function substitute(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(value)
    if (whole) {
      const resolved = resolveRef(results, whole[1]!, whole[2] ?? '')
      return resolved === undefined || resolved === null ? '' : typeof resolved === 'object' ? resolved : String(resolved)
    }
    return value.replace(REF, (_m, key: string, path: string) => {
      const resolved = resolveRef(results, key, path)
      return resolved === undefined || resolved === null || typeof resolved === 'object' ? '' : String(resolved)
    })
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results))
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, results)]))
  return value
}

export const batchMethod: MethodDef = {
  scope: null,
  noBatch: true,
  handler: async (ctx: CallContext) => {
    const cmd = pick(ctx.params, 'cmd')
    const entries: [string, string][] = Array.isArray(cmd)
      ? cmd.map((v, i) => [String(i), String(v)])
      : isPlainObject(cmd)
        ? Object.entries(cmd).map(([k, v]) => [k, String(v)])
        : asArray(cmd).map((v, i) => [String(i), String(v)])
    if (entries.length > MAX_BATCH) {
      throw new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded')
    }
    const halt = isTruthyFlag(pick(ctx.params, 'halt') ?? 0)
    const results = new Map<string, unknown>()
    const result: [string, unknown][] = []
    const errors: [string, unknown][] = []
    const totals: [string, unknown][] = []
    const nexts: [string, unknown][] = []
    const times: [string, unknown][] = []
    for (const [key, row] of entries) {
      const q = row.indexOf('?')
      const method = (q === -1 ? row : row.slice(0, q)).trim()
      const query = q === -1 ? {} : parseForm(row.slice(q + 1))
      const params = substitute(query, results) as Record<string, unknown>
      const started = Date.now()
      try {
        const output = await executeMethod({ ...ctx, params, inBatch: true }, method)
        results.set(key, output.result)
        result.push([key, output.result])
        if (output.total !== undefined) totals.push([key, output.total])
        if (output.next !== undefined) nexts.push([key, output.next])
        times.push([key, timeBlock(started, Date.now())])
      } catch (error) {
        if (!(error instanceof RestError)) throw error
        errors.push([key, error.toBody()])
        if (halt) break
      }
    }
    return {
      result: {
        result: phpMap(result),
        result_error: phpMap(errors),
        result_total: phpMap(totals),
        result_next: phpMap(nexts),
        result_time: phpMap(times),
      },
    }
  },
}
