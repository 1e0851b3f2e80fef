/**
 * The replica: a local web server that serves the CADC/CANFAR pages and APIs that journeys touch,
 * following cadc-reference.md so that a journey passing here also passes on the real portal.
 * It listens on 127.0.0.1 (a free port unless one is given) and injects faults per route.
 *
 *   const replica = await startReplica({ faults: faultTable(['POST /access/login=delay:500']) });
 *   ... replica.origin ...
 *   await replica.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, FaultTable } from './faults.ts';
import { CADC_USER_JS, LOGIN_JS, homePage, loginPage } from './pages.ts';
import { findUser, type ReplicaUser } from './users.ts';

export interface ReplicaOptions {
  port?: number;
  faults?: FaultTable;
  /** Origins of further SSO sites the login chain hops through (prod: the other www host). */
  ssoPeers?: string[];
}

export interface Replica {
  origin: string;
  port: number;
  /** Live fault table: tests may change it while the replica runs. */
  faults: FaultTable;
  /** Every route key the replica serves (`"METHOD /path"`), the keys a fault may name. */
  routeKeys: string[];
  stop(): Promise<void>;
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  body: string;
}

interface Route {
  /** Fault key and documentation: `"METHOD /path"`, `{name}` for a path parameter. */
  key: string;
  handler: (r: Request) => void | Promise<void>;
}

/** SSO token lifetime, as the real `SSO_TOKEN_LIFETIME_SECONDS`. */
const SSO_MAX_AGE_S = 172_800;
const TOKEN_TEXT_401 = 'Your session has expired, or your username and password cannot be found.  Please go Back and try again.';

export async function startReplica(opts: ReplicaOptions = {}): Promise<Replica> {
  const faults: FaultTable = opts.faults ?? new Map();
  const tokens = new Map<string, { user: ReplicaUser; expiresAtMs: number }>();
  const openSockets = new Set<import('node:net').Socket>();

  const issueToken = (user: ReplicaUser): string => {
    const expiry = Date.now() + SSO_MAX_AGE_S * 1000;
    const raw = `expirytime=${expiry}&userid=${user.username}&domain=replica&signature=${randomBytes(24).toString('base64url')}`;
    const token = `base64:${Buffer.from(raw).toString('base64')}`;
    tokens.set(token, { user, expiresAtMs: expiry });
    return token;
  };
  const userOf = (token: string | undefined): ReplicaUser | undefined => {
    if (!token) return undefined;
    const entry = tokens.get(token);
    return entry && entry.expiresAtMs > Date.now() ? entry.user : undefined;
  };
  const caller = (req: IncomingMessage): ReplicaUser | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return userOf(auth.slice(7).trim());
    return userOf(cookieValue(req, 'CADC_SSO'));
  };

  const routes: Route[] = [
    { key: 'GET /', handler: ({ res }) => redirect(res, 303, '/en/') },
    { key: 'GET /en', handler: ({ res }) => redirect(res, 303, '/en/') },
    { key: 'GET /en/', handler: ({ res }) => send(res, 200, 'text/html; charset=utf-8', homePage()) },
    {
      key: 'GET /en/login.html',
      handler: ({ res, url }) => send(res, 200, 'text/html; charset=utf-8', loginPage(url.searchParams.get('target') ?? '')),
    },
    {
      key: 'GET /access/login',
      handler: ({ req, res, url }) => {
        const target = url.searchParams.get('target') ?? '';
        if (caller(req)) return redirect(res, 303, target || '/en');
        send(res, 200, 'text/html; charset=utf-8', loginPage(target));
      },
    },
    {
      key: 'POST /access/login',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return send(res, 401, 'text/plain; charset=utf-8', TOKEN_TEXT_401);
        const sso = new URLSearchParams({
          cookieValue: issueToken(user),
          referer: form.get('target') || '/en/',
          sites: (opts.ssoPeers ?? []).join(','),
        });
        send(res, 200, 'text/plain; charset=utf-8', `/access/sso?${sso.toString()}`);
      },
    },
    {
      key: 'GET /access/sso',
      handler: ({ res, url }) => {
        const token = url.searchParams.get('cookieValue') ?? '';
        if (!userOf(token)) return send(res, 401, 'text/plain; charset=utf-8', 'Invalid or expired session.');
        res.setHeader('Set-Cookie', ssoCookie(`"${token}"`, SSO_MAX_AGE_S));
        const [next, ...rest] = (url.searchParams.get('sites') ?? '').split(',').filter(Boolean);
        if (next) {
          const hop = new URLSearchParams({ cookieValue: token, referer: url.searchParams.get('referer') ?? '/', sites: rest.join(',') });
          return redirect(res, 303, `${next}/access/sso?${hop.toString()}`);
        }
        redirect(res, 303, url.searchParams.get('referer') || '/');
      },
    },
    {
      key: 'GET /access/logout',
      handler: ({ req, res }) => {
        const token = cookieValue(req, 'CADC_SSO');
        if (token) tokens.delete(token);
        res.setHeader('Set-Cookie', ssoCookie(`"LOGOUT-${Date.now()}"`, 0));
        redirect(res, 303, '/en/');
      },
    },
    { key: 'GET /access/availability', handler: ({ res, url }) => availability(res, url) },
    { key: 'GET /access/javascript/login.js', handler: ({ res }) => send(res, 200, 'text/javascript', LOGIN_JS) },
    { key: 'GET /cadcJS/javascript/cadc.user.js', handler: ({ res }) => send(res, 200, 'text/javascript', CADC_USER_JS) },
    {
      key: 'POST /ac/login',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        if (!form.get('username')) return send(res, 400, 'text/plain', 'Missing username');
        if (!form.get('password')) return send(res, 400, 'text/plain', 'Missing password');
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return send(res, 401, 'text/plain', 'Login failed: invalid username or password');
        const token = issueToken(user);
        res.setHeader('x-vo-authenticated', user.username);
        res.setHeader('x-vo-bearer', token);
        send(res, 200, 'text/plain', token);
      },
    },
    {
      key: 'GET /ac/whoami',
      handler: ({ req, res }) => {
        const user = caller(req);
        if (!user) return send(res, 401, 'text/plain', 'Unauthorized');
        redirect(res, 303, `/ac/users/${encodeURIComponent(user.username)}?idType=HTTP`);
      },
    },
    {
      key: 'GET /ac/users/{name}',
      handler: ({ req, res, params }) => {
        const user = caller(req);
        if (!user) return send(res, 401, 'text/plain', 'Unauthorized');
        if (user.username !== params.name) return send(res, 403, 'text/plain', 'Forbidden');
        res.setHeader('x-vo-authenticated', user.username);
        send(res, 200, 'application/json', JSON.stringify(badgerfishUser(user)));
      },
    },
    { key: 'GET /ac/availability', handler: ({ res, url }) => availability(res, url) },
    { key: 'GET /favicon.ico', handler: ({ res }) => send(res, 204, 'image/x-icon', '') },
    {
      key: 'GET /__replica/faults',
      handler: ({ res }) => send(res, 200, 'application/json', JSON.stringify(Object.fromEntries(faults))),
    },
    {
      key: 'PUT /__replica/faults',
      handler: ({ res, body }) => {
        faults.clear();
        for (const [k, v] of Object.entries(JSON.parse(body || '{}') as Record<string, Fault>)) faults.set(k, v);
        send(res, 204, 'text/plain', '');
      },
    },
  ];

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `Internal Server Error: ${err.message}`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const found = match(routes, req.method ?? 'GET', url.pathname);
    const body = await readBody(req);
    if (!found) return send(res, 404, 'text/plain', `Not Found: ${url.pathname}`);
    const fault = faults.get(found.route.key);
    if (fault?.hang) return; // never answer; stop() destroys the socket
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) return send(res, fault.status, 'text/plain', `Injected fault: ${fault.status}`);
    await found.route.handler({ req, res, url, params: found.params, body });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    faults,
    routeKeys: routes.map((r) => r.key),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of openSockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    const [rm, rp = ''] = route.key.split(' ');
    if (rm !== m) continue;
    const names: string[] = [];
    const pattern = rp.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_s, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    const hit = new RegExp(`^${pattern}$`).exec(path);
    if (hit) {
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1] ?? '')));
      return { route, params };
    }
  }
  return undefined;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The value of a cookie, quotes removed. */
