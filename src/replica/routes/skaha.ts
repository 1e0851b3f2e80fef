/**
 * skaha v1 (cadc-reference.md §5.2) and the Science Portal's BFF routes (§5.1, §11). Sessions go
 * Pending → Running (after `sessionPendingMs`) and, once deleted, Terminating → gone (after
 * `sessionTerminatingMs`); both dwells are replica options so tests can keep them short.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { send, redirect, type Route } from '../http.ts';
import { SCIENCE_PORTAL_JS, sciencePortalPage } from '../portal-page.ts';
import { SSO_MAX_AGE_S } from '../sessions.ts';
import type { ReplicaUser } from '../users.ts';
import { originOf } from './search.ts';

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const MAX_SESSIONS = 3;

export const IMAGES = [
  { id: 'images.canfar.net/skaha/astroml:latest', types: ['notebook', 'headless'], digest: 'sha256:5e1f0a7c' },
  { id: 'images.canfar.net/skaha/astroml:24.07', types: ['notebook', 'headless'], digest: 'sha256:77aa01b2' },
  { id: 'images.canfar.net/skaha/desktop:latest', types: ['desktop'], digest: 'sha256:0c9d33e4' },
  { id: 'images.canfar.net/skaha/carta:4.1', types: ['carta'], digest: 'sha256:91bb2a10' },
  { id: 'images.canfar.net/skaha/stress-ng:latest', types: ['headless'], digest: 'sha256:ab12cd34' },
];
const TYPES = ['notebook', 'desktop', 'carta', 'headless', 'contributed', 'firefly'];

interface SkahaSession {
  id: string;
  userid: string;
  uid: number;
  image: string;
  type: string;
  name: string;
  cores: number;
  ram: number;
  createdMs: number;
  deletedMs?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function skahaRoutes(ctx: ReplicaContext): Route[] {
  const { tokens, data } = ctx;
  const sessions = new Map<string, SkahaSession>();

  const statusOf = (s: SkahaSession, now = Date.now()): string | undefined => {
    if (s.deletedMs !== undefined) return now - s.deletedMs < data.sessionTerminatingMs ? 'Terminating' : undefined;
    return now - s.createdMs < data.sessionPendingMs ? 'Pending' : 'Running';
  };
  /** Sessions still in existence; drops the ones whose Terminating dwell is over. */
  const live = (user: ReplicaUser): SkahaSession[] => {
    const out: SkahaSession[] = [];
    for (const s of sessions.values()) {
      if (statusOf(s) === undefined) sessions.delete(s.id);
      else if (s.userid === user.username) out.push(s);
    }
    return out;
  };
  const view = (s: SkahaSession, origin: string) => {
    const status = statusOf(s) as string;
    return {
      id: s.id,
      userid: s.userid,
      runAsUID: String(s.uid),
      runAsGID: String(s.uid),
      supplementalGroups: [],
      appid: '<none>',
      image: s.image,
      type: s.type,
      status,
      name: s.name,
      startTime: status === 'Pending' ? 'Unknown' : iso(s.createdMs + data.sessionPendingMs),
      expiryTime: iso(s.createdMs + 345_600_000),
      connectURL: status === 'Pending' ? 'Unknown' : `${origin}/session/${s.type}/${s.id}/lab/tree/arc/home/${s.userid}?token=${s.id}`,
      requestedRAM: `${s.ram}G`,
      requestedCPUCores: String(s.cores),
      requestedGPUCores: '<none>',
      ramInUse: '<none>',
      gpuRAMInUse: '<none>',
      cpuCoresInUse: '<none>',
      gpuUtilization: '<none>',
      isFixedResources: false,
    };
  };

  /** Creates a session from skaha's params; returns the id or an [status, text] error. */
  const create = (user: ReplicaUser, p: URLSearchParams): string | [number, string] => {
    const name = p.get('name') ?? '';
    const image = p.get('image') ?? '';
    const type = p.get('type') ?? 'notebook';
    if (!image) return [400, 'missing image'];
    if (!name) return [400, 'missing name'];
    if (!/^[A-Za-z0-9-]{1,15}$/.test(name)) return [400, 'name must be 1-15 letters, digits or -'];
    if (!TYPES.includes(type)) return [400, `unknown type ${type}`];
    if (!IMAGES.some((i) => i.id === image)) return [400, `image not found: ${image}`];
    if (live(user).filter((s) => s.deletedMs === undefined).length >= MAX_SESSIONS) {
      return [400, `User ${user.username} has reached the maximum of ${MAX_SESSIONS} active sessions.`];
    }
    const id = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8);
    sessions.set(id, { id, userid: user.username, uid: user.uid, image, type, name, cores: Number(p.get('cores')) || 2, ram: Number(p.get('ram')) || 8, createdMs: Date.now() });
    return id;
  };

  const remove = (user: ReplicaUser, id: string): boolean => {
    const s = sessions.get(id);
    if (!s || s.userid !== user.username || statusOf(s) === undefined) return false;
    if (s.deletedMs === undefined) s.deletedMs = Date.now();
    return true;
  };

  const authed = (req: IncomingMessage): ReplicaUser | undefined => tokens.caller(req);
  const unauthorized = (res: import('node:http').ServerResponse) => {
    res.setHeader('www-authenticate', 'ivoa_bearer standard_id="ivo://ivoa.net/sso#tls-with-password", access_url="/ac/login"');
    send(res, 401, TEXT, 'Unauthorized');
  };
  const sessionList = (user: ReplicaUser, url: URL, origin: string) => {
    let list = live(user);
    const type = url.searchParams.get('type');
    const status = url.searchParams.get('status');
    if (url.searchParams.get('view') === 'interactive') list = list.filter((s) => s.type !== 'headless');
    if (type) list = list.filter((s) => s.type === type);
    const views = list.map((s) => view(s, origin));
    return status ? views.filter((v) => v.status === status) : views;
  };
  const context = {
    cores: { default: 2, defaultRequest: 1, defaultLimit: 16, defaultHeadless: 1, options: [1, 2, 4, 8, 16] },
    memoryGB: { default: 8, defaultRequest: 4, defaultLimit: 64, defaultHeadless: 4, options: [1, 2, 4, 8, 16, 32, 64] },
    gpus: { options: [] },
  };

  return [
    // --- skaha v1 ---
    {
      key: 'GET /skaha/v1/session',
      handler: ({ req, res, url }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        if (url.searchParams.get('view') === 'stats') {
          const used = live(user).reduce((n, s) => n + s.cores, 0);
          return send(res, 200, JSON_TYPE, JSON.stringify({
            cores: { requestedCPUCores: used, cpuCoresAvailable: 256 - used, maxCPUCores: { cpuCores: 16, withRam: '64G' } },
            ram: { requestedRAM: `${live(user).reduce((n, s) => n + s.ram, 0)}G`, ramAvailable: '1000G', maxRAM: { ram: '64G', withCPUCores: 16 } },
          }));
        }
        send(res, 200, JSON_TYPE, JSON.stringify(sessionList(user, url, originOf(req))));
      },
    },
    {
      // Params in the query (perfpulse, empty form body) or in a form body (the portal): accept both (§5.2).
      key: 'POST /skaha/v1/session',
      handler: ({ req, res, url, body }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        const params = new URLSearchParams(url.search);
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
        const made = create(user, params);
        if (Array.isArray(made)) return send(res, made[0], TEXT, made[1]);
        send(res, 200, TEXT, `${made}\n`);
      },
    },
    {
      key: 'GET /skaha/v1/session/{id}',
      handler: ({ req, res, url, params }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        const s = live(user).find((x) => x.id === params.id);
        if (!s) return send(res, 404, TEXT, `session ${params.id} not found`);
        const v = url.searchParams.get('view');
        if (v === 'events') return send(res, 200, TEXT, `TYPE   REASON   MESSAGE\nNormal Scheduled Successfully assigned ${s.id}\n`);
        if (v === 'logs') return send(res, 200, TEXT, statusOf(s) === 'Running' ? 'Jupyter Server is running\n' : '');
        send(res, 200, JSON_TYPE, JSON.stringify(view(s, originOf(req))));
      },
    },
    {
      key: 'POST /skaha/v1/session/{id}',
      handler: ({ req, res, url, params, body }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        const action = url.searchParams.get('action') ?? new URLSearchParams(body).get('action');
        const s = live(user).find((x) => x.id === params.id);
        if (!s) return send(res, 404, TEXT, `session ${params.id} not found`);
        if (action !== 'renew') return send(res, 400, TEXT, `unknown action ${action}`);
        send(res, 200, TEXT, '');
      },
    },
    {
      key: 'DELETE /skaha/v1/session/{id}',
      handler: ({ req, res, params }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        if (!remove(user, params.id ?? '')) return send(res, 404, TEXT, `session ${params.id} not found`);
        res.writeHead(204);
        res.end();
      },
    },
    {
      key: 'GET /skaha/v1/image',
      handler: ({ req, res, url }) => {
        if (!authed(req)) return unauthorized(res);
        const type = url.searchParams.get('type');
        send(res, 200, JSON_TYPE, JSON.stringify(type ? IMAGES.filter((i) => i.types.includes(type)) : IMAGES));
      },
    },
    { key: 'GET /skaha/v1/context', handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(context)) : unauthorized(res)) },
    { key: 'GET /skaha/v1/repository', handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(['images.canfar.net'])) : unauthorized(res)) },

    // --- Science Portal (Next.js app and its BFF under /science-portal/api) ---
    { key: 'GET /science-portal', handler: ({ res }) => send(res, 200, 'text/html; charset=utf-8', sciencePortalPage()) },
    { key: 'GET /science-portal/', handler: ({ res }) => redirect(res, 308, '/science-portal') },
    { key: 'GET /science-portal/_replica/portal.js', handler: ({ res }) => send(res, 200, 'text/javascript', SCIENCE_PORTAL_JS) },
    {
      key: 'POST /science-portal/api/auth/login',
      handler: async ({ req, res, body }) => {
        let doc: { username?: string; password?: string } = {};
        try {
          doc = JSON.parse(body || '{}') as typeof doc;
        } catch {
          return send(res, 400, JSON_TYPE, JSON.stringify({ error: 'bad JSON' }));
        }
        const upstream = await fetch(`${originOf(req)}/ac/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: doc.username ?? '', password: doc.password ?? '' }).toString(),
        });
        if (upstream.status !== 200) return send(res, upstream.status, JSON_TYPE, JSON.stringify({ error: await upstream.text() }));
        const token = (await upstream.text()).trim();
        const user = tokens.userOf(token) as ReplicaUser;
        res.setHeader('Set-Cookie', `CADC_SSO="${token}"; Secure; SameSite=None; HttpOnly; Max-Age=${SSO_MAX_AGE_S}; Path=/`);
        send(res, 200, JSON_TYPE, JSON.stringify({ user: { username: user.username, displayName: `${user.firstName} ${user.lastName}` }, token }));
      },
    },
    {
      key: 'GET /science-portal/api/auth/status',
      handler: ({ req, res }) => {
        const user = authed(req);
        send(res, 200, JSON_TYPE, JSON.stringify(user ? { authenticated: true, user: { username: user.username, displayName: `${user.firstName} ${user.lastName}` } } : { authenticated: false }));
      },
    },
    { key: 'GET /science-portal/api/auth/session', handler: ({ req, res }) => send(res, 200, JSON_TYPE, JSON.stringify({ authenticated: Boolean(authed(req)) })) },
    {
      key: 'GET /science-portal/api/sessions',
      handler: ({ req, res, url }) => {
        const user = authed(req);
        if (!user) return send(res, 401, JSON_TYPE, JSON.stringify({ error: 'Unauthorized' }));
        const u = new URL(url.href);
        u.searchParams.set('view', 'interactive');
        // §11: the list drops Failed sessions and is not sorted.
        send(res, 200, JSON_TYPE, JSON.stringify(sessionList(user, u, originOf(req)).filter((s) => s.status !== 'Failed')));
      },
    },
    {
      key: 'POST /science-portal/api/sessions',
      handler: ({ req, res, body }) => {
        const user = authed(req);
        if (!user) return send(res, 401, JSON_TYPE, JSON.stringify({ error: 'Unauthorized' }));
        const doc = JSON.parse(body || '{}') as { sessionType?: string; sessionName?: string; containerImage?: string; cores?: number; ram?: number };
        const made = create(user, new URLSearchParams({ type: doc.sessionType ?? '', name: doc.sessionName ?? '', image: doc.containerImage ?? '', cores: String(doc.cores ?? ''), ram: String(doc.ram ?? '') }));
        if (Array.isArray(made)) return send(res, made[0], JSON_TYPE, JSON.stringify({ error: made[1] }));
        send(res, 201, JSON_TYPE, JSON.stringify({ id: made, name: doc.sessionName, type: doc.sessionType, image: doc.containerImage }));
      },
    },
    {
      key: 'DELETE /science-portal/api/sessions/{id}',
      handler: ({ req, res, params }) => {
        const user = authed(req);
        if (!user) return send(res, 401, JSON_TYPE, JSON.stringify({ error: 'Unauthorized' }));
        if (!remove(user, params.id ?? '')) return send(res, 404, JSON_TYPE, JSON.stringify({ error: 'not found' }));
        res.writeHead(204);
        res.end();
      },
    },
    {
      key: 'GET /science-portal/api/sessions/images',
      handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(IMAGES)) : send(res, 401, JSON_TYPE, '{"error":"Unauthorized"}')),
    },
    {
      key: 'GET /science-portal/api/sessions/context',
      handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(context)) : send(res, 401, JSON_TYPE, '{"error":"Unauthorized"}')),
    },
    {
      key: 'GET /science-portal/api/sessions/repository',
      handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, '["images.canfar.net"]') : send(res, 401, JSON_TYPE, '{"error":"Unauthorized"}')),
    },
    {
      key: 'GET /science-portal/api/storage/raw/{user}',
      handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, '{"quota":107374182400,"size":0}') : send(res, 401, JSON_TYPE, '{"error":"Unauthorized"}')),
    },
  ];
}
