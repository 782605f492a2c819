/**
 * A tiny local HTTP receiver standing in for the app's public URLs (install URL, event handler):
 * it records every POSTed body by path and answers 200 at once (Bitrix24 never retries, and the
 * test then drives the real install/event code with what arrived).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  query: string
  body: string
}

export interface Receiver {
  url: string
  received: Received[]
  bodiesAt(path: string): string[]
  waitFor(path: string, count: number, timeoutMs?: number): Promise<string[]>
  clear(): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  const waiters: Array<() => void> = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const [path = '/', query = ''] = (req.url ?? '/').split('?')
      received.push({ path, query, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"status":"success"}')
      for (const w of waiters.splice(0)) w()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const bodiesAt = (path: string) => received.filter((r) => r.path === path).map((r) => r.body)
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    bodiesAt,
    async waitFor(path, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (bodiesAt(path).length < count) {
        if (Date.now() > deadline) throw new Error(`Receiver: expected ${count} POST(s) to ${path}, got ${bodiesAt(path).length}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 100)
        })
      }
      return bodiesAt(path)
    },
    clear() {
      received.length = 0
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
