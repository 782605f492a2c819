/**
 * Bitrix24 side of reverse sync: requisite presets looked up by XML_ID/NAME (never assumed ids,
 * spec bitrix24.md §4.5), and batches whose commands are grouped per record so that `$result`
 * references never cross a batch request.
 */
import type { BatchCommand, Bitrix24Client } from '@/lib/bitrix24/client'
import type { BatchCommandError } from '@/lib/bitrix24/errors'
import { AppError } from '@/lib/errors'
import type { CounterpartyKind } from './reverse-fields'

export interface RequisitePresets {
  legalEntity: number
  soleTrader: number
  individual?: number
}

const PRESET_XML_ID: Record<CounterpartyKind, string> = {
  legal_entity: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#',
  sole_trader: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#',
  individual: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#',
}
const PRESET_NAMES: Record<CounterpartyKind, string[]> = {
  legal_entity: ['Организация', 'Юр. лицо', 'Юридическое лицо'],
  sole_trader: ['ИП', 'Индивидуальный предприниматель'],
  individual: ['Физ. лицо', 'Физическое лицо'],
}

interface PresetRow {
  ID: string | number
  NAME?: string | null
  XML_ID?: string | null
  COUNTRY_ID?: string | number | null
  ACTIVE?: string | null
}

function pickPreset(rows: PresetRow[], kind: CounterpartyKind): number | undefined {
  const active = rows.filter((r) => (r.ACTIVE ?? 'Y') !== 'N')
  const byXml = active.find((r) => r.XML_ID === PRESET_XML_ID[kind])
  if (byXml) return Number(byXml.ID)
  const names = PRESET_NAMES[kind].map((n) => n.toLowerCase())
  const russian = active.filter((r) => r.COUNTRY_ID === undefined || r.COUNTRY_ID === null || Number(r.COUNTRY_ID) === 1)
  const byName = russian.find((r) => names.includes((r.NAME ?? '').trim().toLowerCase()))
  return byName ? Number(byName.ID) : undefined
}

/** The portal's requisite presets for an organisation and a sole trader (one list call). */
export async function resolveRequisitePresets(client: Bitrix24Client): Promise<RequisitePresets> {
  const rows = await client.call<PresetRow[]>('crm.requisite.preset.list', {
    order: { SORT: 'ASC', ID: 'ASC' },
    select: ['ID', 'NAME', 'XML_ID', 'COUNTRY_ID', 'ACTIVE'],
  })
  const list = Array.isArray(rows) ? rows : []
  const legalEntity = pickPreset(list, 'legal_entity')
  const soleTrader = pickPreset(list, 'sole_trader')
  if (legalEntity === undefined || soleTrader === undefined) {
    const missing = [legalEntity === undefined ? '«Организация»' : null, soleTrader === undefined ? '«ИП»' : null].filter(Boolean)
    throw new AppError(`Bitrix24 requisite presets not found: ${missing.join(', ')}`, {
      userMessage: `В Битрикс24 не найден шаблон реквизитов ${missing.join(' и ')}. Включите его в CRM → Настройки → Реквизиты, и синхронизация продолжится.`,
      retryable: false,
      service: 'bitrix24',
    })
  }
  const individual = pickPreset(list, 'individual')
  return { legalEntity, soleTrader, ...(individual !== undefined ? { individual } : {}) }
}

export function presetFor(presets: RequisitePresets, kind: CounterpartyKind): number {
  if (kind === 'sole_trader') return presets.soleTrader
  if (kind === 'individual') return presets.individual ?? presets.soleTrader
  return presets.legalEntity
}

/** One record's commands: they go into the same batch request (they may reference each other). */
export interface CommandGroup<Tag> {
  tag: Tag
  commands: Record<string, BatchCommand>
}

export interface GroupOutcome<Tag> {
  tag: Tag
  results: Record<string, unknown>
  errors: Record<string, BatchCommandError>
}

/**
 * Runs groups of commands packed into batch requests of ≤ 50 commands, never splitting a group.
 * Each command's own result is checked (halt=0): one record's failure does not stop the others.
 * Returns one outcome per group (identified by its tag) and the number of HTTP requests spent.
 */
export async function runGroups<Tag>(
  client: Bitrix24Client,
  groups: CommandGroup<Tag>[],
  maxCommands = 50,
): Promise<{ outcomes: GroupOutcome<Tag>[]; requests: number }> {
  const outcomes: GroupOutcome<Tag>[] = []
  let requests = 0
  let pack: CommandGroup<Tag>[] = []
  let size = 0
  const flush = async () => {
    if (pack.length === 0) return
    const calls: Record<string, BatchCommand> = {}
    for (const group of pack) Object.assign(calls, group.commands)
    const answer = await client.batch(calls)
    requests += 1
    for (const group of pack) {
      const results: Record<string, unknown> = {}
      const errors: Record<string, BatchCommandError> = {}
      for (const key of Object.keys(group.commands)) {
        if (key in answer.errors) errors[key] = answer.errors[key]!
        else results[key] = answer.results[key]
      }
      outcomes.push({ tag: group.tag, results, errors })
    }
    pack = []
    size = 0
  }
  for (const group of groups) {
    const n = Object.keys(group.commands).length
    if (n === 0) {
      outcomes.push({ tag: group.tag, results: {}, errors: {} })
      continue
    }
    if (n > maxCommands) throw new Error(`a command group of ${n} exceeds one batch (${maxCommands})`)
    if (size + n > maxCommands) await flush()
    pack.push(group)
    size += n
  }
  await flush()
  return { outcomes, requests }
}