function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=').replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/**
 * `CADC_SSO` as the real SSOServlet sets it, less `Domain` (the replica's host is an IP address,
 * where a Domain attribute is invalid). Chromium accepts `Secure` cookies on http://127.0.0.1.
 */
function ssoCookie(value: string, maxAge: number): string {
  return `CADC_SSO=${value}; Secure; SameSite=None; HttpOnly; Max-Age=${maxAge}; Path=/`;
}

function availability(res: ServerResponse, url: URL): void {
  if (url.searchParams.get('detail') === 'min') return send(res, 200, 'text/plain', '');
  send(
    res,
    200,
    'text/xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">
  <vosi:available>true</vosi:available>
  <vosi:note>service is accepting requests</vosi:note>
</vosi:availability>
<!-- <clientip>127.0.0.1</clientip> -->
`,
  );
}

/** whoami's user document in badgerfish JSON (values under `$`, attributes under `@`). */
function badgerfishUser(u: ReplicaUser): unknown {
  return {
    user: {
      internalID: { uri: { $: `ivo://cadc.nrc.ca/gms?${u.uid}` } },
      identities: {
        $: [
          { identity: { '@type': 'HTTP', $: u.username } },
          { identity: { '@type': 'POSIX', $: String(u.uid) } },
        ],
      },
      personalDetails: {
        firstName: { $: u.firstName },
        lastName: { $: u.lastName },
        email: { $: u.email },
        institute: { $: u.institute },
      },
      posixDetails: {
        username: { $: u.username },
        uid: { $: u.uid },
        gid: { $: u.uid },
        homeDirectory: { $: `/home/${u.username}` },
      },
    },
  };
}
