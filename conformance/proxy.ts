/**
 * The conformance proxy: the one origin the browser sees (every URL role of the generated env
 * profile). Each request goes to the first upstream whose `owns(method, path)` is true, else to the
 * replica. A plain reverse proxy in the style of `ProxyPreserveHost On`:
 *
 * - method, path with query, status and headers pass through; bodies stream both ways, never
 *   buffered and never decoded (Content-Length and Content-Encoding stay as the upstream sent them);
 * - Host stays the browser's (the public origin), so an upstream that builds URLs or redirects from
 *   Host names the proxy; X-Forwarded-Host/-Proto/-For say the same for those that read them;
 * - Cookie and Set-Cookie pass untouched; redirects are not followed; a Location naming the
 *   upstream's own origin is rewritten to the public origin (any other Location is untouched);
 * - hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding, …) are not forwarded: Node frames
 *   each side itself;
 * - an upstream that does not answer gets a 502 with one line naming it; one that breaks off
 *   mid-body breaks the browser's response off too (never a silently short body);
 * - stop() closes every connection, both sides, including requests an upstream never answers.
 *
 *   const proxy = await startProxy({ replicaOrigin });
 *   proxy.addUpstream({ name: 'caom2ui', origin, owns });   // after the front end started on proxy.origin
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse, type ClientRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Upstream {
  /** Names it in the counts and in a 502. */
  name: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  owns(method: string, path: string): boolean;
}

/** How many requests an upstream answered, and how many of them with a status ≥ 400 (or a 502 of the proxy's own). */
export interface UpstreamCount {
  requests: number;
  errors: number;
  /** The answers ≥ 400 by `METHOD path status` (path without its query), how many of each; at most MAX_ERROR_KINDS kinds. */
  errorKinds: Map<string, number>;
}

export const MAX_ERROR_KINDS = 50;

export interface Proxy {
  /** http://127.0.0.1:<port>: the public origin. */
  origin: string;
  port: number;
  /** Upstreams are asked in the order they were added, before the replica. */
  addUpstream(upstream: Upstream): void;
  /** Per upstream name (`replica` for the replica), what it answered so far. */
  counts(): Map<string, UpstreamCount>;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  replicaOrigin: string;
  port?: number;
}

export const REPLICA_UPSTREAM = 'replica';

/** RFC 9110 §7.6.1 and the de-facto ones: meaningful for one connection only. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export async function startProxy(opts: ProxyOptions): Promise<Proxy> {
  const upstreams: Upstream[] = [];
  const replica: Upstream = { name: REPLICA_UPSTREAM, origin: trimOrigin(opts.replicaOrigin), owns: () => true };
  const counts = new Map<string, UpstreamCount>();
  // One upstream connection per request: a kept-alive socket that the upstream closes while it is
  // reused would fail a request with ECONNRESET (a 502 the portal never gave); loopback connects are cheap.
  const agent = new Agent({ keepAlive: false });
  const clientSockets = new Set<Socket>();
  const upstreamRequests = new Set<ClientRequest>();
  let publicOrigin = '';
  let stopped = false;

  const count = (name: string, status: number, method: string, path: string) => {
    const c = counts.get(name) ?? { requests: 0, errors: 0, errorKinds: new Map<string, number>() };
    c.requests++;
    if (status >= 400) {
      c.errors++;
      const kind = `${method} ${pathOnly(path)} ${status}`;
      if (c.errorKinds.has(kind) || c.errorKinds.size < MAX_ERROR_KINDS) c.errorKinds.set(kind, (c.errorKinds.get(kind) ?? 0) + 1);
    }
    counts.set(name, c);
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    let target = replica;
    for (const u of upstreams) {
      let owned = false;
      try {
        owned = u.owns(method, path);
      } catch (err) {
        return fail(res, u.name, `${u.name}.owns(${method} ${pathOnly(path)}) threw: ${(err as Error).message}`);
      }
      if (owned) {
        target = u;
        break;
      }
    }
    const upstreamUrl = new URL(target.origin);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      headers[k] = v;
    }
    const publicHost = req.headers.host ?? new URL(publicOrigin).host;
    headers.host = publicHost;
    headers['x-forwarded-host'] = publicHost;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';

    const up = httpRequest({ host: upstreamUrl.hostname, port: upstreamUrl.port, method, path, headers, agent });
    upstreamRequests.add(up);
    up.once('close', () => upstreamRequests.delete(up));
    up.on('response', (upRes) => {
      const status = upRes.statusCode ?? 502;
      count(target.name, status, method, path);
      const out: string[] = [];
      const raw = upRes.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i] as string;
        let value = raw[i + 1] as string;
        const lower = name.toLowerCase();
        if (HOP_BY_HOP.has(lower)) continue;
        if (lower === 'location') value = rewriteLocation(value, target.origin, `http://${publicHost}`);
        out.push(name, value);
      }
      res.writeHead(status, upRes.statusMessage, out);
      upRes.pipe(res);
      upRes.once('aborted', () => res.destroy());
      upRes.once('error', () => res.destroy());
      // A response the upstream ends without completing (socket closed mid-body) must not look complete.
      upRes.once('close', () => {
        if (!upRes.complete) res.destroy();
      });
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (stopped || res.headersSent || res.destroyed) return void res.destroy();
      count(target.name, 502, method, path);
      fail(res, target.name, `conformance proxy: ${target.name} at ${target.origin} did not answer ${method} ${pathOnly(path)}: ${err.code ?? err.message}`);
    });
    // The browser gave up (or stop() closed it): give up upstream too.
    res.once('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  }

  const server = createServer(handle);
  server.on('connection', (socket) => {
    clientSockets.add(socket);
    socket.once('close', () => clientSockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  publicOrigin = `http://127.0.0.1:${port}`;
  return {
    origin: publicOrigin,
    port,
    addUpstream(u) {
      upstreams.push({ ...u, origin: trimOrigin(u.origin) });
    },
    counts: () => new Map([...counts].map(([k, v]) => [k, { ...v, errorKinds: new Map(v.errorKinds) }])),
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        server.close(() => resolve());
        for (const r of upstreamRequests) r.destroy();
        for (const s of clientSockets) s.destroy();
        agent.destroy();
      }),
  };
}

function fail(res: ServerResponse, _name: string, line: string): void {
  if (res.headersSent) return void res.destroy();
  const body = `${line}\n`;
  res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A Location on the upstream's own origin names the public origin instead; relative and foreign ones stay. */
export function rewriteLocation(location: string, upstreamOrigin: string, publicOrigin: string): string {
  const port = new URL(upstreamOrigin).port;
  // the same server under the names a server may give itself
  const own = [upstreamOrigin, `http://127.0.0.1:${port}`, `http://localhost:${port}`];
  for (const o of own) {
    if (location === o || /^[/?#]/.test(location.slice(o.length, o.length + 1)) && location.startsWith(o)) {
      return publicOrigin + location.slice(o.length);
    }
  }
  return location;
}

function trimOrigin(origin: string): string {
  const u = new URL(origin);
  if (u.protocol !== 'http:' || (u.pathname !== '/' && u.pathname !== '') || u.search) throw new Error(`an upstream origin must be http://host:port (got ${origin})`);
  return `${u.protocol}//${u.host}`;
}

/** The path without its query: what a 502 line names (a query may hold a token). */
function pathOnly(path: string): string {
  return path.split('?')[0] ?? path;
}
