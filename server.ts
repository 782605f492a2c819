/**
 * The web server (`npm start`; the demo runs it with `--dev`). Bitrix24 event deliveries
 * (POST /api/b24/events) are answered here on node:http (lib/http/event-fast-path.ts); every other
 * request goes to Next.js, exactly as under `next start`.
 *
 *   node --import tsx server.ts [-p PORT] [-H HOSTNAME] [--dev]    (or PORT in the environment; default 3000)
 */
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    hostname: { type: 'string', short: 'H' },
    dev: { type: 'boolean', default: false },
  },
})
const dev = args.dev === true
// As `next start` / `next dev` do, before Next.js and React are loaded.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV || (dev ? 'development' : 'production') })

const { default: next } = await import('next')
const { serveEventDelivery } = await import('@/lib/http/event-fast-path')

const port = Number(args.port ?? process.env.PORT ?? 3000)
const hostname = args.hostname
const app = next({ dev, port, hostname: hostname ?? 'localhost', dir: fileURLToPath(new URL('.', import.meta.url)) })
await app.prepare()
const handleWithNext = app.getRequestHandler()

const server = createServer((req, res) => {
  if (serveEventDelivery(req, res)) return
  handleWithNext(req, res).catch((error: unknown) => {
    console.error(`Failed to handle request for ${req.url}`, error)
    if (!res.headersSent) res.writeHead(500).end('Internal Server Error')
  })
})

let stopping = false
function stop(signal: 'SIGINT' | 'SIGTERM'): void {
  if (stopping) return
  stopping = true
  server.close(() => {
    void app.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
  if (dev) server.closeAllConnections()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))

server.listen(port, hostname, () => console.log(`▲ Ready on http://${hostname ?? 'localhost'}:${port}${dev ? ' (development)' : ''}`))
