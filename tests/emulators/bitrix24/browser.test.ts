/**
 * Headless Chromium: the emulated deal card hosts a placement iframe exactly like Bitrix24, and a
 * tiny app page using the SDK's UMD bundle (`B24Js.initializeB24Frame()`) talks to it unchanged.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseForm } from '../shared/http'
import { startBitrix24Emulator, type Bitrix24Emulator } from './index'
import { call } from './test-helpers'

const sdkBundle = readFileSync(
  fileURLToPath(new URL('../../../node_modules/@bitrix24/b24jssdk/dist/umd/index.min.js', import.meta.url)),
)

/** The test "app": answers Bitrix24's form POST with a page that uses the real SDK. */
function appPage(form: Record<string, unknown>, mode: 'tab' | 'install' | 'app'): string {
  const script =
    mode === 'tab'
      ? `
  const $b24 = await B24Js.initializeB24Frame();
  async function load() {
    const deal = await $b24.actions.v2.call.make({ method: 'crm.deal.get', params: { id: $b24.placement.options.ID } });
    const me = await $b24.actions.v2.call.make({ method: 'user.current', params: {} });
    document.getElementById('title').textContent = deal.getData().result.TITLE;
    document.getElementById('user').textContent = me.getData().result.ID;
    document.getElementById('calls').textContent = String(Number(document.getElementById('calls').textContent || '0') + 1);
  }
  document.getElementById('placement').textContent = $b24.placement.placement;
  document.getElementById('again').addEventListener('click', () => load().catch(show));
  await load();
  await $b24.parent.setTitle('Счета МоёДело');
  await $b24.parent.fitWindow();`
      : mode === 'install'
        ? `
  const $b24 = await B24Js.initializeB24Frame();
  document.getElementById('placement').textContent = 'install:' + $b24.isInstallMode;
  await $b24.actions.v2.call.make({ method: 'placement.bind', params: { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: location.origin + '/b24/deal-tab', TITLE: 'МоёДело' } });
  await $b24.installFinish();`
        : `
  const $b24 = await B24Js.initializeB24Frame();
  document.getElementById('placement').textContent = 'app:' + $b24.placement.placement + ':' + $b24.isInstallMode;`
  return `<!doctype html><html><head><meta charset="utf-8"><script src="/sdk.js"></script></head><body>
<h2 id="title"></h2><div id="placement"></div><div id="user"></div><div id="calls"></div><div id="error"></div>
<div id="received">${Object.keys(form).sort().join(',')}</div><button id="again">again</button>
<script>
function show(e) { document.getElementById('error').textContent = (e && (e.code || e.message)) || String(e); }
(async () => {${script}
})().catch(show);
</script></body></html>`
}

let browser: Browser
let server: Server
let appUrl = ''
const posts: { path: string; form: Record<string, unknown> }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString()))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!
      if (path === '/sdk.js') {
        res.writeHead(200, { 'content-type': 'application/javascript' })
        res.end(sdkBundle)
        return
      }
      const form = parseForm(raw)
      posts.push({ path: req.url ?? '', form })
      const mode = path === '/b24/deal-tab' ? 'tab' : path === '/b24/install' ? 'install' : 'app'
      if (req.method === 'POST' && path === '/b24/install' && !('AUTH_ID' in form)) {
        res.writeHead(200, { 'content-type': 'application/json' }) // server-side ONAPPINSTALL
        res.end('{"status":"success"}')
        return
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(appPage(form, mode))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
})

async function emulator(installMode: 'event' | 'frame'): Promise<Bitrix24Emulator> {
  return startBitrix24Emulator({
    app: { clientId: 'local.browser.app', clientSecret: 'secret', installUrl: `${appUrl}/b24/install`, appUrl: `${appUrl}/b24/app`, installMode },
    rateLimit: { enabled: false },
  })
}

