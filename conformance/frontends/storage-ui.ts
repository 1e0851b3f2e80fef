/**
 * The CANFAR storage UI (opencadc/storage-ui) as a conformance front end: its real FreeMarker templates
 * (`src/main/webapp/themes/canfar/*.ftl`) rendered by the real FreeMarker engine (Debian's libfreemarker-java,
 * through our ./StorageUiRender.java), its real static JS/CSS served from the clone, and the restlet resources
 * the pages and the storage journey use re-implemented here from the clone's Java (paths below are under
 * `src/main/java/net/canfar/storage/`), with the bundled replica as the backend: VOSpace (`/arc/nodes`), the `ac`
 * service (`/ac/whoami`, `/ac/login`) and the site header.
 *
 * What the server renders and what the browser fetches (read from the Java and `js/filemanager.js`):
 *   - `GET /storage[/<svc>]/list{path}` (MainPageServerResource): the server GETs the folder's node (limit=35,
 *     detail=raw for the root, max elsewhere) and the caller's home node (limit=0), and renders index.ftl with
 *     the first rows already in the page (`initialRows`, StorageItemCSVWriter lines). The browser then builds
 *     the table (DataTables) from them, and fetches `/storage/<svc>/page{path}` only when the service pages
 *     (`features.paging` and a `startURI`), plus `/storage/<svc>/folder{path}` (the quota) and static files.
 *   - An error (VOSpaceStatusService): error.ftl with the status, or plain text for 400 and 412.
 *   - `POST /storage/ac/authenticate` (AccessControlServerResource): `ac` login, `CADC_SSO` cookie, 303.
 * Everything else under /storage (item, file, link, access, groups, pkg, oidc-*) answers 501: no journey uses it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dateHuman, sizeHuman } from '../../src/replica/routes/storage.ts';
import type { FrontEnd, FrontEndStartOptions, RunningFrontEnd } from '../frontend.ts';

const FREEMARKER_JAR = '/usr/share/java/freemarker.jar';
const RENDERER = fileURLToPath(new URL('./StorageUiRender.java', import.meta.url));
const WEBAPP = join('src', 'main', 'webapp');
/** The application header production includes (StorageApplication#createFreemarkerConfig); the replica serves its own. */
const HEADER_PATH = '/canfar/includes/_application_header.shtml';
/** `<#assign canfarWebRoot = "https://www.canfar.net">` in index.ftl and error.ftl: production's canfar host. */
const CANFAR_WEB_ROOT = 'https://www.canfar.net';

/**
 * The storage UI's configuration (`org.opencadc.vosui.properties`, README "Configuration"): one VOSpace
 * service, arc, on the replica. No paging: the replica's arc ignores `limit` and `uri`, and filemanager.js
 * would then ask for the same page forever (AbstractStorageItemProducer only skips the start node).
 */
const SERVICE = {
  name: 'arc',
  nodeResourceID: 'vos://cadc.nrc.ca~arc',
  userHome: '/home',
  groupManagementURI: '/groups/',
  features: { batchDownload: true, batchUpload: true, externalLinks: false, paging: false },
} as const;

/** VOS property URIs (cadc-vos VOS.PROPERTY_URI_*). */
const P = {
  length: 'ivo://ivoa.net/vospace/core#length',
  date: 'ivo://ivoa.net/vospace/core#date',
  creator: 'ivo://ivoa.net/vospace/core#creator',
  quota: 'ivo://ivoa.net/vospace/core#quota',
  isPublic: 'ivo://ivoa.net/vospace/core#ispublic',
  groupRead: 'ivo://ivoa.net/vospace/core#groupread',
  groupWrite: 'ivo://ivoa.net/vospace/core#groupwrite',
  isLocked: 'ivo://cadc.nrc.ca/vospace/core#islocked',
  readable: 'ivo://cadc.nrc.ca/vospace/core#readable',
  writable: 'ivo://cadc.nrc.ca/vospace/core#writable',
};

