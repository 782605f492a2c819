/** Test helpers for the Bitrix24 emulator conformance tests (not a test file itself). */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseForm } from '../shared/http'
import { startBitrix24Emulator, type Bitrix24Emulator, type Bitrix24EmulatorOptions } from './index'

export interface ReceivedRequest {
  path: string
  method: string
  contentType: string
  raw: string
  form: Record<string, unknown>
}

/** A tiny local HTTP receiver standing in for our app's install/event handlers. */
export class Receiver {
  readonly requests: ReceivedRequest[] = []
  private server!: Server
  url = ''

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      let raw = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (raw += c))
      req.on('end', () => {
        this.requests.push({
          path: req.url ?? '',
          method: req.method ?? '',
          contentType: String(req.headers['content-type'] ?? ''),
          raw,
          form: parseForm(raw),
        })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"status":"success"}')
      })
    })
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path)
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections()
      this.server.close(() => resolve())
    })
  }
}

export interface Installed {
  emu: Bitrix24Emulator
  receiver: Receiver
  /** `auth[...]` of the ONAPPINSTALL payload. */
  auth: Record<string, string>
  token: string
}

export async function startInstalled(extra: Partial<Bitrix24EmulatorOptions> = {}): Promise<Installed> {
  const receiver = await new Receiver().start()
  const emu = await startBitrix24Emulator({
    app: {
      clientId: 'local.test.app',
      clientSecret: 'test-secret',
      installUrl: `${receiver.url}/b24/install`,
      appUrl: `${receiver.url}/b24/app`,
    },
    eventDelayMs: 5,
    ...extra,
  })
  await emu.install()
  const auth = receiver.on('/b24/install')[0]!.form.auth as Record<string, string>
  return { emu, receiver, auth, token: auth.access_token! }
}

export interface Answer {
  status: number
  body: Record<string, any>
}

/** POST JSON to `/rest/<method>` the way the SDK does (double slash, telemetry query). */
export async function call(emu: Bitrix24Emulator, method: string, params: object, token?: string): Promise<Answer> {
  const response = await fetch(`${emu.clientEndpoint}/${method}?bx24_request_id=test&bx24_sdk_ver=2.2.0&bx24_sdk_type=b24-js-sdk`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(token ? { ...params, auth: token } : params),
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

export async function postForm(url: string, form: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}