describe('placement iframe with the real SDK', () => {
  it('deal card tab: form POST + window.name + postMessage protocol + REST from the browser, incl. refreshAuth', async () => {
    const emu = await emulator('event')
    try {
      await emu.install()
      const auth = posts.find((p) => p.path === '/b24/install' && p.form.event === 'ONAPPINSTALL')!.form.auth as Record<string, string>
      const bind = await call(emu, 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: `${appUrl}/b24/deal-tab`, TITLE: 'МоёДело' }, auth.access_token)
      expect(bind.body.result).toBe(true)

      const page = await browser.newPage()
      await page.goto(`${emu.url}/crm/deal/details/1/?tab=CRM_DEAL_DETAIL_TAB`)
      const iframe = page.locator('iframe.app-frame')
      expect(await iframe.getAttribute('name')).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+\\|0\\|[0-9a-f]{32}$`))
      const frame = page.frameLocator('iframe.app-frame')
      await frame.locator('#title:not(:empty)').waitFor({ timeout: 30_000 })
      expect(await frame.locator('#title').textContent()).toBe('Поставка ноутбуков для Яндекса')
      expect(await frame.locator('#placement').textContent()).toBe('CRM_DEAL_DETAIL_TAB')
      expect(await frame.locator('#user').textContent()).toBe('1')
      expect(await frame.locator('#error').textContent()).toBe('')

      const post = posts.filter((p) => p.path.startsWith('/b24/deal-tab?')).at(-1)!
      const query = new URL(post.path, appUrl).searchParams
      expect(query.get('DOMAIN')).toBe(emu.domain)
      expect(query.get('PROTOCOL')).toBe('0')
      expect(await iframe.getAttribute('name')).toContain(query.get('APP_SID')!)
      expect(Object.keys(post.form).sort()).toEqual(
        ['APPLICATION_SCOPE', 'APPLICATION_TOKEN', 'AUTH_EXPIRES', 'AUTH_ID', 'PLACEMENT', 'PLACEMENT_OPTIONS', 'REFRESH_ID', 'SERVER_ENDPOINT', 'member_id', 'status'].sort(),
      )
      expect(JSON.parse(String(post.form.PLACEMENT_OPTIONS))).toMatchObject({ ID: '1', URI: '/crm/deal/details/1/' })

      // The portal expires the frame's token: the SDK gets 401 expired_token, asks the parent
      // (refreshAuth message) and retries with the new token.
      emu.expireAccessTokens()
      await frame.locator('#again').click()
      await frame.locator('#calls', { hasText: '2' }).waitFor({ timeout: 30_000 })
      expect(await frame.locator('#error').textContent()).toBe('')
      const log = await page.evaluate(() => (window as unknown as { __b24host: { log: { command: string }[] } }).__b24host.log.map((e) => e.command))
      expect(log).toEqual(expect.arrayContaining(['getInitData', 'refreshAuth', 'setTitle', 'resizeWindow']))

      // The manager sees the same tab with her own token.
      await page.goto(`${emu.url}/crm/deal/details/1/?tab=CRM_DEAL_DETAIL_TAB&user=2`)
      await page.frameLocator('iframe.app-frame').locator('#user:not(:empty)').waitFor({ timeout: 30_000 })
      expect(await page.frameLocator('iframe.app-frame').locator('#user').textContent()).toBe('2')
      await page.close()
    } finally {
      await emu.close()
    }
  })

  it("'frame' install mode: install page → installFinish() → app page; placements appear only after", async () => {
    const emu = await emulator('frame')
    try {
      await fetch(`${emu.url}/__emulator/install`, { method: 'POST' }) // the admin starts installing
      const page = await browser.newPage()
      await page.goto(`${emu.url}/crm/deal/details/1/`)
      expect(await page.locator('.tab[data-placement-id]').count()).toBe(0)
      await page.goto(`${emu.url}/marketplace/app/`)
      const frame = page.frameLocator('iframe.app-frame')
      await frame.locator('#placement', { hasText: 'app:DEFAULT:false' }).waitFor({ timeout: 30_000 })
      expect(emu.state.app.installed).toBe(true)
      await page.goto(`${emu.url}/crm/deal/details/1/`)
      expect(await page.locator('.tab[data-placement-id]').textContent()).toBe('МоёДело')
      await page.close()
    } finally {
      await emu.close()
    }
  })
})
