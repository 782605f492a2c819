/** Small response helpers for route handlers. */

export function jsonResponse(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
}

/** Errors for our JSON API: a plain-language message, never an internal code or stack. */
export function jsonError(status: number, message: string): Response {
  return jsonResponse({ error: message }, status)
}

/**
 * A minimal HTML page for problems before the React page can load (bad auth, unknown portal).
 * It carries no data, so any portal may frame it: the user must see why, not "refused to connect".
 */
export function htmlMessage(status: number, title: string, text: string): Response {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body style="font-family:system-ui,sans-serif;color:#333;padding:24px"><h1 style="font-size:18px">${escape(title)}</h1><p>${escape(text)}</p></body></html>`
  return new Response(html, { status, headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "frame-ancestors https: http:; default-src 'none'; style-src 'unsafe-inline'",
    },
  })
}

/** Redirect after a POST so the framed page is an ordinary GET (App Router pages cannot take POST). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } })
}
