/**
 * The replica: a local web server that serves the CADC/CANFAR pages and APIs that journeys touch,
 * following cadc-reference.md so that a journey passing here also passes on the real portal.
 * It listens on 127.0.0.1 (a free port unless one is given) and injects faults per route.
 *
 *   const replica = await startReplica({ faults: faultTable(['POST /access/login=delay:500']) });
 *   ... replica.origin ...
 *   await replica.stop();
 *
 * Routes live in ./routes/, one module per portal area; add a module to ROUTE_MODULES.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplicaContext } from './context.ts';
import { corruptBody } from './corrupt.ts';
import { DEFAULT_FILE_SIZES, generateFiles, generateObservations } from './data.ts';
import type { FaultTable } from './faults.ts';
import { DEFAULT_IMAGES, type ReplicaImage } from './images.ts';
import { matchRoute, readBody, send, type Route } from './http.ts';
import { loginPage, type LoginForm } from './pages.ts';
import { adminRoutes } from './routes/admin.ts';
import { dataRoutes } from './routes/data.ts';
import { searchRoutes } from './routes/search.ts';
import { skahaRoutes } from './routes/skaha.ts';
import { ssoRoutes } from './routes/sso.ts';
import { storageRoutes } from './routes/storage.ts';
import { vosiRoutes } from './routes/vosi.ts';
import { vospaceRoutes } from './routes/vospace.ts';
import { TokenStore } from './sessions.ts';
import type { StorageHeader } from './storage-page.ts';
import { throttleBody } from './throttle.ts';
import { throwawayCertificate, type KeyAndCert } from './tls.ts';
import { VospaceStore } from './vospace.ts';

export interface ReplicaOptions {
  port?: number;
  faults?: FaultTable;
  /** Origins of further SSO sites the login chain hops through (prod: the other www host). */
  ssoPeers?: string[];
  /** Public files to serve under `/data/pub`, `<ARCHIVE>/<name>` → size in bytes. */
  fileSizes?: Record<string, number>;
  /** skaha: how long a new session stays Pending, ms (default 3000). */
  sessionPendingMs?: number;
  /** skaha: how long a deleted session stays Terminating, ms (default 1000). */
  sessionTerminatingMs?: number;
  /** skaha: how long a headless session runs (Running, after Pending) before it is Completed, ms (default 2000). */
  headlessRunMs?: number;
  /** storage: every home folder is empty (default false). */
  emptyHomeFolders?: boolean;
  /**
   * storage: the site header of the storage UI's pages: `application-header` (default; both the user menu and
   * the login link in the page, the script shows one) or `login-ftl` (the server renders only the one that
   * applies). Production's cannot be read from code (src/replica/storage-page.ts).
   */
  storageHeader?: StorageHeader;
  /** login: the CADC login form in the login page (`page-form`, default) or only in the header's Login dropdown. */
  loginForm?: LoginForm;
  /** skaha: the container images offered (default DEFAULT_IMAGES: astroml:latest and :24.07, desktop, carta, stress-ng). */
  images?: readonly ReplicaImage[];
  /**
   * Serve HTTPS instead of HTTP: with this key and certificate chain (PEM, leaf first), or `true`
   * for a throwaway self-signed certificate for 127.0.0.1, ::1 and localhost made at start
   * (./tls.ts). Routes that call the replica itself with fetch (the Science Portal's API,
   * /search/find, the storage UI's listing) cannot trust it and answer 500: HTTPS serves the
   * probes' routes (registry, VOSI, TAP, /data/pub, /ac, skaha) and the pages.
   */
  https?: true | KeyAndCert;
  /** With `https`: offer HTTP/2 too (ALPN h2, then http/1.1 for clients that offer only it). */
  http2?: boolean;
}

