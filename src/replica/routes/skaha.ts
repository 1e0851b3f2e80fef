/**
 * skaha v1 (cadc-reference.md §5.2; science-platform skaha/…/session/*Action.java) and the Science
 * Portal's BFF routes (§5.1, §11; science-portal f6823b5 src/app/api/**). Sessions go Pending →
 * Running (after `sessionPendingMs`) and, once deleted, Terminating → gone (after
 * `sessionTerminatingMs`); a headless session (a batch job: `type=headless`, `image`, `cmd`, `args`)
 * then ends Completed after `headlessRunMs` of Running, the status skaha's SessionBuilder gives a Job
 * that succeeded (science-platform 964c7c6; its openapi.yaml says "Succeeded"). The dwells, and the
 * images skaha offers (`images`), are replica options so tests can keep them short and choose what
 * is offered. The fault `POST /skaha/v1/session=stuck` keeps the sessions it creates Pending for
 * ever, as the platform's known failure (science-platform#1124): start time and connect URL
 * "Unknown", empty logs, events 404.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { send, redirect, type Route } from '../http.ts';
import { groupImages, type ReplicaImage } from '../images.ts';
import { SCIENCE_PORTAL_JS, sciencePortalPage } from '../portal-page.ts';
import type { ReplicaUser } from '../users.ts';
import { originOf } from './search.ts';

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const MAX_SESSIONS = 3;

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
  /** headless: the command and its arguments (skaha's `cmd`, `args`). */
  cmd?: string;
  args?: string;
  /** Created under the `stuck` fault: Pending until deleted. */
  stuck?: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function skahaRoutes(ctx: ReplicaContext): Route[] {
  const { tokens, data } = ctx;
  const sessions = new Map<string, SkahaSession>();

  const statusOf = (s: SkahaSession, now = Date.now()): string | undefined => {
    if (s.deletedMs !== undefined) return now - s.deletedMs < data.sessionTerminatingMs ? 'Terminating' : undefined;
    if (s.stuck || now - s.createdMs < data.sessionPendingMs) return 'Pending';
    if (s.type === 'headless' && now - s.createdMs >= data.sessionPendingMs + data.headlessRunMs) return 'Completed';
    return 'Running';
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
      // SessionDAO.getConnectURL: "" for a headless session
      connectURL: status === 'Pending' ? 'Unknown' : s.type === 'headless' ? '' : `${origin}/session/${s.type}/${s.id}/lab/tree/arc/home/${s.userid}?token=${s.id}`,
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
  const create = (user: ReplicaUser, p: URLSearchParams, stuck = false): string | [number, string] => {
    const name = p.get('name') ?? '';
    const image = p.get('image') ?? '';
    const type = p.get('type') ?? 'notebook';
    if (!image) return [400, 'missing image'];
    if (!name) return [400, 'missing name'];
    if (!/^[A-Za-z0-9-]{1,15}$/.test(name)) return [400, 'name must be 1-15 letters, digits or -'];
    if (!TYPES.includes(type)) return [400, `unknown type ${type}`];
    if (!data.images.some((i) => i.id === image)) return [400, `image not found: ${image}`];
    // PostAction.checkExistingSessions: only interactive sessions count, and only while Pending or Running
    const active = live(user).filter((s) => s.type !== 'headless' && ['Pending', 'Running'].includes(statusOf(s) ?? ''));
    if (type !== 'headless' && active.length >= MAX_SESSIONS) {
      return [400, `User ${user.username} has reached the maximum of ${MAX_SESSIONS} active sessions.`];
    }
    const id = randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8);
    const headless = type === 'headless' ? { cmd: p.get('cmd') ?? undefined, args: p.get('args') ?? undefined } : {};
    sessions.set(id, { id, userid: user.username, uid: user.uid, image, type, name, cores: Number(p.get('cores')) || (type === 'headless' ? 1 : 2), ram: Number(p.get('ram')) || (type === 'headless' ? 4 : 8), createdMs: Date.now(), ...headless, ...(stuck ? { stuck } : {}) });
    return id;
  };

  const remove = (user: ReplicaUser, id: string): boolean => {
    const s = sessions.get(id);
    if (!s || s.userid !== user.username || statusOf(s) === undefined) return false;
    if (s.deletedMs === undefined) s.deletedMs = Date.now();
    return true;
  };

  const authed = (req: IncomingMessage): ReplicaUser | undefined => tokens.caller(req);
  const unauthorized = (res: ServerResponse) => {
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
      handler: ({ req, res, url, body, fault }) => {
        const user = authed(req);
        if (!user) return unauthorized(res);
        const params = new URLSearchParams(url.search);
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
        const made = create(user, params, fault?.stuck);
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
        const status = statusOf(s);
        // a stuck session has no pod: SessionAction.getPodID's ResourceNotFoundException (cadc-reference §9)
        if (v === 'events' && s.stuck) return send(res, 404, TEXT, `session ${s.id} not found.`);
        if (v === 'events') return send(res, 200, TEXT, `TYPE   REASON   MESSAGE\nNormal Scheduled Successfully assigned ${s.id}\n`);
        if (v === 'logs' && s.type === 'headless') return send(res, 200, TEXT, status === 'Pending' ? '' : `${[s.cmd, s.args].filter(Boolean).join(' ')}: started\n${status === 'Completed' ? 'exit code 0\n' : ''}`);
        if (v === 'logs') return send(res, 200, TEXT, status === 'Running' ? 'Jupyter Server is running\n' : '');
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
        // skaha's DeleteAction sets no status: 200 with an empty body (science-platform skaha/…/session/DeleteAction.java)
        send(res, 200, TEXT, '');
      },
    },
    {
      key: 'GET /skaha/v1/image',
      handler: ({ req, res, url }) => {
        if (!authed(req)) return unauthorized(res);
        const type = url.searchParams.get('type');
        send(res, 200, JSON_TYPE, JSON.stringify(type ? data.images.filter((i) => i.types.includes(type)) : data.images));
      },
    },
    { key: 'GET /skaha/v1/context', handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(context)) : unauthorized(res)) },
    { key: 'GET /skaha/v1/repository', handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, JSON.stringify(['images.canfar.net'])) : unauthorized(res)) },

    // --- Science Portal (Next.js app and its BFF under /science-portal/api) ---
    // The BFF routes call the replica's own ac and skaha endpoints, forwarding the caller's
    // Authorization and Cookie headers, and reshape the answers as the real routes do
    // (science-portal f6823b5 src/app/api/**/route.ts, src/app/api/lib/api-utils.ts).
    { key: 'GET /science-portal', handler: ({ res }) => send(res, 200, 'text/html; charset=utf-8', sciencePortalPage()) },
    { key: 'GET /science-portal/', handler: ({ res }) => redirect(res, 308, '/science-portal') },
    { key: 'GET /science-portal/_replica/portal.js', handler: ({ res }) => send(res, 200, 'text/javascript', SCIENCE_PORTAL_JS) },
    {
      // auth/login/route.ts:74-244: JSON in, form POST to ${LOGIN_API}/login, the token is the reply body.
      key: 'POST /science-portal/api/auth/login',
      handler: async ({ req, res, body }) => {
        let doc: { username?: string; password?: string };
        try {
          doc = JSON.parse(body || '{}') as typeof doc;
        } catch {
          return bffError(res, 400, 'Invalid JSON in request body');
        }
        if (!doc.username || !doc.password) return bffError(res, 400, 'Username and password are required');
        const upstream = await fetch(`${originOf(req)}/ac/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: doc.username, password: doc.password }).toString(),
        });
        const text = await upstream.text();
        if (!upstream.ok) return bffError(res, upstream.status, text || 'Login failed');
        // The token does not parse as `userID=…`, so the route falls back to the typed username (:157-181).
        sendJson(res, 200, { user: { username: doc.username, displayName: doc.username }, token: text.trim() });
      },
    },
    {
      // auth/status/route.ts:134-247: whoami with the caller's headers, the badgerfish user flattened; 401/403 → not authenticated.
      key: 'GET /science-portal/api/auth/status',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/ac/whoami`, { headers: { ...forwarded(req), accept: 'application/json' } });
        if (upstream.status === 401 || upstream.status === 403) return sendJson(res, 200, { authenticated: false });
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to get authentication status');
        const u = ((await upstream.json()) as { user?: WhoAmI }).user ?? {};
        const ids = u.identities?.$ ?? [];
        const username = String(u.posixDetails?.username?.$ ?? ids.find((i) => i.identity?.['@type'] === 'HTTP')?.identity?.$ ?? '');
        const firstName = String(u.personalDetails?.firstName?.$ ?? '');
        const lastName = String(u.personalDetails?.lastName?.$ ?? '');
        sendJson(res, 200, {
          authenticated: true,
          user: {
            username,
            email: String(u.personalDetails?.email?.$ ?? ''),
            displayName: firstName && lastName ? `${firstName} ${lastName}` : username,
            firstName,
            lastName,
            institute: String(u.personalDetails?.institute?.$ ?? ''),
            internalID: String(u.internalID?.uri?.$ ?? ''),
            numericID: String(ids.find((i) => i.identity?.['@type'] === 'CADC')?.identity?.$ ?? ''),
            uid: Number(u.posixDetails?.uid?.$ ?? 0),
            gid: Number(u.posixDetails?.gid?.$ ?? 0),
            homeDirectory: String(u.posixDetails?.homeDirectory?.$ ?? ''),
            identities: ids.map((i) => ({ type: i.identity?.['@type'] ?? '', value: i.identity?.$ ?? '' })),
          },
        });
      },
    },
    {
      // auth/session/route.ts:30-67 (CANFAR mode): whoami with the Cookie header only; null when refused.
      key: 'GET /science-portal/api/auth/session',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/ac/whoami`, { headers: { ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}), accept: 'application/json' } });
        if (!upstream.ok) return sendJson(res, 200, null);
        const u = ((await upstream.json()) as { user?: WhoAmI }).user ?? {};
        sendJson(res, 200, { user: { name: String(u.posixDetails?.username?.$ ?? ''), email: u.personalDetails?.email?.$, image: null }, expires: new Date(Date.now() + 30 * 86_400_000).toISOString() });
      },
    },
    {
      // sessions/route.ts:30-82: skaha ?view=interactive, Failed sessions dropped, order kept.
      key: 'GET /science-portal/api/sessions',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/skaha/v1/session?view=interactive`, { headers: { ...forwarded(req), accept: 'application/json' } });
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to fetch sessions', await upstream.text());
        const all = (await upstream.json()) as Array<{ status: string }>;
        sendJson(res, 200, all.filter((s) => s.status !== 'Failed'));
      },
    },
    {
      // sessions/route.ts:88-221: JSON in, form POST to skaha (no `type` for headless), 201 with skaha's id text as is.
      key: 'POST /science-portal/api/sessions',
      handler: async ({ req, res, body }) => {
        let doc: { sessionType?: string; sessionName?: string; containerImage?: string; cores?: number; ram?: number; gpus?: number };
        try {
          doc = JSON.parse(body || '{}') as typeof doc;
        } catch {
          return bffError(res, 400, 'Invalid request body');
        }
        if (!doc.sessionType || !doc.sessionName || !doc.containerImage) {
          return bffError(res, 400, 'Missing required fields: sessionType, sessionName, containerImage');
        }
        const form = new URLSearchParams({ name: doc.sessionName, image: doc.containerImage });
        if (doc.sessionType !== 'headless' && doc.sessionType !== 'desktop-app') form.append('type', doc.sessionType);
        if (doc.cores) form.append('cores', String(doc.cores));
        if (doc.ram) form.append('ram', String(doc.ram));
        if (doc.gpus && doc.gpus > 0) form.append('gpus', String(doc.gpus));
        const upstream = await fetch(`${originOf(req)}/skaha/v1/session`, {
          method: 'POST',
          headers: { ...forwarded(req), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        });
        const text = await upstream.text();
        if (!upstream.ok) {
          const cleaned = text.trim().replace(/\n+/g, ' ');
          return bffError(res, upstream.status, !cleaned ? 'Failed to launch session' : cleaned.length > 200 ? 'Failed to launch session. Please check your configuration.' : cleaned, text);
        }
        sendJson(res, 201, { id: text, name: doc.sessionName, type: doc.sessionType, image: doc.containerImage });
      },
    },
    {
      // sessions/[id]/route.ts:68-101: skaha DELETE; 204 empty when it succeeded.
      key: 'DELETE /science-portal/api/sessions/{id}',
      handler: async ({ req, res, params }) => {
        const upstream = await fetch(`${originOf(req)}/skaha/v1/session/${params.id ?? ''}`, { method: 'DELETE', headers: forwarded(req) });
        await upstream.body?.cancel();
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to terminate session');
        res.writeHead(204);
        res.end();
      },
    },
    {
      // sessions/images/route.ts:42-71: skaha's list regrouped by type, then project (./images.ts).
      key: 'GET /science-portal/api/sessions/images',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/skaha/v1/image`, { headers: { ...forwarded(req), accept: 'application/json' } });
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to fetch container images');
        sendJson(res, 200, groupImages((await upstream.json()) as ReplicaImage[]));
      },
    },
    {
      // sessions/context/route.ts:32-73: skaha's context, GPU options overridden to [0, 1].
      key: 'GET /science-portal/api/sessions/context',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/skaha/v1/context`, { headers: { ...forwarded(req), accept: 'application/json' } });
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to fetch context');
        const doc = (await upstream.json()) as { gpus?: { options: number[] } };
        if (doc.gpus) doc.gpus.options = [0, 1];
        sendJson(res, 200, doc);
      },
    },
    {
      // sessions/repository/route.ts:28-75: ["host"] → [{host}].
      key: 'GET /science-portal/api/sessions/repository',
      handler: async ({ req, res }) => {
        const upstream = await fetch(`${originOf(req)}/skaha/v1/repository`, { headers: { ...forwarded(req), accept: 'application/json' } });
        if (!upstream.ok) return bffError(res, upstream.status, 'Failed to fetch image repositories');
        const hosts = (await upstream.json()) as unknown;
        sendJson(res, 200, Array.isArray(hosts) ? hosts.map((host) => ({ host })) : []);
      },
    },
    {
      key: 'GET /science-portal/api/storage/raw/{user}',
      handler: ({ req, res }) => (authed(req) ? send(res, 200, JSON_TYPE, '{"quota":107374182400,"size":0}') : bffError(res, 401, 'Failed to fetch storage data')),
    },
  ];
}

