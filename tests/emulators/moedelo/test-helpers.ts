/** Tiny HTTP helpers for the emulator's own tests. */
export const KEY_A = '11111111-aaaa-4aaa-8aaa-000000000001'
export const KEY_B = '22222222-bbbb-4bbb-8bbb-000000000002'
export const K = '/kontragents/api/v1/kontragent'

export interface Reply {
  status: number
  body: any
  headers: Headers
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string>; form?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) }
  if (options.key) headers['md-api-key'] = options.key
  let body: string | undefined
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = options.form
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  const res = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, headers: res.headers }
}

/** The members of the §3.2 counterparty sample, in order. */
export const SAMPLE_FIELDS = [
  'Id',
  'Inn',
  'Ogrn',
  'Okpo',
  'Kpp',
  'Name',
  'ShortName',
  'Type',
  'Form',
  'IsArchived',
  'LegalAddress',
  'ActualAddress',
  'RegistrationAddress',
  'TaxpayerNumber',
  'AdditionalRegNumber',
  'SubcontoId',
  'Fio',
  'SignerFio',
  'InFace',
  'Position',
  'InReason',
  'PersonalData',
]
