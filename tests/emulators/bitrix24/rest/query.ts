/**
 * List-method mechanics shared by legacy and crm.item lists: filter with prefixes
 * (`>=, >, <=, <, @, !@, %, =%, %=, =, !=, !`, nested `logic: OR`), order, select masks and
 * pagination (page 50, `next` only when more, `start=-1` → total 0, no next; spec §1.11).
 */
import { isPlainObject, parseDate } from '../util'

export const PAGE_SIZE = 50

/** How a filter key maps onto a stored record: the stored key and how to compare values. */
export interface FieldRef {
  key: string
  kind: 'number' | 'string' | 'date' | 'char' | 'list'
}
export type FieldResolver = (name: string) => FieldRef | undefined

const PREFIXES = ['>=', '<=', '!=', '!@', '=%', '%=', '>', '<', '@', '%', '=', '!'] as const

function splitKey(raw: string): { op: string; name: string } {
  for (const p of PREFIXES) if (raw.startsWith(p)) return { op: p, name: raw.slice(p.length) }
  return { op: '', name: raw }
}

function norm(kind: FieldRef['kind'], value: unknown): number | string | null {
  if (value === null || value === undefined || value === '') return null
  if (kind === 'number') {
    const n = Number(value)
    return Number.isFinite(n) ? n : null
  }
  if (kind === 'date') {
    const d = value instanceof Date ? value : parseDate(value)
    return d ? d.getTime() : null
  }
  if (kind === 'char') {
    const s = String(value).toUpperCase()
    return s === 'Y' || s === '1' || s === 'TRUE' ? 'Y' : 'N'
  }
  return String(value)
}

function valuesOf(filterValue: unknown): unknown[] {
  if (Array.isArray(filterValue)) return filterValue
  if (isPlainObject(filterValue)) return Object.values(filterValue)
  return [filterValue]
}

function compare(stored: unknown, op: string, filterValue: unknown, kind: FieldRef['kind']): boolean {
  const storedList = kind === 'list' ? (Array.isArray(stored) ? stored : []) : [stored]
  const elementKind = kind === 'list' ? 'number' : kind
  const test = (s: unknown): boolean => {
    const a = norm(elementKind, s)
    const values = valuesOf(filterValue).map((v) => norm(elementKind, v))
    const eq = () => values.some((v) => v === a)
    const like = (mode: 'any' | 'start' | 'end') =>
      values.some((v) => {
        if (v === null || a === null) return false
        const hay = String(a).toLowerCase()
        const needle = String(v).toLowerCase()
        return mode === 'start' ? hay.startsWith(needle) : mode === 'end' ? hay.endsWith(needle) : hay.includes(needle)
      })
    switch (op) {
      case '':
      case '=':
      case '@':
        return eq()
      case '!':
      case '!=':
      case '!@':
        return !eq()
      case '>':
        return a !== null && values[0] !== null && values[0] !== undefined && a > values[0]
      case '>=':
        return a !== null && values[0] !== null && values[0] !== undefined && a >= values[0]
      case '<':
        return a !== null && values[0] !== null && values[0] !== undefined && a < values[0]
      case '<=':
        return a !== null && values[0] !== null && values[0] !== undefined && a <= values[0]
      case '%':
        return like('any')
      case '=%':
        return like('start')
      case '%=':
        return like('end')
      default:
        return false
    }
  }
  if (kind === 'list') {
    const negative = op.startsWith('!')
    return negative ? storedList.every(test) : storedList.some(test)
  }
  return test(stored)
}

/** Unknown filter fields are ignored, as Bitrix24 does for legacy lists. */
export function matchFilter(record: Record<string, unknown>, filter: unknown, resolve: FieldResolver): boolean {
  if (!isPlainObject(filter)) return true
  const logic = String(filter.LOGIC ?? filter.logic ?? 'AND').toUpperCase()
  const results: boolean[] = []
  for (const [rawKey, value] of Object.entries(filter)) {
    if (rawKey.toLowerCase() === 'logic') continue
    if (/^\d+$/.test(rawKey) && isPlainObject(value)) {
      results.push(matchFilter(record, value, resolve))
      continue
    }
    const { op, name } = splitKey(rawKey)
    const ref = resolve(name)
    if (!ref) continue
    results.push(compare(record[ref.key], op, value, ref.kind))
  }
  if (results.length === 0) return true
  return logic === 'OR' ? results.some(Boolean) : results.every(Boolean)
}

export function sortRecords<T extends Record<string, unknown>>(
  records: T[],
  order: unknown,
  resolve: FieldResolver,
  defaultKey = 'ID',
): T[] {
  const entries: [FieldRef, number][] = []
  if (isPlainObject(order)) {
    for (const [name, dir] of Object.entries(order)) {
      const ref = resolve(name)
      if (ref) entries.push([ref, String(dir).toUpperCase() === 'DESC' ? -1 : 1])
    }
  }
  if (entries.length === 0) entries.push([{ key: defaultKey, kind: 'number' }, 1])
  return [...records].sort((x, y) => {
    for (const [ref, dir] of entries) {
      const a = norm(ref.kind === 'list' ? 'number' : ref.kind, x[ref.key])
      const b = norm(ref.kind === 'list' ? 'number' : ref.kind, y[ref.key])
      if (a === b) continue
      if (a === null) return -dir
      if (b === null) return dir
      return (a < b ? -1 : 1) * dir
    }
    return 0
  })
}

export interface Page<T> {
  rows: T[]
  total: number
  next?: number
}

export function paginate<T>(rows: T[], startParam: unknown): Page<T> {
  const start = Number(startParam ?? 0)
  if (start === -1) return { rows: rows.slice(0, PAGE_SIZE), total: 0 }
  const offset = Number.isFinite(start) && start > 0 ? Math.floor(start) : 0
  const page = rows.slice(offset, offset + PAGE_SIZE)
  const next = offset + PAGE_SIZE < rows.length ? offset + PAGE_SIZE : undefined
  return { rows: page, total: rows.length, ...(next !== undefined ? { next } : {}) }
}

/** Normalises `select` given as array, PHP-style object, or comma string. */
export function selectList(select: unknown): string[] {
  if (select === undefined || select === null || select === '') return []
  if (typeof select === 'string') return select.split(',').map((s) => s.trim()).filter(Boolean)
  return valuesOf(select).map(String)
}