interface VosNode {
  /** Path under the service: `` for the root, `/home/u`. */
  path: string;
  name: string;
  type: 'ContainerNode' | 'DataNode' | 'LinkNode';
  props: Map<string, string>;
  children: VosNode[];
}

const decodeXml = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&' : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(':', '\\:')}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1] ?? '') : undefined;
}

function properties(xml: string): Map<string, string> {
  const props = new Map<string, string>();
  const re = /<(?:\w+:)?property\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?property>)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const uri = attr(m[1] ?? '', 'uri');
    if (uri) props.set(uri, decodeXml(m[2] ?? ''));
  }
  return props;
}

/** A vos:node document (VOSpace 2.x, cadc-reference.md §6.2): the node, its properties, its children. */
function parseNode(xml: string, prefix: string): VosNode {
  const open = /<(?:\w+:)?node\b[^>]*>/.exec(xml);
  if (!open) throw new Error('not a vos:node document');
  const toNode = (tag: string, body: string): VosNode => {
    const uri = attr(tag, 'uri') ?? '';
    const path = uri.startsWith(prefix) ? uri.slice(prefix.length).replace(/\/+$/, '') : new URL(uri.replace(/^vos:/, 'http:')).pathname;
    const type = (attr(tag, 'xsi:type') ?? 'vos:DataNode').replace(/^\w+:/, '') as VosNode['type'];
    return { path, name: path.split('/').at(-1) ?? '', type, props: properties(body), children: [] };
  };
  const rest = xml.slice(open.index + open[0].length);
  const nodesAt = rest.search(/<(?:\w+:)?nodes\b/);
  const node = toNode(open[0], nodesAt < 0 ? rest : rest.slice(0, nodesAt));
  if (nodesAt >= 0) {
    const re = /<(?:\w+:)?node\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?node>)/g;
    const inner = rest.slice(nodesAt);
    for (let m = re.exec(inner); m; m = re.exec(inner)) node.children.push(toNode(`<node ${m[1] ?? ''}>`, m[2] ?? ''));
  }
  return node;
}

const isRoot = (path: string) => path === '' || path === '/';
const parentOf = (path: string) => path.split('/').slice(0, -1).join('/');
const groupNames = (v: string | undefined) =>
  (v ?? '').split(/\s+/).filter(Boolean).map((u) => u.split('?').at(-1) ?? u).join(' ');

/** StorageItemFactory#translate and the StorageItem getters the templates and the CSV use. */
function storageItem(node: VosNode, loggedIn: boolean) {
  const root = isRoot(node.path);
  const parentRoot = root || isRoot(parentOf(node.path));
  const readableFlag = node.props.has(P.readable) ? node.props.get(P.readable) === 'true' : true;
  const readable = root || parentRoot || readableFlag;
  const writable = parentRoot && loggedIn ? true : node.props.get(P.writable) === 'true';
  const endpoint = node.type === 'ContainerNode' ? 'list' : node.type === 'LinkNode' ? 'link' : 'file';
  const owner = node.props.get(P.creator);
  const length = node.props.get(P.length);
  return {
    name: node.name,
    path: node.path,
    uri: `${SERVICE.nodeResourceID}${node.path}`,
    root,
    size: node.type === 'LinkNode' || length === undefined ? sizeHuman(-1) : sizeHuman(Number(length)),
    lastModified: root ? '' : dateHuman(node.props.get(P.date)),
    writeGroups: groupNames(node.props.get(P.groupWrite)),
    readGroups: groupNames(node.props.get(P.groupRead)),
    isPublic: node.props.get(P.isPublic) === 'true',
    isLocked: node.props.get(P.isLocked) === 'true',
    icon: node.type === 'ContainerNode' ? `glyphicon-folder-${readable ? 'open' : 'close'}` : node.type === 'LinkNode' ? 'glyphicon-link' : 'glyphicon-file',
    target: `/storage/${SERVICE.name}/${endpoint}${node.path}`,
    readable,
    writable,
    ownerCN: !owner || parentRoot ? '' : owner,
    parentPath: root ? '/' : parentOf(node.path),
  };
}

