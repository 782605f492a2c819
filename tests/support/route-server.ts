/**
 * Serves the app's real route handlers over HTTP without Next.js, so integration tests can point
 * the Bitrix24 emulator at them and count what reached the database.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

type RouteModule = Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', (request: Request) => Promise<Response> | Response>>

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = chunks.length ? Buffer.concat(chunks) : undefined
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(key, value)
  // As Next.js does: the socket address only when no proxy (or caller) sent the header.
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', req.socket.remoteAddress ?? '')
  return new Request(new URL(req.url ?? '/', base), { method: req.method, headers, body: req.method === 'GET' ? undefined : body })
}

export interface RouteServerOptions {
  /** Answers a request before the routes see it and returns true, as server.ts does for events. */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean
}

export async function serveRoutes(
  routes: Record<string, RouteModule>,
  options: RouteServerOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  let base = ''
  const server = createServer(async (req, res) => {
    if (options.intercept?.(req, res)) return
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const handler = routes[path]?.[(req.method ?? 'GET') as keyof RouteModule]
    if (!handler) {
      res.writeHead(404).end()
      return
    }
    const response = await handler(await toRequest(req, base))
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
