/**
 * caom2ui: the CADC Advanced Search page (`<www>/en/search/`) from a clone of opencadc/caom2ui.
 *
 * What is served from the clone, read at run time (nothing of it is copied into this project):
 * - the page: `caom2-search-server/src/main/resources/META-INF/resources/index.jsp` rendered by
 *   conformance/jsp.ts with its includes (`_page_header.jsp`, `caom2_search.jsp`, `obscore_search.jsp`,
 *   `results.jsp`, `_help.jsp` and the form-group JSPs they import), the `Caom2SearchBundle_*.properties`
 *   messages and the constants of the Java sources the scriptlets name (`Shape1.VALUE`, …);
 * - every static file the page loads relative to `/en/search/` (`js/`, `css/`, `cadcVOTV/`, `cadcJS/`,
 *   `images/`, `fonts/`, `json/` under the same `META-INF/resources`).
 *
 * How the real page is assembled:
 * - caom2-search-server is a library jar: its JSPs and static files sit in `META-INF/resources`, which a
 *   servlet container serves as part of the web application that bundles the jar. That web application
 *   (web.xml, `WEB-INF/tags/cadc/*.tag`, the configuration file) is not in the repository at 1214fb8;
 *   the repository's own example of it, `caom2-search-server/examples/default`, was removed in a384a54.
 *   The harness plays that web application: its context path is `/search` (the form's action is
 *   `${pageContext.request.contextPath}/find`, caom2_search.jsp:70, and the app's endpoints are
 *   `/search/…`, index.jsp:19), index.jsp is the welcome page at `/en/search/`, the three tag files are
 *   read from the clone's history at a384a54^ (`git show`), and the configuration is CONFIG below.
 * - index.jsp:31 imports `${pageHeaderURL` (unterminated) built from `${requestHeaderLang}`, a scriptlet
 *   local that JSP EL cannot see; rendered literally the page would have `<html lang="">` and the app,
 *   which reads its language from it (index.jsp:293), would fail on `i18n[""]` when it shows results.
 *   The renderer's two liberties (jsp.ts) make it the `lang="en"` the code intends; production's war,
 *   not public, evidently gets `en` there too. _page_header.jsp uses `<fmt:message>` (line 13) before its
 *   taglib directive (line 64): rendered as JSP says, that tag is template text, so the page's <title>
 *   shows it literally. Jasper goes further and refuses that taglib directive (Parser.parseTaglibDirective:
 *   jsp.error.prefix.use_before_dcl), so under Tomcat this header could not be included at all; the
 *   renderer keeps JSP's text rule and goes on. Both findings point to production serving its own
 *   index.jsp/_page_header.jsp around these includes.
 *
 * What stays with the replica (fromReplica): the servlets and services the page calls.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { FrontEnd, FrontEndStartOptions, RunningFrontEnd } from '../frontend.ts';
import { JspError, renderJsp, type HostClass, type JspSite } from '../jsp.ts';

const SERVER = 'caom2-search-server';
const RESOURCES = `${SERVER}/src/main/resources/META-INF/resources`;
const BUNDLES = `${SERVER}/src/main/resources`;
const JAVA_ROOTS = [`${SERVER}/src/main/java`, 'caom2-search-lib/src/main/java'];

/** The page's URL and the web application's context path (see above). */
export const PAGE_PATH = '/en/search/';
const CONTEXT_PATH = '/search';

/**
 * The tag files `<%@ taglib tagdir="/WEB-INF/tags/cadc" %>` names (boolean.jsp:7, timestamp.jsp:5,
 * _pulldown.jsp:7): not in the tree at 1214fb8, read from the last commit that had the example web
 * application, a384a54^ (a384a54 "Updated README and add endpoint for HiPS layer requests." removed it).
 */
export const TAGS_COMMIT = 'a384a54^';
const TAGS_DIR = `${SERVER}/examples/default/src/main/webapp/WEB-INF/tags/cadc`;

/**
 * The deployment's `org.opencadc.search.properties` (index.jsp:17-20 reads it through
 * ApplicationConfiguration). The repository's own copy (caom2-search-server/org.opencadc.search.properties)
 * has every line commented out; the removed example's (examples/default at a384a54^) set
 * `tap-service-id = ivo://cadc.nrc.ca/argus` and `app-service-endpoint = /search`, which production
 * uses too (cadc-reference.md §3.1). The ObsCore tab and row limit keep index.jsp's defaults.
 */
export const CONFIG: Record<string, string> = {
  'org.opencadc.search.tap-service-id': 'ivo://cadc.nrc.ca/argus',
  'org.opencadc.search.app-service-endpoint': '/search',
};

/** Folders under META-INF/resources the page loads files from, relative to its URL. */
const STATIC_DIRS = ['js', 'css', 'cadcVOTV', 'cadcJS', 'images', 'fonts', 'json'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.html': 'text/html; charset=utf-8',
  '.xml': 'text/xml',
};

/** ca.nrc.cadc.config.ApplicationConfiguration (cadc-web-util, not in the clone): lookups in CONFIG. */
function applicationConfiguration(config: Record<string, string>): HostClass {
  return {
    construct: () => ({
      lookup: (key: unknown, def: unknown = null) => config[String(key)] ?? def,
      lookupInt: (key: unknown, def: unknown) => (config[String(key)] !== undefined ? parseInt(config[String(key)] as string, 10) : def),
      lookupBoolean: (key: unknown, def: unknown) => (config[String(key)] !== undefined ? config[String(key)] === 'true' : def),
    }),
  };
}

