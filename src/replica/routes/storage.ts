/**
 * Storage UI and VOSpace (cadc-reference.md §2.4, §6, §12; opencadc/storage-ui f870bb0). The storage UI's
 * server reads the VOSpace node of the folder (forwarding the caller's cookie) and renders the listing with
 * its first rows in the page (MainPageServerResource): `/storage/list{path}` and `/storage/<svc>/list{path}`.
 * A failure renders the error page (VOSpaceStatusService → error.ftl) with the failure's status. Also the
 * CSV rows `/storage/page{path}` (PageServerResource), the UI's own login `POST /storage/ac/authenticate`
 * (303 to `/storage/list{redirectPath}`) and logout (`DELETE`), the site header the pages include
 * (`/canfar/includes/_application_header.shtml`, not public: ../storage-page.ts) and arc's
 * `GET /arc/nodes/{path}` (vos:node XML; a home folder is readable by its owner only).
 */
import type { IncomingMessage } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { redirect, send, type Route } from '../http.ts';
import { SSO_MAX_AGE_S } from '../sessions.ts';
import { ORG_OPENCADC_JS, applicationHeader, errorPage, listingPage, restletStatus, type ListingRow } from '../storage-page.ts';
import { USERS, findUser, type ReplicaUser } from '../users.ts';
import { storedNodeXml } from '../vospace.ts';
import { originOf } from './search.ts';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const VOS = 'http://www.ivoa.net/xml/VOSpace/v2.0';
const AUTHORITY = 'vos://cadc.nrc.ca~arc';
/** The one VOSpace service the replica's storage UI is configured with (`org.opencadc.vosui.service.name`). */
const SVC = 'arc';

interface VosNode {
  name: string;
  type: 'vos:ContainerNode' | 'vos:DataNode';
  length: number;
  date: string;
}

/** Every user's home holds the same small, generated tree; with `emptyHomeFolders` it holds nothing. */
function homeChildren(user: ReplicaUser, empty: boolean): VosNode[] {
  if (empty) return [];
  return [
    { name: 'data', type: 'vos:ContainerNode', length: 0, date: '2026-03-02T10:15:00.000' },
    { name: 'notebooks', type: 'vos:ContainerNode', length: 0, date: '2026-03-04T08:00:00.000' },
    { name: 'README.md', type: 'vos:DataNode', length: 1234 + (user.uid % 100), date: '2026-02-27T16:47:06.000' },
    { name: 'results.fits', type: 'vos:DataNode', length: 2_880 * 40, date: '2026-04-11T21:03:12.000' },
  ];
}

const ROOT_CHILDREN: VosNode[] = [
  { name: 'home', type: 'vos:ContainerNode', length: 0, date: '2026-01-01T00:00:00.000' },
  { name: 'projects', type: 'vos:ContainerNode', length: 0, date: '2026-01-01T00:00:00.000' },
];

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function nodeXml(path: string, owner: ReplicaUser | undefined, children: VosNode[]): string {
  const prop = (uri: string, v: string | number) => `<vos:property uri="${uri}">${v}</vos:property>`;
  const uri = path ? `${AUTHORITY}/${esc(path)}` : AUTHORITY;
  // readable/writable are computed per caller by the service (cadc-vos VOS.PROPERTY_URI_READABLE/WRITABLE)
  const mine = owner ? `${prop('ivo://cadc.nrc.ca/vospace/core#readable', 'true')}${prop('ivo://cadc.nrc.ca/vospace/core#writable', 'true')}` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<vos:node xmlns:vos="${VOS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" uri="${uri}" xsi:type="vos:ContainerNode">
  <vos:properties>
    ${prop('ivo://ivoa.net/vospace/core#quota', 107374182400)}
    ${prop('ivo://ivoa.net/vospace/core#ispublic', owner ? 'false' : 'true')}
    ${owner ? prop('ivo://ivoa.net/vospace/core#creator', `CN=${owner.username}`) : ''}
    ${prop('ivo://ivoa.net/vospace/core#length', children.reduce((n, c) => n + c.length, 0))}
    ${prop('ivo://ivoa.net/vospace/core#date', '2026-01-01T00:00:00.000')}
  </vos:properties>
  <vos:nodes>
${children
  .map(
    (c) => `    <vos:node uri="${uri}/${esc(c.name)}" xsi:type="${c.type}">
      <vos:properties>
        ${prop('ivo://ivoa.net/vospace/core#length', c.length)}
        ${prop('ivo://ivoa.net/vospace/core#date', c.date)}
        ${owner ? prop('ivo://ivoa.net/vospace/core#creator', `CN=${owner.username}`) : ''}
        ${mine}
      </vos:properties>
    </vos:node>`,
  )
  .join('\n')}
  </vos:nodes>
</vos:node>
`;
}

/** Parses the children of a vos:node document: what the storage UI's server does. */
function parseChildren(xml: string): Array<VosNode & { owner: string }> {
  const out: Array<VosNode & { owner: string }> = [];
  const re = /<vos:node uri="[^"]*\/([^"/]+)" xsi:type="([^"]+)">([\s\S]*?)<\/vos:node>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const body = m[3] ?? '';
    out.push({
      name: (m[1] ?? '').replace(/&amp;/g, '&'),
      type: m[2] as VosNode['type'],
      length: Number(/#length">(\d+)</.exec(body)?.[1] ?? 0),
      date: /#date">([^<]+)</.exec(body)?.[1] ?? '',
      owner: /#creator">([^<]+)</.exec(body)?.[1] ?? '',
    });
  }
  return out;
}

/** storage-ui FileSizeRepresentation#getSizeHumanReadable: "0.00 B", "1.21 KB"; "--" for no size (a link). */
export function sizeHuman(bytes: number): string {
  if (bytes < 0) return '--';
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${(Math.round(n * 100) / 100).toFixed(2)} ${units[i]}`;
}

