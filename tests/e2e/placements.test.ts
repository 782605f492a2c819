/**
 * A person's view: headless Chromium opens the emulated Bitrix24 deal card, company card and
 * the app page; our pages render inside the portal's iframes with the real frame SDK.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DADATA_DEMO_API_KEY } from '../emulators/registry'
import { launchBrowser } from '../support/browser'
import { waitFor } from '../support/ports'
import { MOEDELO_TEST_KEY, startSandbox, type Sandbox } from './sandbox'

let sandbox: Sandbox
let browser: Browser

beforeAll(async () => {
  sandbox = await startSandbox()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await sandbox?.stop()
})

async function openPortalPage(path: string): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${sandbox.portal.url}${path}`)
  return page
}

describe('placements in the emulated portal', () => {
  it('install bound our placements, events and user fields', () => {
    const { state } = sandbox.portal
    expect(state.placements.map((p) => p.placement).sort()).toEqual(['CRM_COMPANY_DETAIL_TAB', 'CRM_DEAL_DETAIL_TAB', 'CRM_DEAL_DETAIL_TOOLBAR'])
    expect(state.bindings.map((b) => b.event).sort()).toEqual(
      [
        'CATALOG.PRICE.ON.ADD',
        'CATALOG.PRICE.ON.UPDATE',
        'CATALOG.PRODUCT.ON.ADD',
        'CATALOG.PRODUCT.ON.UPDATE',
        'ONAPPUNINSTALL',
        'ONCRMCOMPANYADD',
        'ONCRMCOMPANYUPDATE',
        'ONCRMDEALADD',
        'ONCRMDEALUPDATE',
        'ONCRMREQUISITEADD',
        'ONCRMREQUISITEUPDATE',
      ].sort(),
    )
    expect(state.userFields.map((f) => f.FIELD_NAME)).toEqual(expect.arrayContaining(['UF_CRM_MD_INVOICE_NO', 'UF_CRM_MD_INVOICE_URL', 'UF_CRM_MD_BILL_ID', 'UF_CRM_MD_PAID']))
  })

  it('the deal tab renders inside the deal card with the deal id, and the frame SDK connects', async () => {
    const deal = sandbox.portal.state.deals.get(1)
    const page = await openPortalPage('/crm/deal/details/1/?tab=CRM_DEAL_DETAIL_TAB')
    const frame = page.frameLocator('iframe.app-frame')
    const tab = frame.locator('[data-testid="deal-tab"]')
    await tab.waitFor({ timeout: 60_000 })
    expect(await tab.getAttribute('data-deal-id')).toBe('1')
    await frame.locator('[data-testid="frame-status"][data-state="ready"]').waitFor({ timeout: 60_000 })
    const title = await frame.locator('[data-testid="deal-title"]').textContent({ timeout: 60_000 })
    expect(title).toBe(String(deal?.TITLE))
    await page.close()
  })

  it('the company tab renders inside the company card', async () => {
    const page = await openPortalPage('/crm/company/details/2/?tab=CRM_COMPANY_DETAIL_TAB')
    const frame = page.frameLocator('iframe.app-frame')
    const tab = frame.locator('[data-testid="company-tab"]')
    await tab.waitFor({ timeout: 60_000 })
    expect(await tab.getAttribute('data-company-id')).toBe('2')
    await frame.locator('[data-testid="frame-status"][data-state="ready"]').waitFor({ timeout: 60_000 })
    await page.close()
  })

  it('the admin connects MoeDelo with a key that is checked first, and picks the stages', async () => {
    const page = await openPortalPage('/marketplace/app/')
    const frame = page.frameLocator('iframe.app-frame')
    await frame.locator('[data-testid="admin-app"]').waitFor({ timeout: 60_000 })
    // Typing before React hydrates would be lost: wait until the page is live.
    await frame.locator('[data-testid="frame-status"][data-state="ready"]').waitFor({ timeout: 60_000 })

    await frame.locator('input[name="apiKey"]').fill('00000000-0000-0000-0000-000000000000')
    await frame.locator('[data-testid="moedelo-save"]').click()
    const refused = await frame.locator('[data-testid="api-key-error"]').textContent({ timeout: 60_000 })
    expect(refused).toContain('Ключ API «Моё дело» не принят')

    await frame.locator('input[name="apiKey"]').fill(MOEDELO_TEST_KEY)
    await frame.locator('[data-testid="moedelo-save"]').click()
    await frame.locator('[data-testid="moedelo-status"]').waitFor({ timeout: 60_000 })

    const pipelines = frame.locator('[data-testid="pipelines"]')
    await pipelines.waitFor({ timeout: 60_000 })
    await frame.getByLabel('Общая: Стадия «Выставить счёт»').selectOption('PREPAYMENT_INVOICE')
    await frame.getByLabel('Общая: Стадия «Оплачено»').selectOption('WON')
    await frame.locator('[data-testid="pipelines-save"]').click()
    await frame.locator('[data-testid="pipelines-saved"]').waitFor({ timeout: 60_000 })
    await frame.locator('[data-testid="journal"]', { hasText: '«Моё дело» подключено по ключу API' }).waitFor({ timeout: 60_000 })
    expect(sandbox.moedelo.firm(MOEDELO_TEST_KEY)).toBeDefined()
    await page.close()
  })
})

describe('events from the portal reach the app', () => {
  it('a manager moving a deal to another stage shows up in the deal tab', async () => {
    // The first event lets the app learn the deal's current stage (it re-reads the deal); the
    // second one, sent after that read, moves it.
    const dealReads = async () => {
      const log = (await (await fetch(`${sandbox.portal.url}/__emulator/requests`)).json()) as { requests: { path: string }[] }
      return log.requests.filter((r) => /crm\.deal\.get$/i.test(r.path)).length
    }
    const before = await dealReads()
    await sandbox.portal.uiUpdate('deal', 2, { COMMENTS: 'Уточнили объём' }, 2)
    await waitFor('the app to read the deal after the first event', async () => (await dealReads()) > before)
    await sandbox.portal.uiUpdate('deal', 2, { STAGE_ID: 'PREPARATION' }, 2)
    await sandbox.portal.waitForDeliveries()

    const page = await browser.newPage()
    await waitFor('the stage change in the deal tab', async () => {
      await page.goto(`${sandbox.portal.url}/crm/deal/details/2/?tab=CRM_DEAL_DETAIL_TAB`)
      const journal = page.frameLocator('iframe.app-frame').locator('[data-testid="journal"]', { hasText: 'Сделка №2 перешла на другую стадию' })
      return journal.waitFor({ timeout: 5_000 }).then(() => true)
    })
    await page.close()
  })
})

// After the stage test: the invoice's write-back to deal 1 comes back as deal events, which would blur that test's count of deal reads.
describe('invoices in the deal card', () => {
  it('the manager clicks «Выставить счёт», checks the preview, sends it, and sees the invoice with its PDF link', async () => {
    // MoeDelo was connected by the admin test above. Deal 1: Яндекс, two rows with VAT 22 % included.
    const page = await openPortalPage('/crm/deal/details/1/')
    await page.locator('button[data-toolbar-id]', { hasText: 'Выставить счёт' }).click()
    const frame = page.frameLocator('iframe.app-frame')
    await frame.locator('[data-testid="frame-status"][data-state="ready"]').waitFor({ timeout: 60_000 })
    const preview = frame.locator('[data-testid="invoice-preview"]')
    await preview.waitFor({ timeout: 60_000 })
    expect(await frame.locator('[data-testid="preview-item"]').count()).toBe(2)
    // 3 × 95 000 + 3 × 28 500 = 370 500 ₽
    expect(await frame.locator('[data-testid="preview-total"]').textContent()).toMatch(/370\s?500,00/)

    await frame.locator('[data-testid="send-invoice"]').click()
    const invoice = frame.locator('[data-testid="invoice"][data-state="created"]')
    await invoice.locator('[data-testid="invoice-pdf"]').waitFor({ timeout: 60_000 })
    const [bill] = [...sandbox.moedelo.firm(MOEDELO_TEST_KEY).bills.values()]
    expect(await invoice.locator('[data-testid="invoice-number"]').textContent()).toBe(`№ ${bill!.Number}`)
    expect(await invoice.locator('[data-testid="invoice-status"]').textContent()).toBe('Не оплачен')
    const pdfHref = await invoice.locator('[data-testid="invoice-pdf"]').getAttribute('href')
    const pdf = await fetch(new URL(pdfHref!, sandbox.app.url))
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await pdf.arrayBuffer()).toString('latin1')).toContain(`Bill No. ${bill!.Number}`)
    expect(sandbox.portal.state.deals.get(1)!.UF_CRM_MD_INVOICE_NO).toBe(bill!.Number)
    await page.close()
  })

  it('the accountant records the payment in MoeDelo: the deal moves to «Оплачено» and the tab shows the receipt', async () => {
    // The bill of the previous test. MoeDelo's own page, as an accountant would use it.
    const [bill] = [...sandbox.moedelo.firm(MOEDELO_TEST_KEY).bills.values()]
    const moedelo = await browser.newPage()
    await moedelo.goto(`${sandbox.moedelo.url}/__emulator/ui`)
    await moedelo.locator(`tr[data-bill="${bill!.Id}"] button`, { hasText: 'Оплатить' }).click()
    await moedelo.waitForLoadState()
    await moedelo.close()

    // The poller (every 5 s here) sees the payment: the paid stage chosen by the admin above is WON.
    await waitFor('the deal to move to the paid stage', async () => sandbox.portal.state.deals.get(1)!.STAGE_ID === 'WON', 60_000)
    const comments = sandbox.portal.state.timeline.filter((c) => c.ENTITY_TYPE === 'deal' && c.ENTITY_ID === 1)
    expect(comments.some((c) => c.COMMENT.includes('Поступила оплата') && c.COMMENT.includes('Счёт оплачен полностью'))).toBe(true)

    const page = await openPortalPage('/crm/deal/details/1/?tab=CRM_DEAL_DETAIL_TAB')
    const frame = page.frameLocator('iframe.app-frame')
    const invoice = frame.locator('[data-testid="invoice"][data-state="created"]')
    await invoice.locator('[data-testid="invoice-status"]', { hasText: 'Оплачен' }).waitFor({ timeout: 60_000 })
    expect(await invoice.locator('[data-testid="invoice-paid"]').textContent()).toMatch(/370\s?500,00/)
    expect(await invoice.locator('[data-testid="invoice-receipts"]').textContent()).toMatch(/370\s?500,00/)
    await page.close()
  })
})

describe('counterparties in the company card', () => {
  it('with a registry key saved, a company edit links it: the «Расчёты» tab shows the register status and the MoeDelo counterparty', async () => {
    const settings = await browser.newPage()
    await settings.goto(`${sandbox.portal.url}/marketplace/app/`)
    const admin = settings.frameLocator('iframe.app-frame')
    // Typing before React hydrates would be lost: wait until the page is live.
    await admin.locator('[data-testid="frame-status"][data-state="ready"]').waitFor({ timeout: 60_000 })
    await admin.locator('select[name="provider"]').selectOption('dadata')
    await admin.locator('input[name="registryKey"]').fill(DADATA_DEMO_API_KEY)
    await admin.locator('[data-testid="registry-save"]').click()
    await admin.locator('[data-testid="registry-status"]').waitFor({ timeout: 60_000 })
    await settings.close()

    // Сбербанк (company 3) is edited by the manager: the app checks the INN, asks the register and links MoeDelo.
    await sandbox.portal.uiUpdate('company', 3, { COMMENTS: 'Проверить реквизиты' }, 2)
    await sandbox.portal.waitForDeliveries()
    const page = await browser.newPage()
    await waitFor('the counterparty in the company tab', async () => {
      await page.goto(`${sandbox.portal.url}/crm/company/details/3/?tab=CRM_COMPANY_DETAIL_TAB`)
      const frame = page.frameLocator('iframe.app-frame')
      // Connecting MoeDelo already linked the company (first sync); the edit adds the register data.
      await frame.locator('[data-testid="registry-badge"]', { hasText: 'Действующая' }).waitFor({ timeout: 5_000 })
      await frame.locator('[data-testid="moedelo-counterparty"]', { hasText: '№' }).waitFor({ timeout: 5_000 })
      return true
    }, 90_000)
    const frame = page.frameLocator('iframe.app-frame')
    expect(await frame.locator('[data-testid="counterparty"]').textContent()).toContain('7707083893')
    expect(await frame.locator('[data-testid="registry-badge"]').textContent()).toContain('Действующая')
    const created = sandbox.moedelo.firm(MOEDELO_TEST_KEY).kontragents
    expect([...created.values()].filter((k) => k.Inn === '7707083893')).toHaveLength(1)
    await page.close()
  })

  it('an invalid INN is explained in the company tab in plain Russian', async () => {
    // СКБ Контур's INN with a wrong last digit, as a manager might type it.
    const requisite = [...sandbox.portal.state.requisites.values()].find((r) => r.ENTITY_TYPE_ID === 4 && r.ENTITY_ID === 2)!
    requisite.RQ_INN = '6663003128'
    const page = await browser.newPage()
    await page.goto(`${sandbox.portal.url}/crm/company/details/2/?tab=CRM_COMPANY_DETAIL_TAB`)
    const problems = page.frameLocator('iframe.app-frame').locator('[data-testid="requisite-problems"]')
    expect(await problems.textContent({ timeout: 60_000 })).toContain('ИНН 6663003128: неверная контрольная цифра — проверьте последнюю цифру')
    await page.close()
  })
})
