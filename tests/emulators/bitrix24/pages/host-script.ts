/**
 * Browser script of the PARENT window: opens placement iframes the way Bitrix24 does (iframe
 * `name="DOMAIN|PROTOCOL|APP_SID"` + a hidden form POST targeting it) and answers the SDK's
 * postMessage protocol (`@bitrix24/b24jssdk` frame/message/controller.mjs):
 *
 *   child → parent: "command:params:callbackId:appSid" (params = JSON, may be absent), or an object
 *                   {method, params, callback, appSid} for commands containing ':'.
 *   parent → child: "callbackId:" + JSON(result), posted to the frame's origin.
 *
 * Messages whose APP_SID does not match the frame that sent them are ignored.
 */
export const HOST_SCRIPT = String.raw`
(function () {
  'use strict';
  var frames = {};
  var log = [];
  window.__b24host = { frames: frames, log: log, open: openFrame };

  function note(entry) {
    log.push(entry);
    var panel = document.getElementById('host-log');
    if (panel) {
      var li = document.createElement('li');
      li.textContent = new Date().toLocaleTimeString() + ' ' + entry.dir + ' ' + entry.command + (entry.info ? ' ' + entry.info : '');
      panel.insertBefore(li, panel.firstChild);
    }
  }

  function post(url, body) {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); });
  }

  function openFrame(container, request, hooks) {
    return post('/marketplace/frame/open', request).then(function (r) {
      if (!r.ok) {
        container.innerHTML = '';
        var msg = document.createElement('div');
        msg.className = 'app-error';
        msg.textContent = r.error;
        container.appendChild(msg);
        return null;
      }
      var iframe = document.createElement('iframe');
      iframe.name = r.frameName;
      iframe.className = 'app-frame';
      iframe.setAttribute('data-app-sid', r.appSid);
      iframe.setAttribute('allow', 'clipboard-read; clipboard-write');
      container.innerHTML = '';
      container.appendChild(iframe);
      var form = document.createElement('form');
      form.method = 'POST';
      form.action = r.action;
      form.target = r.frameName;
      form.enctype = 'application/x-www-form-urlencoded';
      form.style.display = 'none';
      Object.keys(r.fields).forEach(function (k) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = k;
        input.value = r.fields[k];
        form.appendChild(input);
      });
      container.appendChild(form);
      form.submit();
      form.parentNode.removeChild(form);
      frames[r.appSid] = { iframe: iframe, session: r, container: container, request: request, hooks: hooks || {} };
      note({ dir: 'open', command: request.placementId === 'DEFAULT' || !request.placementId ? 'DEFAULT' : 'placement ' + request.placementId, info: r.action });
      return r;
    });
  }

  function reopen(entry) {
    delete frames[entry.session.appSid];
    return openFrame(entry.container, entry.request, entry.hooks);
  }

  // ----- overlay ("slider") used by openApplication / openPath / selectUser -----
  function overlay(title, onClose) {
    var back = document.createElement('div');
    back.className = 'slider-back';
    var panel = document.createElement('div');
    panel.className = 'slider';
    var head = document.createElement('div');
    head.className = 'slider-head';
    var h = document.createElement('span');
    h.textContent = title;
    var close = document.createElement('button');
    close.className = 'slider-close';
    close.textContent = '×';
    head.appendChild(h);
    head.appendChild(close);
    var body = document.createElement('div');
    body.className = 'slider-body';
    panel.appendChild(head);
    panel.appendChild(body);
    back.appendChild(panel);
    document.body.appendChild(back);
    var closed = false;
    function doClose() {
      if (closed) return;
      closed = true;
      back.parentNode && back.parentNode.removeChild(back);
      onClose && onClose();
    }
    close.addEventListener('click', doClose);
    return { body: body, close: doClose };
  }

  function parseMessage(data) {
    if (typeof data === 'string') {
      var parts = data.split(':');
      if (parts.length < 3) return null;
      return {
        command: parts[0],
        appSid: parts[parts.length - 1],
        callback: parts[parts.length - 2],
        raw: parts.slice(1, -2).join(':')
      };
    }
    if (data && typeof data === 'object' && typeof data.method === 'string') {
      return { command: data.method, appSid: data.appSid, callback: data.callback, raw: data.params };
    }
    return null;
  }

  window.addEventListener('message', function (event) {
    var entry = null;
    Object.keys(frames).forEach(function (sid) {
      if (frames[sid].iframe.contentWindow === event.source) entry = frames[sid];
    });
    if (!entry) return;
    var msg = parseMessage(event.data);
    if (!msg) return;
    if (msg.appSid !== entry.session.appSid) {
      note({ dir: 'drop', command: msg.command, info: 'APP_SID mismatch' });
      return;
    }
    var params = {};
    if (typeof msg.raw === 'string' && msg.raw !== '') {
      try { params = JSON.parse(msg.raw); } catch (e) { params = { value: msg.raw }; }
    } else if (msg.raw && typeof msg.raw === 'object') {
      params = msg.raw;
    }
    var source = event.source;
    var origin = event.origin;
    function reply(value) {
      if (!msg.callback) return;
      source.postMessage(msg.callback + ':' + (value === undefined ? '' : JSON.stringify(value)), origin);
      note({ dir: 'reply', command: msg.command });
    }
    function server(command) {
      return post('/marketplace/frame/command', { appSid: entry.session.appSid, command: command, params: params });
    }
    note({ dir: 'recv', command: msg.command, info: typeof msg.raw === 'string' ? msg.raw.slice(0, 120) : '' });
    var hooks = entry.hooks;
    switch (msg.command) {
      case 'getInitData':
        server('getInitData').then(function (r) { entry.session.initData = r.result; reply(r.result); });
        break;
      case 'refreshAuth':
        server('refreshAuth').then(function (r) { reply(r.result); });
        break;
      case 'setInstall':
        server('setInstall').then(function () { reply({}); });
        break;
      case 'setInstallFinish':
        server('setInstallFinish').then(function (r) {
          reply(r.ok ? {} : { error: r.error });
          if (r.ok) {
            var banner = document.getElementById('install-banner');
            if (banner) banner.parentNode.removeChild(banner);
            setTimeout(function () { reopen(entry); }, 50);
          }
        });
        break;
      case 'setAppOption':
      case 'setUserOption':
        server(msg.command).then(function () { reply({}); });
        break;
      case 'resizeWindow':
        if (params.height) entry.iframe.style.height = (typeof params.height === 'number' ? params.height + 'px' : params.height);
        if (params.width && params.width !== '100%') entry.iframe.style.width = (typeof params.width === 'number' ? params.width + 'px' : params.width);
        reply({});
        break;
      case 'setTitle':
        if (hooks.setTitle) hooks.setTitle(String(params.title || ''));
        else document.title = String(params.title || document.title);
        reply({});
        break;
      case 'setScroll':
        window.scrollTo(0, Number(params.scroll || 0));
        reply({});
        break;
      case 'reloadWindow':
        reply({});
        setTimeout(function () { reopen(entry); }, 10);
        break;
      case 'openApplication': {
        var ov = overlay('Приложение', function () { reply({}); });
        openFrame(ov.body, { placementId: 'DEFAULT', userId: entry.request.userId, options: params, uri: location.pathname }, { close: ov.close });
        break;
      }
      case 'closeApplication':
        reply({});
        if (hooks.close) hooks.close();
        break;
      case 'openPath': {
        var ovp = overlay(String(params.path || ''), function () { reply({ result: 'close' }); });
        var f = document.createElement('iframe');
        f.className = 'app-frame';
        var path = String(params.path || '/').replace(/^.*?(\/(crm|company|marketplace)\/)/, '$1');
        f.src = path;
        ovp.body.appendChild(f);
        break;
      }
      case 'selectUser': {
        var users = (window.__portalUsers || []);
        var ovu = overlay('Выбор сотрудника', function () { if (!picked) reply(params.mult ? [] : null); });
        var picked = false;
        users.forEach(function (u) {
          var b = document.createElement('button');
          b.className = 'user-pick';
          b.textContent = u.name;
          b.addEventListener('click', function () {
            picked = true;
            var value = { id: String(u.id), name: u.name, photo: '', position: u.position, url: '/company/personal/user/' + u.id + '/', sub: false, sup: false };
            reply(params.mult ? [value] : value);
            ovu.close();
          });
          ovu.body.appendChild(b);
        });
        break;
      }
      case 'selectAccess':
        reply([]);
        break;
      case 'selectCRM':
        reply({});
        break;
      case 'getInterface':
        reply({ command: [], event: [] });
        break;
      default:
        // placementBindEvent, im* and unknown commands: acknowledged without effect.
        reply({});
    }
  });
})();
`