/** StorageItemCSVWriter#write through opencsv's CSVWriter (every field quoted, `"` doubled, "\n" ends the line). */
function csvRow(item: ReturnType<typeof storageItem>): string {
  const fields = ['', item.name, item.size, item.lastModified, item.writeGroups, item.readGroups, String(item.isPublic), String(item.isLocked),
    item.icon, item.path, item.uri, item.target, String(item.readable), String(item.writable), item.ownerCN];
  return `${fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')}\n`;
}

/** Restlet 2.5 org.restlet.data.Status: reason phrase and description of the statuses the UI answers. */
const STATUS: Record<number, [string, string]> = {
  400: ['Bad Request', 'The request could not be understood by the server due to malformed syntax'],
  401: ['Unauthorized', 'The request requires user authentication'],
  403: ['Forbidden', 'The server understood the request, but is refusing to fulfill it'],
  404: ['Not Found', 'The server has not found anything matching the request URI'],
  409: ['Conflict', 'The request could not be completed due to a conflict with the current state of the resource'],
  412: ['Precondition Failed', 'The precondition given in one or more of the request header fields evaluated to false when it was tested on the server'],
  500: ['Internal Server Error', 'The server encountered an unexpected condition which prevented it from fulfilling the request'],
  501: ['Not Implemented', 'The server does not support the functionality required to fulfill the request'],
};

/** A failure the status service turns into a page: the status code, and for 400/412 a reason phrase of its own. */
class UiError extends Error {
  readonly code: number;
  readonly reason?: string;
  constructor(code: number, reason?: string) {
    super(reason ?? STATUS[code]?.[0] ?? String(code));
    this.code = code;
    this.reason = reason;
  }
}

/** What the VOSpace client's failure becomes in VOSpaceStatusService#toStatus. */
const fromVospace = (status: number) => new UiError(status === 401 || status === 403 || status === 404 || status === 409 ? status : 500);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.html': 'text/html; charset=utf-8',
  '.png': 'image/png', '.gif': 'image/gif', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.swf': 'application/x-shockwave-flash',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.eot': 'application/vnd.ms-fontobject', '.ftl': 'text/plain; charset=utf-8',
};

/**
 * `/cadcJS/javascript/org.opencadc.js` (canfar-root, from opencadc/web cadc-js): the application header loads it
 * and `js/filemanager.js` needs its `org.opencadc.StringUtil`, but index.ftl does not load it. storage-ui ships
 * the same library as `js/org.opencadc.js` (error.ftl loads that one); this front end serves it at both paths.
 */
const ORG_OPENCADC = '/cadcJS/javascript/org.opencadc.js';

/** web.xml maps these to the container's default servlet: files of the webapp as they are. */
const STATIC = /^\/storage\/(js|css|scripts|themes|fonts|images|lib)\//;

function javaProblem(): string | null {
  if (!existsSync(FREEMARKER_JAR)) return `FreeMarker not installed (${FREEMARKER_JAR}): apt-get install libfreemarker-java, or npm run setup`;
  const java = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'java not found: the storage UI renderer needs a JDK (apt-get install default-jdk-headless)';
  if (!java.stdout.includes('jdk.compiler')) return 'java has no jdk.compiler: the renderer runs as a single-file source program, which needs a JDK (apt-get install default-jdk-headless)';
  return null;
}

