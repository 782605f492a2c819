/** Server-rendered portal pages: home, deal card, company card, application page. */
import type { Portal } from '../portal'
import type { CrmRecord, PlacementBinding } from '../state'
import { displayValue, KINDS, type EntityKind } from '../rest/entities'
import { escapeHtml as h, isoMsk } from '../util'
import { HOST_SCRIPT } from './host-script'
import type { FrameHost } from './frames'

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 "Open Sans","Helvetica Neue",Arial,sans-serif;background:#eef2f4;color:#333}
a{color:#2067b0;text-decoration:none}a:hover{text-decoration:underline}
.top{background:#fff;border-bottom:1px solid #e0e5e8;padding:10px 24px;display:flex;gap:24px;align-items:center}
.top .logo{font-weight:700;font-size:18px;color:#2fc6f6}.top .logo b{color:#333}
.top .who{margin-left:auto;font-size:12px;color:#828b95}
.wrap{padding:20px 24px;max-width:1280px}
h1{font-size:24px;font-weight:400;margin:0 0 12px}
.stages{display:flex;gap:2px;margin:8px 0 16px}.stage{flex:1;padding:6px 8px;font-size:12px;color:#fff;background:#c8d0d6;border:0;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.stage.done{opacity:.75}.stage.current{font-weight:700;outline:2px solid #333;outline-offset:-2px}
.toolbar{display:flex;gap:8px;margin-bottom:12px}.btn{background:#fff;border:1px solid #c6cdd3;border-radius:2px;padding:6px 14px;cursor:pointer;font-size:13px}.btn.primary{background:#3bc8f5;border-color:#3bc8f5;color:#fff}
.tabs{display:flex;gap:0;border-bottom:1px solid #dfe3e6;margin-bottom:0;background:#fff;border-radius:4px 4px 0 0}
.tab{padding:12px 18px;cursor:pointer;border-bottom:3px solid transparent;color:#535c69}.tab.active{border-bottom-color:#2fc6f6;color:#333;font-weight:600}
.panel{display:none;background:#fff;padding:16px;border-radius:0 0 4px 4px}.panel.active{display:block}
.grid{display:grid;grid-template-columns:minmax(320px,1fr) minmax(320px,1fr);gap:16px}
.card{background:#fff;border-radius:4px;padding:14px 16px;margin-bottom:12px;border:1px solid #e6eaec}
.card h3{margin:0 0 10px;font-size:13px;text-transform:uppercase;color:#828b95;font-weight:600}
.field{margin-bottom:8px}.field .label{font-size:12px;color:#a8adb4}.field .value{font-size:14px;min-height:18px}
table.rows{width:100%;border-collapse:collapse}table.rows th,table.rows td{border-bottom:1px solid #eef0f2;padding:6px 8px;text-align:left;font-size:13px}
.timeline .item{border-left:3px solid #c8d0d6;padding:6px 10px;margin-bottom:8px;background:#f8fafb}
.timeline .item.comment{border-color:#2fc6f6}.timeline .item.log{border-color:#9dcf00}.timeline .item.notify{border-color:#ffa900}
.timeline .meta{font-size:11px;color:#a8adb4}
.app-frame{width:100%;min-height:480px;border:0;background:#fff;display:block}
.app-error{padding:24px;color:#c00}
.banner{background:#fff5d6;border:1px solid #ffd966;padding:10px 14px;margin-bottom:12px;border-radius:4px}
.slider-back{position:fixed;inset:0;background:rgba(0,0,0,.35);display:flex;justify-content:flex-end;z-index:10}
.slider{width:min(1100px,92vw);height:100%;background:#eef2f4;display:flex;flex-direction:column}
.slider-head{display:flex;justify-content:space-between;padding:12px 16px;background:#fff;font-size:18px}
.slider-close{border:0;background:none;font-size:24px;cursor:pointer}.slider-body{flex:1;overflow:auto;padding:12px}
.user-pick{display:block;margin:6px 0;padding:8px 12px;border:1px solid #ccc;background:#fff;cursor:pointer;width:100%;text-align:left}
ul.list{padding-left:18px}#host-log{font:11px monospace;color:#828b95;max-height:140px;overflow:auto;padding-left:16px}
`

export function layout(portal: Portal, title: string, body: string, userId: number): string {
  const user = portal.state.user(userId)
  const users = portal.state.users.map((u) => ({ id: u.ID, name: `${u.NAME} ${u.LAST_NAME}`, position: u.WORK_POSITION }))
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>${h(title)}</title><style>${CSS}</style>
<script>window.__portalUsers=${JSON.stringify(users).replace(/</g, '\\u003c')};</script>
<script>${HOST_SCRIPT}</script></head>
<body><div class="top"><span class="logo">Битрикс<b>24</b></span>
<a href="/?user=${userId}">Главная</a><a href="/crm/deal/list/?user=${userId}">Сделки</a><a href="/crm/company/list/?user=${userId}">Компании</a>
<a href="/marketplace/app/?user=${userId}">Приложение</a>
<span class="who">${h(portal.ep.domain)} · ${h(user ? `${user.NAME} ${user.LAST_NAME}` : '?')}${user?.ADMIN ? ' (администратор)' : ''}
· смотреть как: ${portal.state.users.map((u) => `<a href="?user=${u.ID}">${u.ID}</a>`).join(' ')}</span></div>
<div class="wrap">${body}</div></body></html>`
}

export function homePage(portal: Portal, userId: number): string {
  const { state } = portal
  const deals = [...state.deals.values()]
    .map((d) => `<li><a href="/crm/deal/details/${d.ID}/?user=${userId}">${h(d.TITLE)}</a> — ${h(d.STAGE_ID)}</li>`)
    .join('')
  const companies = [...state.companies.values()]
    .map((c) => `<li><a href="/crm/company/details/${c.ID}/?user=${userId}">${h(c.TITLE)}</a></li>`)
    .join('')
  const app = state.app
  const status = !app.added ? 'не установлено' : app.installed ? 'установлено' : 'установка не завершена'
  return layout(
    portal,
    'Битрикс24',
    `<h1>Портал ${h(portal.ep.domain)}</h1>
<div class="grid"><div class="card"><h3>Сделки</h3><ul class="list">${deals}</ul></div>
<div class="card"><h3>Компании</h3><ul class="list">${companies}</ul></div></div>
<div class="card"><h3>Приложение</h3><p>${h(app.clientId)} — ${h(status)}. <a href="/marketplace/app/?user=${userId}">Открыть приложение</a></p>
<p>member_id: <code>${h(portal.ep.memberId)}</code></p></div>`,
    userId,
  )
}

export function listPage(portal: Portal, kind: EntityKind, userId: number): string {
  const rows = [...kind.store(portal.state).values()]
    .map(
      (r) =>
        `<tr><td>${r.ID}</td><td><a href="/crm/${kind.name}/details/${r.ID}/?user=${userId}">${h(r.TITLE)}</a></td><td>${h(
          kind.name === 'deal' ? r.STAGE_ID : r.COMPANY_TYPE,
        )}</td><td>${h(kind.name === 'deal' ? `${Number(r.OPPORTUNITY).toFixed(2)} ${String(r.CURRENCY_ID)}` : '')}</td></tr>`,
    )
    .join('')
  return layout(
    portal,
    kind.name === 'deal' ? 'Сделки' : 'Компании',
    `<h1>${kind.name === 'deal' ? 'Сделки' : 'Компании'}</h1><div class="card"><table class="rows"><tr><th>ID</th><th>Название</th><th></th><th></th></tr>${rows}</table></div>`,
    userId,
  )
}

function fieldBlock(label: string, value: string): string {
  return `<div class="field"><div class="label">${h(label)}</div><div class="value">${value}</div></div>`
}

function userName(portal: Portal, id: unknown): string {
  const u = portal.state.user(Number(id))
  return u ? `${u.NAME} ${u.LAST_NAME}` : String(id ?? '')
}

function timelineHtml(portal: Portal, kind: EntityKind, record: CrmRecord): string {
  const { state } = portal
  const items: { at: Date; html: string }[] = []
  for (const c of state.timeline.filter((t) => t.ENTITY_TYPE === kind.name && t.ENTITY_ID === record.ID)) {
    const files = c.FILES.map((id) => {
      const f = state.files.get(id)
      return f ? ` <a href="/rest/download/?fileId=${id}">📎 ${h(f.name)}</a>` : ''
    }).join('')
    items.push({
      at: c.CREATED,
      html: `<div class="item comment" data-comment-id="${c.ID}"><div class="meta">Комментарий · ${h(userName(portal, c.AUTHOR_ID))} · ${h(isoMsk(c.CREATED))}</div>${h(c.COMMENT)}${files}</div>`,
    })
  }
  for (const m of state.logMessages.filter((l) => l.entityTypeId === kind.entityTypeId && l.entityId === record.ID)) {
    items.push({
      at: m.created,
      html: `<div class="item log"><div class="meta">${h(m.iconCode)} · ${h(isoMsk(m.created))}</div><b>${h(m.title)}</b><br>${h(m.text)}</div>`,
    })
  }
  if (kind.name === 'deal') {
    for (const s of state.stageHistory.filter((x) => x.OWNER_ID === record.ID)) {
      const name = state.stage(s.STAGE_ID)?.stage.NAME ?? s.STAGE_ID
      items.push({
        at: s.CREATED_TIME,
        html: `<div class="item"><div class="meta">${s.TYPE_ID === 1 ? 'Создана' : 'Стадия изменена'} · ${h(isoMsk(s.CREATED_TIME))}</div>${h(name)}</div>`,
      })
    }
  }
  items.sort((a, b) => b.at.getTime() - a.at.getTime())
  return items.map((i) => i.html).join('') || '<div class="meta">Пока пусто</div>'
}

function notificationsHtml(portal: Portal, userId: number): string {
  const list = portal.state.notifications.filter((n) => n.userId === userId).slice(-10).reverse()
  if (!list.length) return '<div class="meta">Нет уведомлений</div>'
  return list
    .map(
      (n) =>
        `<div class="item notify" data-notification-id="${n.id}"><div class="meta">${n.kind === 'system' ? 'Системное' : `От ${h(userName(portal, n.fromUserId))}`} · ${h(isoMsk(n.date))}${n.tag ? ` · ${h(n.tag)}` : ''}</div>${h(n.message)}</div>`,
    )
    .join('')
}

/** Deal or company card with a tab per *_DETAIL_TAB placement and a button per *_DETAIL_TOOLBAR one. */
export function cardPage(
  portal: Portal,
  frames: FrameHost,
  kind: EntityKind,
  record: CrmRecord,
  userId: number,
  openTab: string | undefined,
): string {
  const { state } = portal
  const entity = kind.name.toUpperCase()
  const installed = state.app.installed
  const tabs: PlacementBinding[] = installed ? state.placements.filter((p) => p.placement === `CRM_${entity}_DETAIL_TAB`) : []
  const tools: PlacementBinding[] = installed ? state.placements.filter((p) => p.placement === `CRM_${entity}_DETAIL_TOOLBAR`) : []
  const uri = `/crm/${kind.name}/details/${record.ID}/`

  let stagesHtml = ''
  if (kind.name === 'deal') {
    const category = state.category(Number(record.CATEGORY_ID))!
    const currentIndex = category.stages.findIndex((s) => s.STATUS_ID === record.STAGE_ID)
    stagesHtml = `<div class="stages" data-category="${category.id}">${category.stages
      .map(
        (s, i) =>
          `<button class="stage${i < currentIndex ? ' done' : ''}${i === currentIndex ? ' current' : ''}" style="background:${
            i <= currentIndex ? s.COLOR : '#c8d0d6'
          }" data-stage="${h(s.STATUS_ID)}" title="${h(s.NAME)}">${h(s.NAME)}</button>`,
      )
      .join('')}</div>`
  }

  const mainFields = kind.fields.filter((d) =>
    kind.name === 'deal'
      ? ['ID', 'TITLE', 'STAGE_ID', 'CATEGORY_ID', 'OPPORTUNITY', 'CURRENCY_ID', 'TAX_VALUE', 'COMPANY_ID', 'ASSIGNED_BY_ID', 'BEGINDATE', 'CLOSEDATE', 'DATE_MODIFY'].includes(d.name)
      : ['ID', 'TITLE', 'COMPANY_TYPE', 'INDUSTRY', 'ASSIGNED_BY_ID', 'DATE_MODIFY'].includes(d.name),
  )
  const fieldHtml = mainFields
    .map((d) => {
      let value = h(displayValue(portal, kind, record, d.name))
      if (d.name === 'COMPANY_ID' && record.COMPANY_ID) {
        const c = state.companies.get(Number(record.COMPANY_ID))
        value = `<a href="/crm/company/details/${record.COMPANY_ID}/?user=${userId}">${h(c?.TITLE ?? record.COMPANY_ID)}</a>`
      }
      if (d.name === 'ASSIGNED_BY_ID') value = h(userName(portal, record.ASSIGNED_BY_ID))
      if (d.name === 'STAGE_ID') value = h(state.stage(String(record.STAGE_ID))?.stage.NAME ?? record.STAGE_ID)
      if (d.name === 'CATEGORY_ID') value = h(state.category(Number(record.CATEGORY_ID))?.name ?? '')
      return fieldBlock(d.title, value)
    })
    .join('')
  const ufHtml = kind.ufEntity
    ? state
        .userFieldsOf(kind.ufEntity)
        .map((uf) => {
          const label = ((uf.LABELS.EDIT_FORM_LABEL as Record<string, string>)?.ru || uf.FIELD_NAME) as string
          let value = h(displayValue(portal, kind, record, uf.FIELD_NAME))
          if (uf.USER_TYPE_ID === 'file') {
            const ids = ([] as unknown[]).concat(record[uf.FIELD_NAME] ?? [])
            value = ids
              .filter((x) => x !== null)
              .map((id) => `<a href="/rest/download/?fileId=${String(id)}">📎 ${h(state.files.get(Number(id))?.name ?? id)}</a>`)
              .join(' ')
          }
          if (uf.USER_TYPE_ID === 'url' && record[uf.FIELD_NAME]) {
            value = `<a href="${h(record[uf.FIELD_NAME])}" target="_blank">${h(record[uf.FIELD_NAME])}</a>`
          }
          return `<div data-uf="${h(uf.FIELD_NAME)}">${fieldBlock(label, value)}</div>`
        })
        .join('')
    : ''

  let extra = ''
  if (kind.name === 'deal') {
    const rows = state.productRows.get(record.ID) ?? []
    extra = `<table class="rows"><tr><th>Товар</th><th>Цена</th><th>Кол-во</th><th>НДС</th><th>Сумма</th></tr>${rows
      .map(
        (r) =>
          `<tr><td>${h(r.PRODUCT_NAME)}</td><td>${r.PRICE.toFixed(2)}</td><td>${r.QUANTITY} ${h(r.MEASURE_NAME)}</td><td>${
            r.TAX_RATE === null ? 'Без НДС' : `${r.TAX_RATE}%${r.TAX_INCLUDED === 'Y' ? ' (вкл.)' : ''}`
          }</td><td>${(r.PRICE * r.QUANTITY).toFixed(2)}</td></tr>`,
      )
      .join('')}</table>`
  } else {
    const requisites = [...state.requisites.values()].filter((r) => r.ENTITY_TYPE_ID === 4 && r.ENTITY_ID === record.ID)
    extra = requisites.length
      ? requisites
          .map(
            (r) =>
              `<div class="card"><h3>${h(r.NAME)}</h3>${fieldBlock('Название', h(r.RQ_COMPANY_NAME ?? r.RQ_NAME ?? ''))}${fieldBlock('ИНН', h(r.RQ_INN ?? ''))}${fieldBlock('КПП', h(r.RQ_KPP ?? ''))}${fieldBlock('ОГРН/ОГРНИП', h(r.RQ_OGRN ?? r.RQ_OGRNIP ?? ''))}${state.addresses
                .filter((a) => a.ENTITY_TYPE_ID === 8 && a.ENTITY_ID === r.ID)
                .map((a) => fieldBlock(`Адрес (тип ${a.TYPE_ID})`, h([a.POSTAL_CODE, a.CITY, a.ADDRESS_1, a.ADDRESS_2].filter(Boolean).join(', '))))
                .join('')}</div>`,
          )
          .join('')
      : '<div class="meta">Реквизиты не заполнены</div>'
  }

  const tabKey = (p: PlacementBinding) => `placement-${p.id}`
  const wanted =
    openTab && (tabs.find((p) => tabKey(p) === openTab || String(p.id) === openTab) ?? tabs.find((p) => p.placement === openTab))
  const activeKey = wanted ? tabKey(wanted) : 'main'
  const tabButtons = [
    `<div class="tab${activeKey === 'main' ? ' active' : ''}" data-tab="main">Общие</div>`,
    `<div class="tab" data-tab="extra">${kind.name === 'deal' ? 'Товары' : 'Реквизиты'}</div>`,
    ...tabs.map(
      (p) =>
        `<div class="tab${activeKey === tabKey(p) ? ' active' : ''}" data-tab="${tabKey(p)}" data-placement-id="${p.id}">${h(frames.placementTitle(p))}</div>`,
    ),
  ].join('')
  const panels = [
    `<div class="panel${activeKey === 'main' ? ' active' : ''}" data-panel="main"><div class="grid"><div><div class="card"><h3>О ${kind.name === 'deal' ? 'сделке' : 'компании'}</h3>${fieldHtml}</div><div class="card"><h3>Пользовательские поля</h3>${ufHtml || '<div class="meta">нет</div>'}</div></div>
<div><div class="card timeline"><h3>Таймлайн</h3>${timelineHtml(portal, kind, record)}</div><div class="card timeline"><h3>Уведомления пользователя</h3>${notificationsHtml(portal, userId)}</div></div></div></div>`,
    `<div class="panel" data-panel="extra">${extra}</div>`,
    ...tabs.map(
      (p) => `<div class="panel${activeKey === tabKey(p) ? ' active' : ''}" data-panel="${tabKey(p)}"><div class="frame-slot" data-placement-id="${p.id}"></div></div>`,
    ),
  ].join('')
  const toolButtons = tools
    .map((p) => `<button class="btn" data-toolbar-id="${p.id}">${h(frames.placementTitle(p))}</button>`)
    .join('')
  const banner =
    state.app.added && !state.app.installed
      ? `<div class="banner" id="install-banner">Приложение «${h(state.app.code)}» установлено не до конца: встройки не показываются, события не доставляются.</div>`
      : ''
  const body = `${banner}<h1 data-entity="${kind.name}" data-id="${record.ID}">${h(record.TITLE)}</h1>${stagesHtml}
<div class="toolbar">${toolButtons}</div>
<div class="tabs">${tabButtons}</div>${panels}
<details class="card"><summary>Обмен сообщениями с приложением</summary><ul id="host-log"></ul></details>
<script>
(function(){
  var USER=${userId}, ENTITY_ID=${record.ID}, URI=${JSON.stringify(uri)};
  var opened={};
  function activate(key){
    document.querySelectorAll('.tab').forEach(function(t){t.classList.toggle('active',t.getAttribute('data-tab')===key)});
    document.querySelectorAll('.panel').forEach(function(p){p.classList.toggle('active',p.getAttribute('data-panel')===key)});
    var slot=document.querySelector('.panel[data-panel="'+key+'"] .frame-slot');
    if(slot&&!opened[key]){opened[key]=true;window.__b24host.open(slot,{placementId:Number(slot.getAttribute('data-placement-id')),userId:USER,entityId:ENTITY_ID,uri:URI});}
  }
  document.querySelectorAll('.tab').forEach(function(t){t.addEventListener('click',function(){activate(t.getAttribute('data-tab'))})});
  document.querySelectorAll('[data-toolbar-id]').forEach(function(b){b.addEventListener('click',function(){
    var back=document.createElement('div');back.className='slider-back';var panel=document.createElement('div');panel.className='slider';
    var head=document.createElement('div');head.className='slider-head';head.textContent=b.textContent;var close=document.createElement('button');close.className='slider-close';close.textContent='×';head.appendChild(close);
    var body=document.createElement('div');body.className='slider-body';panel.appendChild(head);panel.appendChild(body);back.appendChild(panel);document.body.appendChild(back);
    function done(){back.remove();}
    close.addEventListener('click',done);
    window.__b24host.open(body,{placementId:Number(b.getAttribute('data-toolbar-id')),userId:USER,entityId:ENTITY_ID,uri:URI},{close:done});
  })});
  document.querySelectorAll('.stage').forEach(function(s){s.addEventListener('click',function(){
    fetch('/__emulator/ui/update',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({entity:${JSON.stringify(kind.name)},id:ENTITY_ID,userId:USER,fields:{STAGE_ID:s.getAttribute('data-stage')}})}).then(function(){location.reload()});
  })});
  activate(${JSON.stringify(activeKey)});
})();
</script>`
  return layout(portal, String(record.TITLE), body, userId)
}

export function appPage(portal: Portal, userId: number): string {
  const app = portal.state.app
  const body = !app.added
    ? `<h1>Приложение не установлено</h1><p>Установите приложение (control route <code>POST /__emulator/install</code>).</p>`
    : `<h1 id="app-title">${h(app.code)}</h1>
${app.installed ? '' : `<div class="banner" id="install-banner">Идёт установка приложения: страница установки открыта с PLACEMENT=DEFAULT.</div>`}
<div class="card" style="padding:0"><div class="frame-slot" id="app-slot"></div></div>
<details class="card"><summary>Обмен сообщениями с приложением</summary><ul id="host-log"></ul></details>
<script>window.__b24host.open(document.getElementById('app-slot'),{placementId:'DEFAULT',userId:${userId},uri:'/marketplace/app/'},{setTitle:function(t){document.getElementById('app-title').textContent=t}});</script>`
  return layout(portal, 'Приложение', body, userId)
}

export { KINDS }
