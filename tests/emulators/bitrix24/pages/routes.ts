/** Portal UI routes: home, lists, cards, app page, frame session endpoints, file downloads. */
import type { EmulatorRequest, EmulatorResponse, Router } from '../../shared/http'
import type { Portal } from '../portal'
import { KINDS } from '../rest/entities'
import { isPlainObject } from '../util'
import type { FrameHost, FrameOpenRequest } from './frames'
import { appPage, cardPage, homePage, listPage } from './views'

const html = (body: string, status = 200): EmulatorResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
})

function viewer(portal: Portal, req: EmulatorRequest): number {
  const id = Number(req.query.user ?? 1)
  return portal.state.user(id) ? id : 1
}

export function registerPages(router: Router, portal: Portal, frames: FrameHost): void {
  router
    .add('GET', '/', (req) => html(homePage(portal, viewer(portal, req))))
    .add('GET', '/crm/deal/list', (req) => html(listPage(portal, KINDS.deal, viewer(portal, req))))
    .add('GET', '/crm/company/list', (req) => html(listPage(portal, KINDS.company, viewer(portal, req))))
    .add('GET', '/crm/:entity/details/:id', (req, params) => {
      const kind = params.entity === 'deal' ? KINDS.deal : params.entity === 'company' ? KINDS.company : undefined
      const record = kind?.store(portal.state).get(Number(params.id))
      if (!kind || !record) return html('<h1>Элемент не найден</h1>', 404)
      const tab = typeof req.query.tab === 'string' ? req.query.tab : undefined
      return html(cardPage(portal, frames, kind, record, viewer(portal, req), tab))
    })
    .add('GET', '/marketplace/app', (req) => html(appPage(portal, viewer(portal, req))))
    .add('GET', '/marketplace/app/:id', (req) => html(appPage(portal, viewer(portal, req))))
    .add('POST', '/marketplace/frame/open', (req) => {
      const body = (req.body ?? {}) as FrameOpenRequest
      return { body: frames.open(body) }
    })
    .add('POST', '/marketplace/frame/command', (req) => {
      const body = req.body ?? {}
      const params = isPlainObject(body.params) ? body.params : {}
      return { body: frames.command(String(body.appSid ?? ''), String(body.command ?? ''), params) }
    })
    .add('GET', '/bitrix/components/bitrix/:component/show_file.php', (req) => fileResponse(portal, Number(req.query.fileId)))
    .add('GET', '/bitrix/services/main/ajax.php', (req) => fileResponse(portal, Number(req.query.fileId)))
}

function fileResponse(portal: Portal, fileId: number): EmulatorResponse {
  const file = portal.state.files.get(fileId)
  if (!file) return { status: 404, body: 'File not found' }
  return {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    },
    body: file.content,
  }
}