export const storageUi: FrontEnd = {
  name: 'storage-ui',
  repo: 'opencadc/storage-ui',
  journeys: ['storage'],
  // and the header's org.opencadc.js, which filemanager.js needs: storage-ui ships that library as js/org.opencadc.js
  owns: (_method, path) => /^\/storage(?:[/?]|$)/.test(path) || path.split('?')[0] === ORG_OPENCADC,
  fromReplica: [
    'the site header of every storage page: the canfar theme includes "canfar-application-header", which storage-ui loads at run time from https://www.canfar.net/canfar/includes/_application_header.shtml (not public; StorageApplication#createFreemarkerConfig); the renderer loads the replica\'s version from /canfar/includes/_application_header.shtml instead, modelled on opencadc/canfar-portal 68e97f0 _includes/_app_page_header.md',
    'the header\'s scripts /cadcJS/javascript/cadc.user.js (shows the user menu or the login link from /ac/whoami) and /cadcJS/javascript/login.js: canfar-root, not public; the replica\'s stand-ins (src/replica/pages.ts)',
    'www.canfar.net\'s own stylesheets and icon the templates link through canfarWebRoot (css/canfar.css, css/github-dark.css, css/print.css, favicon.ico; the CANFAR site\'s, not this repository\'s): that root is pointed at the harness\'s origin, where they are not served (404); no journey depends on them',
    'the CADC login page the login journey uses (GET /access/login, which ac\'s SSOLoginServlet answers with the site\'s /en/login.html, and its login.js): the CADC site\'s pages are not public; the replica\'s (src/replica/pages.ts, src/replica/routes/sso.ts)',
  ],
  check(dir: string): string | null {
    const index = join(dir, WEBAPP, 'themes', 'canfar', 'index.ftl');
    if (!existsSync(index)) return `not a storage-ui work tree: ${join(WEBAPP, 'themes', 'canfar', 'index.ftl')} missing`;
    if (!existsSync(join(dir, WEBAPP, 'js', 'filemanager.js'))) return `not a storage-ui work tree: ${join(WEBAPP, 'js', 'filemanager.js')} missing`;
    return javaProblem();
  },
  start: startStorageUi,
};

export default storageUi;