export interface Replica {
  origin: string;
  port: number;
  /** With `https`: the certificate chain served (PEM); a throwaway one is its own CA. */
  certificate?: string;
  /** Live fault table: tests may change it while the replica runs. */
  faults: FaultTable;
  /** Every route key the replica serves (`"METHOD /path"`), the keys a fault may name. */
  routeKeys: string[];
  /** Whether a route of the replica answers `METHOD path` (the probes skip what it does not serve). */
  serves(method: string, path: string): boolean;
  stop(): Promise<void>;
}

const ROUTE_MODULES: Array<(ctx: ReplicaContext) => Route[]> = [ssoRoutes, vosiRoutes, searchRoutes, dataRoutes, storageRoutes, skahaRoutes, vospaceRoutes, adminRoutes];

export async function startReplica(opts: ReplicaOptions = {}): Promise<Replica> {
  const ctx: ReplicaContext = {
    tokens: new TokenStore(),
    faults: opts.faults ?? new Map(),
    ssoPeers: opts.ssoPeers ?? [],
    data: {
      observations: generateObservations(),
      files: generateFiles(opts.fileSizes ?? DEFAULT_FILE_SIZES),
      sessionPendingMs: opts.sessionPendingMs ?? 3000,
      sessionTerminatingMs: opts.sessionTerminatingMs ?? 1000,
      headlessRunMs: opts.headlessRunMs ?? 2000,
      emptyHomeFolders: opts.emptyHomeFolders ?? false,
      storageHeader: opts.storageHeader ?? 'application-header',
      loginForm: opts.loginForm ?? 'page-form',
      images: opts.images ?? DEFAULT_IMAGES,
    },
    vospace: new VospaceStore(),
  };
  const routes = ROUTE_MODULES.flatMap((m) => m(ctx));
  const openSockets = new Set<Socket>();

  const stopping = new AbortController();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const found = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const raw = await readBody(req);
    if (!found) return send(res, 404, 'text/plain', `Not Found: ${url.pathname}`);
    const fault = ctx.faults.get(found.route.key);
    if (fault?.hang) return; // never answer; stop() destroys the socket
    if (fault?.delayMs) {
      // an injected delay must not outlive stop(): its timer would keep the process alive
      const slept = await sleep(fault.delayMs, true, { signal: stopping.signal }).catch(() => false);
      if (!slept) return;
      // the client gave up while it waited: nobody to answer, and what it asked for is not done
      if (req.socket.destroyed) return;
    }
    if (fault?.status) return send(res, fault.status, 'text/plain', `Injected fault: ${fault.status}`);
    if (fault?.wrongPage) return send(res, 200, 'text/html; charset=utf-8', loginPage(''));
    if (fault?.bytesPerSecond) throttleBody(res, fault.bytesPerSecond);
    if (fault?.corrupt) corruptBody(res);
    if (fault?.noCookie) dropCookies(res);
    await found.route.handler({ req, res, url, params: found.params, body: raw.toString('utf8'), raw, fault });
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `Internal Server Error: ${err.message}`);
      else res.destroy();
    });
  };
  if (opts.http2 && !opts.https) throw new Error('replica: http2 needs https');
  const tls = opts.https === true ? throwawayCertificate() : opts.https;
  // the HTTP/2 compatibility API gives handlers the (req, res) of node:http, which they are written against
  const server = !tls
    ? createServer(onRequest)
    : opts.http2
      ? createSecureServer({ ...tls, allowHTTP1: true }, onRequest as never)
      : createHttpsServer(tls, onRequest);
  server.on('tlsClientError', () => undefined); // a client that refuses our certificate: its own error
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    ...(tls ? { certificate: tls.cert } : {}),
    faults: ctx.faults,
    routeKeys: routes.map((r) => r.key),
    serves: (method, path) => matchRoute(routes, method, path) !== undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping.abort();
        for (const s of openSockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The answer goes out without any Set-Cookie header its handler sets (fault `nocookie`). */
function dropCookies(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) => (name.toLowerCase() === 'set-cookie' ? res : setHeader(name, value))) as typeof res.setHeader;
}