/** storage-ui StorageItem#getLastModifiedHumanReadable: "yyyy-MM-dd ' - ' HH:mm:ss" (UTC) of the IVOA date "yyyy-MM-dd'T'HH:mm:ss.SSS". */
export function dateHuman(iso: string | undefined): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.\d+/.exec(iso ?? '');
  return m ? `${m[1]}  -  ${m[2]}` : '';
}

function rowsOf(path: string, xml: string): ListingRow[] {
  return parseChildren(xml).map((c) => {
    const container = c.type === 'vos:ContainerNode';
    const childPath = `${path}/${c.name}`;
    return {
      name: c.name,
      icon: container ? 'glyphicon-folder-open' : 'glyphicon-file',
      size: sizeHuman(c.length),
      lastModified: dateHuman(c.date),
      link: `/storage/${SVC}/${container ? 'list' : 'file'}${childPath}`,
      // StorageItem#getOwnerCN: empty for the root and its children
      owner: path.split('/').filter(Boolean).length >= 1 ? c.owner : '',
    };
  });
}

/** The VOSpace status of a failed node GET, as the UI maps it (401, 403, 404, else 500). */
const uiStatus = (vospace: number): number => ([401, 403, 404].includes(vospace) ? vospace : 500);

export function storageRoutes(ctx: ReplicaContext): Route[] {
  const { tokens, vospace } = ctx;
  const { storageHeader: header, emptyHomeFolders } = ctx.data;
  const clean = (path: string) => path.replace(/^\/+|\/+$/g, '');
  const nodes = (req: IncomingMessage, path: string, query: string) =>
    fetch(`${originOf(req)}/arc/nodes${path}?${query}`, { headers: req.headers.cookie ? { cookie: req.headers.cookie } : {} });

  async function list(req: IncomingMessage, res: import('node:http').ServerResponse, svc: string, rawPath: string): Promise<void> {
    // StorageItemServerResource#getCurrentVOSpaceService: an IllegalArgumentException, answered 400 in plain text
    if (svc !== SVC) return send(res, 400, TEXT, `service not found in vosui configuration: ${svc}`);
    const user = tokens.caller(req);
    const path = clean(rawPath) ? `/${clean(rawPath)}` : '';
    // MainPageServerResource: detail=raw for the root, max elsewhere; the first 35 children
    const node = await nodes(req, path || '/', `limit=35&detail=${path ? 'max' : 'raw'}`);
    if (!node.ok) {
      const status = uiStatus(node.status);
      return send(res, status, HTML, errorPage({ header, username: user?.username, svc, requestedFolder: path || '/', status: restletStatus(status) }));
    }
    let homeDir: string | undefined;
    if (user && (await nodes(req, `/home/${encodeURIComponent(user.username)}`, 'limit=0')).ok) homeDir = `/home/${user.username}`;
    send(res, 200, HTML, listingPage({ path, username: user?.username, homeDir, rows: rowsOf(path, await node.text()), header, svc }));
  }

  return [
    { key: 'GET /storage/list', handler: ({ req, res }) => list(req, res, SVC, '') },
    { key: 'GET /storage/list/', handler: ({ req, res }) => list(req, res, SVC, '') },
    { key: 'GET /storage/list/{path+}', handler: ({ req, res, params }) => list(req, res, SVC, params.path ?? '') },
    { key: 'GET /storage/{svc}/list', handler: ({ req, res, params }) => list(req, res, params.svc ?? '', '') },
    { key: 'GET /storage/{svc}/list/', handler: ({ req, res, params }) => list(req, res, params.svc ?? '', '') },
    { key: 'GET /storage/{svc}/list/{path+}', handler: ({ req, res, params }) => list(req, res, params.svc ?? '', params.path ?? '') },
    {
      key: 'GET /storage/page/{path+}',
      handler: async ({ req, res, params }) => {
        // PageServerResource: the rows as StorageItemCSVWriter writes them (opencsv, every field quoted)
        const path = `/${clean(params.path ?? '')}`;
        const node = await nodes(req, path, 'limit=400');
        if (!node.ok) return send(res, uiStatus(node.status), TEXT, restletStatus(uiStatus(node.status)));
        const csv = parseChildren(await node.text()).map((c) => {
          const container = c.type === 'vos:ContainerNode';
          const fields = ['', c.name, sizeHuman(c.length), dateHuman(c.date), '', '', 'false', 'false', container ? 'glyphicon-folder-open' : 'glyphicon-file',
            `${path}/${c.name}`, `${AUTHORITY}${path}/${c.name}`, `/storage/${SVC}/${container ? 'list' : 'file'}${path}/${c.name}`, 'true', 'true', c.owner];
          return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
        });
        send(res, 200, 'text/csv', csv.map((l) => `${l}\n`).join(''));
      },
    },
    {
      key: 'POST /storage/ac/authenticate',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        // a refused login is a NotAuthenticatedException: the error page with 401
        if (!user) return send(res, 401, HTML, errorPage({ header, svc: SVC, requestedFolder: '/', status: restletStatus(401) }));
        res.setHeader('Set-Cookie', `CADC_SSO="${tokens.issue(user)}"; Max-Age=${SSO_MAX_AGE_S}; Path=/`);
        redirect(res, 303, `/storage/list${form.get('redirectPath') ?? ''}`);
      },
    },
    {
      key: 'DELETE /storage/ac/authenticate',
      handler: ({ res }) => {
        res.setHeader('Set-Cookie', 'CADC_SSO=; Max-Age=0; Path=/');
        send(res, 204, TEXT, '');
      },
    },
    { key: 'GET /canfar/includes/_application_header.shtml', handler: ({ res }) => send(res, 200, HTML, applicationHeader()) },
    { key: 'GET /cadcJS/javascript/org.opencadc.js', handler: ({ res }) => send(res, 200, 'text/javascript', ORG_OPENCADC_JS) },
    { key: 'GET /arc/nodes', handler: ({ res }) => send(res, 200, 'text/xml', nodeXml('', undefined, ROOT_CHILDREN)) },
    { key: 'GET /arc/nodes/', handler: ({ res }) => send(res, 200, 'text/xml', nodeXml('', undefined, ROOT_CHILDREN)) },
    {
      key: 'GET /arc/nodes/{path+}',
      handler: ({ req, res, params }) => {
        const path = clean(params.path ?? '');
        const caller = tokens.caller(req);
        if (path === 'home') return send(res, 200, 'text/xml', nodeXml(path, undefined, USERS.map((u) => ({ name: u.username, type: 'vos:ContainerNode', length: 0, date: '2026-01-01T00:00:00.000' }))));
        if (path === 'projects') return send(res, 200, 'text/xml', nodeXml(path, undefined, []));
        const m = /^home\/([^/]+)(\/.*)?$/.exec(path);
        const owner = m ? USERS.find((u) => u.username === m[1]) : undefined;
        if (!owner) return send(res, 404, TEXT, `NodeNotFound: ${path}`);
        if (!caller) return send(res, 401, TEXT, 'NotAuthenticated');
        if (caller.username !== owner.username) return send(res, 403, TEXT, 'PermissionDenied');
        res.setHeader('x-vo-authenticated', caller.username);
        if (m?.[2]) {
          // below the home: what users created there (../vospace.ts, written through ./vospace.ts)
          const node = vospace.get(SVC, path);
          if (!node) return send(res, 404, TEXT, `NodeNotFound: ${AUTHORITY}/${path}`);
          return send(res, 200, 'text/xml', storedNodeXml(SVC, path, node, vospace.children(SVC, path)));
        }
        const created = vospace.children(SVC, path).map(([name, c]): VosNode => ({ name, type: c.type, length: c.bytes?.length ?? 0, date: c.date }));
        send(res, 200, 'text/xml', nodeXml(path, owner, [...homeChildren(owner, emptyHomeFolders), ...created]));
      },
    },
  ];
}
