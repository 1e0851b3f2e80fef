/**
 * Storage UI and VOSpace (cadc-reference.md §2.4, §6): `/storage/list{path}` (HTML with
 * `table#beacon`), `/storage/page{path}` (the rows, which the UI gets from the VOSpace `nodes` XML),
 * the storage UI's own login `POST /storage/ac/authenticate` (303 to `/storage/list{redirectPath}`),
 * and arc's `GET /arc/nodes/{path}` (vos:node XML; a home folder is readable by its owner only).
 */
import type { ReplicaContext } from '../context.ts';
import { redirect, send, type Route } from '../http.ts';
import { SSO_MAX_AGE_S } from '../sessions.ts';
import { USERS, findUser, type ReplicaUser } from '../users.ts';
import { originOf } from './search.ts';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const VOS = 'http://www.ivoa.net/xml/VOSpace/v2.0';
const AUTHORITY = 'vos://cadc.nrc.ca~arc';

interface VosNode {
  name: string;
  type: 'vos:ContainerNode' | 'vos:DataNode';
  length: number;
  date: string;
}

/** Every user's home holds the same small, generated tree. */
function homeChildren(user: ReplicaUser): VosNode[] {
  return [
    { name: 'data', type: 'vos:ContainerNode', length: 0, date: '2026-03-02T10:15:00.000' },
    { name: 'notebooks', type: 'vos:ContainerNode', length: 0, date: '2026-03-04T08:00:00.000' },
    { name: 'README.md', type: 'vos:DataNode', length: 1234 + user.uid % 100, date: '2026-02-27T16:47:06.000' },
    { name: 'results.fits', type: 'vos:DataNode', length: 2_880 * 40, date: '2026-04-11T21:03:12.000' },
  ];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function nodeXml(path: string, owner: ReplicaUser | undefined, children: VosNode[]): string {
  const prop = (uri: string, v: string | number) => `<vos:property uri="${uri}">${v}</vos:property>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<vos:node xmlns:vos="${VOS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="${AUTHORITY}/${esc(path)}" xsi:type="vos:ContainerNode">
  <vos:properties>
    ${prop('ivo://ivoa.net/vospace/core#quota', 107374182400)}
    ${prop('ivo://ivoa.net/vospace/core#ispublic', owner ? 'false' : 'true')}
    ${owner ? prop('ivo://ivoa.net/vospace/core#creator', `CN=${owner.username}`) : ''}
  </vos:properties>
  <vos:nodes>
${children
  .map(
    (c) => `    <vos:node uri="${AUTHORITY}/${esc(path)}/${esc(c.name)}" xsi:type="${c.type}">
      <vos:properties>
        ${prop('ivo://ivoa.net/vospace/core#length', c.length)}
        ${prop('ivo://ivoa.net/vospace/core#date', c.date)}
      </vos:properties>
    </vos:node>`,
  )
  .join('\n')}
  </vos:nodes>
</vos:node>
`;
}

/** Parses the children of a vos:node document: what the storage UI's server does. */
function parseChildren(xml: string): VosNode[] {
  const out: VosNode[] = [];
  const re = /<vos:node uri="[^"]*\/([^"/]+)" xsi:type="([^"]+)">([\s\S]*?)<\/vos:node>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const body = m[3] ?? '';
    out.push({
      name: (m[1] ?? '').replace(/&amp;/g, '&'),
      type: m[2] as VosNode['type'],
      length: Number(/#length">(\d+)</.exec(body)?.[1] ?? 0),
      date: /#date">([^<]+)</.exec(body)?.[1] ?? '',
    });
  }
  return out;
}