async function startStorageUi(opts: FrontEndStartOptions): Promise<RunningFrontEnd> {
  const webapp = join(opts.source.dir, WEBAPP);
  const replica = opts.replicaOrigin;
  const renderer = await startRenderer(webapp, `${replica}${HEADER_PATH}`);

  async function render(template: string, model: Record<string, unknown>): Promise<string> {
    const res = await fetch(`${renderer.origin}/render`, { method: 'POST', body: JSON.stringify({ template, model }) });
    const text = await res.text();
    if (!res.ok) throw new Error(`FreeMarker: ${text}`);
    return text.split(CANFAR_WEB_ROOT).join(opts.publicOrigin);
  }

  /** The caller's credentials as the VOSpace client sends them: the SSO cookie (or a bearer token). */
  function credentials(req: IncomingMessage): Record<string, string> {
    const headers: Record<string, string> = {};
    const sso = /(?:^|;\s*)CADC_SSO=("[^"]*"|[^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    if (sso) headers.cookie = `CADC_SSO=${sso}`;
    if (req.headers.authorization?.startsWith('Bearer ')) headers.authorization = req.headers.authorization;
    return headers;
  }

  /** SecureServerResource's subject, shown as StorageItemServerResource#getDisplayName: whoami's HTTP identity. */
  async function displayName(req: IncomingMessage): Promise<string | undefined> {
    const auth = credentials(req);
    if (!Object.keys(auth).length) return undefined;
    let res = await fetch(`${replica}/ac/whoami`, { headers: { ...auth, accept: 'application/json' }, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) res = await fetch(new URL(location, replica), { headers: { ...auth, accept: 'application/json' } });
    if (!res.ok) return undefined;
    const doc = (await res.json()) as { user?: { identities?: { $?: Array<{ identity?: { '@type'?: string; $?: string } }> }; posixDetails?: { username?: { $?: string } } } };
    return doc.user?.identities?.$?.find((i) => i.identity?.['@type'] === 'HTTP')?.identity?.$ ?? doc.user?.posixDetails?.username?.$;
  }

  /** VOSpaceClient#getNode(path, query) against the replica's arc. */
  async function getNode(req: IncomingMessage, path: string, query: string): Promise<VosNode> {
    const res = await fetch(`${replica}/arc/nodes${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`, { headers: credentials(req) });
    if (!res.ok) throw fromVospace(res.status);
    const node = parseNode(await res.text(), SERVICE.nodeResourceID);
    node.path = isRoot(path) ? '' : path.replace(/\/+$/, '');
    node.name = node.path.split('/').at(-1) ?? '';
    for (const c of node.children) c.path = `${node.path}/${c.name}`;
    return node;
  }

  /** MainPageServerResource#represent → representFolderItem → index.ftl. */
  async function mainPage(req: IncomingMessage, svc: string, path: string): Promise<string> {
    const root = isRoot(path);
    const node = await getNode(req, root ? '/' : path, `limit=35&detail=${root ? 'raw' : 'max'}`);
    if (node.type !== 'ContainerNode') throw new UiError(500); // a ClassCastException in the real resource
    const username = await displayName(req);
    const folder = storageItem(node, Boolean(username));
    const model: Record<string, unknown> = {
      initialRows: node.children.map((c) => csvRow(storageItem(c, Boolean(username)))),
      folderWritable: folder.writable,
      folder: {
        root: folder.root,
        path: folder.path,
        name: folder.name,
        ownerCN: folder.ownerCN,
        lastModifiedHumanReadable: folder.lastModified,
        parentPath: folder.parentPath,
        writable: folder.writable,
      },
      vospaceSvcPath: `${svc}/`,
      vospaceSvcName: svc,
      vospaceNodePrefixURI: SERVICE.nodeResourceID,
      vospaceServices: [SERVICE.name],
      groupManagerLinkURI: SERVICE.groupManagementURI,
      features: SERVICE.features,
    };
    if (SERVICE.features.paging && node.children.length) model.startURI = `${SERVICE.nodeResourceID}${node.children.at(-1)?.path}`;
    if (username) {
      model.username = username;
      const home = `${SERVICE.userHome}/${username}`;
      try {
        await getNode(req, home, 'limit=0');
        model.homeDir = home;
      } catch (e) {
        // a NodeNotFoundException is a ResourceException, ignored; a refusal (an AccessControlException) is not
        if (!(e instanceof UiError) || e.code !== 404) throw e;
      }
    }
    return render('themes/canfar/index.ftl', model);
  }

  /** PageServerResource → CSVStorageItemProducer: the rows after `startURI`, `pageSize` at a time. */
  async function csvPage(req: IncomingMessage, path: string, url: URL): Promise<string> {
    const pageSize = url.searchParams.get('pageSize');
    const start = url.searchParams.get('startURI');
    const query = [`detail=${isRoot(path) ? 'raw' : 'max'}`, pageSize ? `limit=${pageSize}` : '', start ? `uri=${encodeURIComponent(start)}` : ''].filter(Boolean).join('&');
    const node = await getNode(req, isRoot(path) ? '/' : path, query);
    if (node.children.length < 2 && start) return '';
    const loggedIn = Boolean(await displayName(req));
    let current = start;
    let out = '';
    for (const c of node.children) {
      const uri = `${SERVICE.nodeResourceID}${c.path}`;
      if (uri !== current) out += csvRow(storageItem(c, loggedIn));
      current = uri;
    }
    return out;
  }

  /** FolderItemServerResource#retrieveQuota: the first node from the top of the path that carries a quota. */
  async function quota(req: IncomingMessage, path: string): Promise<string> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const node = await getNode(req, parts.slice(0, i + 1).join('/'), 'limit=0&detail=properties');
      const q = node.props.get(P.quota);
      if (q !== undefined) {
        const size = Number(q || 0);
        const used = node.props.has(P.length) ? Number(node.props.get(P.length)) : -1;
        return JSON.stringify({ size: sizeHuman(size - used > 0 ? size - used : 0), quota: sizeHuman(size) });
      }
    }
    return JSON.stringify({ msg: 'quota not reported by VOSpace service' });
  }

  /** AccessControlServerResource#login: the `ac` login, the CADC_SSO cookie, 303 to the folder. */
  async function login(res: ServerResponse, body: string): Promise<void> {
    const form = new URLSearchParams(body);
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    if (!username.trim() || !password.trim()) throw new UiError(401);
    const answer = await fetch(`${replica}/ac/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (answer.status === 401 || answer.status === 403) throw new UiError(401);
    if (!answer.ok) throw new UiError(500);
    const token = (await answer.text()).trim();
    res.setHeader('set-cookie', `CADC_SSO="${token}"; Max-Age=${60 * 60 * 24 * 2}; Path=/`);
    res.writeHead(303, { location: `/storage/list${form.get('redirectPath')}`, 'content-length': 0 });
    res.end();
  }

  async function errorPage(res: ServerResponse, e: UiError, svc: string, path: string): Promise<void> {
    if (e.code === 400 || e.code === 412) return send(res, e.code, 'text/plain; charset=utf-8', e.reason ?? STATUS[e.code]?.[0] ?? '');
    const [reason, description] = STATUS[e.code] ?? STATUS[500] ?? ['', ''];
    const html = await render('themes/canfar/error.ftl', {
      errorMessage: `${reason} (${e.code}) - ${description}`,
      requestedFolder: `/${path.replace(/^\/+/, '')}`,
      vospaceSvcPath: `${svc}/`,
      groupManagerLink: SERVICE.groupManagementURI,
    });
    send(res, e.code, 'text/html; charset=UTF-8', html);
  }

  function serveStatic(res: ServerResponse, rel: string): void {
    const file = normalize(join(webapp, decodeURIComponent(rel)));
    if (!file.startsWith(webapp + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'text/plain; charset=utf-8', 'Not Found');
    send(res, 200, CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', readFileSync(file));
  }

  /** The routes of StorageApplication#createInboundRoot, bare and with `{svc}`. */
  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storage-ui');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    if (get && STATIC.test(p)) return serveStatic(res, p.slice('/storage/'.length));
    if (get && p === ORG_OPENCADC) return serveStatic(res, 'js/org.opencadc.js');
    const m = /^\/storage(?:\/([A-Za-z0-9]+))?\/(list|raw|page|folder|item|file|link|access)(\/.*)?$/.exec(p);
    const svcGiven = m?.[1];
    const svc = svcGiven ?? SERVICE.name;
    const path = m?.[3] ?? '';
    try {
      if (svcGiven && svcGiven.toLowerCase() !== SERVICE.name) throw new UiError(400, `service not found in vosui configuration: ${svcGiven}`);
      if (p === '/storage/ac/authenticate' && method === 'POST') return await login(res, body);
      if (p === '/storage/ac/authenticate' && method === 'DELETE') {
        if (/(?:^|;\s*)CADC_SSO=/.test(req.headers.cookie ?? '')) res.setHeader('set-cookie', 'CADC_SSO=; Max-Age=0; Path=/');
        res.writeHead(204).end();
        return;
      }
      if (get && (m?.[2] === 'list' || m?.[2] === 'raw')) return send(res, 200, 'text/html; charset=UTF-8', await mainPage(req, svc, path));
      if (get && m?.[2] === 'page') return send(res, 200, 'text/csv', await csvPage(req, path, url));
      if (get && m?.[2] === 'folder') return send(res, 200, 'application/json', await quota(req, path));
      throw new UiError(501);
    } catch (e) {
      if (e instanceof UiError) return errorPage(res, e, svc, path);
      throw e;
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: Error) => {
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `storage-ui front end: ${err.message}`);
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await renderer.stop();
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Starts ./StorageUiRender.java (Java's single-file source launcher) and waits for its port. */
async function startRenderer(webapp: string, headerURL: string): Promise<{ origin: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn('java', ['-cp', FREEMARKER_JAR, RENDERER, webapp, headerURL], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the FreeMarker renderer did not start within 120 s'));
    }, 120_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the FreeMarker renderer exited (${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