function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The JspSite of a clone: files under META-INF/resources, bundles, Java sources, tag files from history. */
export function caom2uiSite(dir: string): JspSite {
  const readIf = (file: string) => (existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : null);
  return {
    contextPath: CONTEXT_PATH,
    read: (path) => readIf(join(dir, RESOURCES, path)),
    readTag: (tagdir, name) => (tagdir === '/WEB-INF/tags/cadc' ? git(dir, ['show', `${TAGS_COMMIT}:${TAGS_DIR}/${name}.tag`]) : null),
    bundle: (basename, locale) => readIf(join(dir, BUNDLES, `${basename}${locale ? `_${locale}` : ''}.properties`)),
    javaSource: (fqcn) => {
      for (const root of JAVA_ROOTS) {
        const text = readIf(join(dir, root, `${fqcn.replace(/\./g, '/')}.java`));
        if (text !== null) return text;
      }
      return null;
    },
    hostClasses: { 'ca.nrc.cadc.config.ApplicationConfiguration': applicationConfiguration(CONFIG) },
  };
}

/** The page as the browser gets it for a request to `/en/search/` with the given query. */
export function renderSearchPage(dir: string, query: URLSearchParams, headers: Record<string, string> = {}): string {
  return renderJsp(caom2uiSite(dir), '/index.jsp', { params: [...query], headers });
}

function isPage(pathname: string, query: URLSearchParams): boolean {
  // The app looks its TAP service up on its own URL with ?serviceID= (cadc.search.tapclient.js:131);
  // that answer is the replica's (CookieServiceLocatorServlet), the page is ours.
  return pathname === PAGE_PATH && !query.has('serviceID');
}

function staticFile(dir: string, pathname: string): string | null {
  if (!pathname.startsWith(PAGE_PATH)) return null;
  const rel = pathname.slice(PAGE_PATH.length);
  const top = rel.split('/')[0] ?? '';
  if (!STATIC_DIRS.includes(top)) return null;
  const root = join(dir, RESOURCES);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root + sep)) return null;
  return file;
}

export const caom2ui: FrontEnd = {
  name: 'caom2ui',
  repo: 'opencadc/caom2ui',
  journeys: ['search', 'download'],
  owns(method, path) {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = new URL(path, 'http://x');
    if (isPage(url.pathname, url.searchParams)) return true;
    const rel = url.pathname.startsWith(PAGE_PATH) ? url.pathname.slice(PAGE_PATH.length) : null;
    return rel !== null && STATIC_DIRS.includes(rel.split('/')[0] ?? '') && rel.includes('/');
  },
  fromReplica: [
    'the TAP service lookup on the page URL (/en/search/?serviceID=…&standardID=…): CookieServiceLocatorServlet.java answers it, but how production maps it onto the page URL is in the web application, not in the repository',
    '/search/find (SearchJobServlet/SyncPostAction → TAPSearcher, Java: it builds ADQL and POSTs it to TAP), /search/unitconversion/* (UnitConversionServlet, target resolver), /search/validate, /search/preview, /search/datalink, /search/package: the caom2-search-server servlets',
    'the TAP service ivo://cadc.nrc.ca/argus (/argus/sync → 303 → /argus/sync/<job>/run, TAP_SCHEMA, caom2.enumfield): opencadc/caom2service, not in caom2ui',
    'the Download Manager popup (POST /downloadManager/download and its chooser): opencadc/apps (download-manager), not in caom2ui',
    'the sky viewer\'s HiPS images (/en/search/survey-images/…): HiPSImageSurveyServlet proxies an outside HiPS server; the replica has none and answers 404 (the viewer stays closed, no journey uses it)',
    'the CADC site header and footer around the page: production wraps the page in the site chrome of its own web application, not public; the harness serves the repository\'s _page_header.jsp and no site chrome',
  ],
  check(dir) {
    for (const f of [`${RESOURCES}/index.jsp`, `${RESOURCES}/js/cadc.search.app.js`, `${BUNDLES}/Caom2SearchBundle_en.properties`]) {
      if (!existsSync(join(dir, f))) return `not a caom2ui clone: ${f} is missing`;
    }
    if (git(dir, ['cat-file', '-e', `${TAGS_COMMIT}:${TAGS_DIR}/checkbox.tag`]) === null) {
      return `the clone's history lacks ${TAGS_COMMIT} (the page's WEB-INF/tags/cadc tag files): clone without --depth`;
    }
    return null;
  },
  async start(opts: FrontEndStartOptions): Promise<RunningFrontEnd> {
    const { dir } = opts.source;
    const sockets = new Set<Socket>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const head = req.method === 'HEAD';
      const answer = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
        res.end(head ? undefined : body);
      };
      if (isPage(url.pathname, url.searchParams)) {
        try {
          const headers = Object.fromEntries(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
          return answer(200, 'text/html; charset=UTF-8', renderSearchPage(dir, url.searchParams, headers));
        } catch (err) {
          const msg = err instanceof JspError ? err.message : String(err);
          return answer(500, 'text/plain; charset=utf-8', `caom2ui: cannot render ${PAGE_PATH}: ${msg}\n`);
        }
      }
      const file = staticFile(dir, url.pathname);
      if (file && existsSync(file) && statSync(file).isFile()) {
        return answer(200, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', readFileSync(file));
      }
      answer(404, 'text/plain; charset=utf-8', `Not Found: ${url.pathname}\n`);
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return {
      origin: `http://127.0.0.1:${port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  },
};

export default caom2ui;