function listPage(path: string, user: ReplicaUser | undefined): string {
  const name = path.split('/').filter(Boolean).at(-1) ?? 'ROOT';
  const auth = user
    ? `<a class="access-actions user-actions" href="#">${esc(user.username)}</a> <a id="logout" href="#">Logout</a>`
    : `<a class="access-actions login-form" href="#loginModal">Login</a>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>VOSpace browser</title>
<style>.hidden { display: none !important; } table { border-collapse: collapse; } td, th { padding: 2px 8px; }</style></head>
<body>
<nav>${auth}
  <a id="homeDir" href="${user ? `/storage/list/home/${encodeURIComponent(user.username)}` : '#'}">Home</a>
  <a id="root" href="/storage/list/">Root</a>
  <a id="level-up" href="/storage/list/${esc(path.split('/').filter(Boolean).slice(0, -1).join('/'))}">Up</a>
</nav>
<div id="loginModal" class="${user ? 'hidden' : ''}">
  <form id="loginForm" method="post" action="/storage/ac/authenticate">
    <input type="text" id="username" name="username" placeholder="Username">
    <input type="password" id="password" name="password" placeholder="Password">
    <input type="hidden" id="redirectPath" name="redirectPath" value="/${esc(path)}">
    <button type="submit" id="submitLogin">Login</button>
  </form>
</div>
<h2 property="name">${esc(name)}</h2>
<div id="errorDisplayDiv" class="hidden"></div>
<div class="beacon-progress">Loading…</div>
<table id="beacon"><thead><tr><th></th><th>Name</th><th>Size</th><th>Last Modified</th></tr></thead><tbody></tbody></table>
<div id="beacon_info"></div>
<script>
(function () {
  var path = ${JSON.stringify(path)};
  fetch('/storage/page/' + path + '?pageSize=400', { credentials: 'include' })
    .then(function (res) {
      if (!res.ok) throw new Error(res.status === 401 || res.status === 403 ? 'Permission denied' : 'Error ' + res.status);
      return res.text();
    })
    .then(function (text) {
      var body = document.querySelector('#beacon tbody');
      var rows = text.split('\\n').filter(Boolean).map(function (l) { return l.split(','); });
      rows.forEach(function (r) {
        var tr = document.createElement('tr');
        var link = r[1] === 'container' ? '/storage/list/' + path + '/' + r[0] : '/storage/file/' + path + '/' + r[0];
        tr.innerHTML = '<td><input type="checkbox"></td><td><a href="' + link + '">' + r[0] + '</a></td><td>' + r[2] + '</td><td>' + r[3] + '</td>';
        body.appendChild(tr);
      });
      document.getElementById('beacon_info').textContent = 'Showing 1 to ' + rows.length + ' of ' + rows.length + ' entries';
    })
    .catch(function (err) {
      var div = document.getElementById('errorDisplayDiv');
      div.textContent = String(err.message || err);
      div.classList.remove('hidden');
    })
    .then(function () { document.querySelector('.beacon-progress').classList.add('hidden'); });
})();
</script>
</body></html>
`;
}

export function storageRoutes(ctx: ReplicaContext): Route[] {
  const { tokens } = ctx;
  const list = (path: string) => path.replace(/^\/+|\/+$/g, '');
  return [
    { key: 'GET /storage/list', handler: ({ res }) => redirect(res, 303, '/storage/list/') },
    { key: 'GET /storage/list/', handler: ({ req, res }) => send(res, 200, HTML, listPage('', tokens.caller(req))) },
    { key: 'GET /storage/list/{path+}', handler: ({ req, res, params }) => send(res, 200, HTML, listPage(list(params.path ?? ''), tokens.caller(req))) },
    {
      key: 'GET /storage/page/{path+}',
      handler: async ({ req, res, params }) => {
        // The storage UI's server reads the VOSpace node (forwarding the caller's cookie) and answers rows.
        const nodes = await fetch(`${originOf(req)}/arc/nodes/${list(params.path ?? '')}?limit=400`, {
          headers: req.headers.cookie ? { cookie: req.headers.cookie } : {},
        });
        if (!nodes.ok) return send(res, nodes.status, TEXT, await nodes.text());
        const rows = parseChildren(await nodes.text()).map(
          (c) => `${c.name},${c.type === 'vos:ContainerNode' ? 'container' : 'data'},${c.length},${c.date}`,
        );
        send(res, 200, 'text/csv', `${rows.join('\n')}\n`);
      },
    },
    {
      key: 'GET /storage/page/',
      handler: ({ res }) => send(res, 200, 'text/csv', 'home,container,0,2026-01-01T00:00:00.000\nprojects,container,0,2026-01-01T00:00:00.000\n'),
    },
    {
      key: 'POST /storage/ac/authenticate',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return send(res, 401, TEXT, 'Login failed: invalid username or password'); // (?) wording
        res.setHeader('Set-Cookie', `CADC_SSO="${tokens.issue(user)}"; Max-Age=${SSO_MAX_AGE_S}; Path=/`);
        redirect(res, 303, `/storage/list${form.get('redirectPath') || '/'}`);
      },
    },
    {
      key: 'GET /arc/nodes/{path+}',
      handler: ({ req, res, params }) => {
        const path = list(params.path ?? '');
        const caller = tokens.caller(req);
        if (path === 'home') return send(res, 200, 'text/xml', nodeXml(path, undefined, USERS.map((u) => ({ name: u.username, type: 'vos:ContainerNode', length: 0, date: '2026-01-01T00:00:00.000' }))));
        const m = /^home\/([^/]+)$/.exec(path);
        const owner = m ? USERS.find((u) => u.username === m[1]) : undefined;
        if (!owner) return send(res, 404, TEXT, `NodeNotFound: ${path}`);
        if (!caller) return send(res, 401, TEXT, 'NotAuthenticated');
        if (caller.username !== owner.username) return send(res, 403, TEXT, 'PermissionDenied');
        res.setHeader('x-vo-authenticated', caller.username);
        send(res, 200, 'text/xml', nodeXml(path, owner, homeChildren(owner)));
      },
    },
  ];
}
