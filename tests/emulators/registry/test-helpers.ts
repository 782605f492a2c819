/** Tiny HTTP helpers for the registry emulators' own tests. */
export interface Reply {
  status: number
  body: any
  text: string
  headers: Headers
}

export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) }
  let body: string | undefined
  if (init.raw !== undefined) body = init.raw
  else if (init.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(init.body)
  }
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: parsed, text, headers: res.headers }
}