/** The badgerfish whoami document, as far as the BFF reads it. */
interface WhoAmI {
  personalDetails?: { firstName?: { $?: string }; lastName?: { $?: string }; email?: { $?: string }; institute?: { $?: string } };
  posixDetails?: { username?: { $?: string }; uid?: { $?: number }; gid?: { $?: number }; homeDirectory?: { $?: string } };
  identities?: { $?: Array<{ identity?: { '@type'?: string; $?: string | number } }> };
  internalID?: { uri?: { $?: string } };
}

/** CANFAR mode's forwardAuthHeader (api-utils.ts:221-253): the caller's Authorization and Cookie, as they came. */
function forwarded(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  if (req.headers.authorization) out.authorization = req.headers.authorization;
  if (req.headers.cookie) out.cookie = req.headers.cookie;
  return out;
}

function sendJson(res: ServerResponse, status: number, doc: unknown): void {
  send(res, status, JSON_TYPE, JSON.stringify(doc));
}

/** The BFF's error body (api-utils.ts:24-38): `{error: <status name>, message, status, details?}`. */
function bffError(res: ServerResponse, status: number, message: string, details?: string): void {
  sendJson(res, status, { error: STATUS_CODES[status] ?? 'Error', message, status, ...(details !== undefined ? { details } : {}) });
}
