/**
 * Bitrix24 event deliveries answered straight on node:http, before Next.js sees the request.
 * The work per event is small (verify, queue, 200); Next.js's request pipeline around it (routing,
 * fetch Request/Response objects, streams) cost more CPU than the event itself, and on a small
 * server that capped intake below Bitrix24's bursts (see README, "Event intake").
 * Answers exactly as the route does: same handler, same status codes, same security headers, no
 * body (Content-Length 0 rather than an empty chunked body; Next.js's RSC `Vary` is not sent).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { EVENTS_PATH } from '@/lib/bitrix24/app-manifest'
import { log } from '@/lib/security/log'
import { receiveEvent } from './event-intake'
import { NOT_FRAMEABLE_HEADERS } from './security-headers'

/** POST /api/b24/events (with or without a query string); anything else is Next.js's. */
function isEventDelivery(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false
  const query = req.url.indexOf('?')
  return (query < 0 ? req.url : req.url.slice(0, query)) === EVENTS_PATH
}

// Decodes like fetch's `Request.text()`: UTF-8, a leading byte order mark dropped.
const utf8 = new TextDecoder()

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.once('end', () => resolve(utf8.decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))))
    req.once('error', reject)
    req.once('close', () => {
      if (!req.complete) reject(new Error('the sender closed the connection before the body was complete'))
    })
  })
}

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { ...NOT_FRAMEABLE_HEADERS, 'Content-Length': '0' })
  res.end()
}

/**
 * Answers the request when it is an event delivery and returns true; any other request is left
 * untouched (false) for Next.js. A failure is logged and answered 500 with no body, as Next.js does.
 */
export function serveEventDelivery(req: IncomingMessage, res: ServerResponse): boolean {
  if (!isEventDelivery(req)) return false
  // What Next.js does before any route runs: the allowlist reads the client from this header.
  req.headers['x-forwarded-for'] ??= req.socket.remoteAddress
  receiveEvent({ headers: req.headers, readBody: () => readBody(req) }).then(
    (status) => answer(res, status),
    (error: unknown) => {
      log.error({ err: error }, 'event delivery failed')
      if (res.headersSent) res.destroy()
      else answer(res, 500)
    },
  )
  return true
}
