/**
 * Registry and VOSI (cadc-reference.md §1.3, §7): `/reg/resource-caps` and `/reg/applications` in
 * the Java-properties format, with every URL pointing back at the replica (the origin the request
 * came in on), and `/<svc>/availability` + `/<svc>/capabilities` for every service of §7.
 *
 * Faults work per route as everywhere: `GET /argus/availability=status:503` makes that service's
 * availability answer 503, which a VOSI client reads as "not available". Maintenance mode (§10):
 * `PUT /__replica/vosi/<svc>` with `{"note", "backAt"}` makes it answer `available=false` (and
 * `?detail=min` an empty 503) until `DELETE /__replica/vosi/<svc>`.
 */
import type { ServerResponse } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { originOf, send, type Route } from '../http.ts';

const XML = 'text/xml';
const TEXT = 'text/plain; charset=utf-8';

interface Service {
  /** Path segment: `/<path>/availability`. */
  path: string;
  /** Registry resourceID, when the registry lists it. */
  resourceID?: string;
  /** Service-specific capabilities: [standardID, access path under the origin, securityMethods]. */
  caps: Array<[string, string, string[]]>;
}

const COOKIE = 'ivo://ivoa.net/sso#cookie';
const TOKEN = 'ivo://ivoa.net/sso#token';
const CERT = 'ivo://ivoa.net/sso#tls-with-certificate';

/** A VOSpace service's capabilities that vos/vcp look up (vos cavern/…/capabilities.xml; vostools vos.py EndPoints). */
function vospaceCaps(svc: string): Service['caps'] {
  return [
    ['ivo://ivoa.net/std/VOSpace/v2.0#nodes', `/${svc}/nodes`, [COOKIE, TOKEN, CERT]],
    ['ivo://ivoa.net/std/VOSpace/v2.0#transfers', `/${svc}/transfers`, [COOKIE, TOKEN, CERT]],
    ['ivo://ivoa.net/std/VOSpace#sync-2.1', `/${svc}/synctrans`, [COOKIE, TOKEN, CERT]],
    ['ivo://ivoa.net/std/VOSpace#files-proto', `/${svc}/files`, [COOKIE, TOKEN, CERT]],
  ];
}

/** The services of §7 and their registry ids (§1.3). `(?)` marks ids the reference does not list. */
export const VOSI_SERVICES: readonly Service[] = [
  { path: 'reg', resourceID: 'ivo://cadc.nrc.ca/reg', caps: [['http://www.opencadc.org/std/reg#resource-caps', '/reg/resource-caps', []]] },
  { path: 'argus', resourceID: 'ivo://cadc.nrc.ca/argus', caps: [['ivo://ivoa.net/std/TAP', '/argus', [COOKIE, TOKEN, CERT]]] },
  { path: 'data', resourceID: 'ivo://cadc.nrc.ca/data', caps: [['http://www.opencadc.org/std/data#pub-1.0', '/data/pub', [COOKIE, TOKEN, CERT]]] }, // standardID (?)
  {
    path: 'ac',
    resourceID: 'ivo://cadc.nrc.ca/gms',
    caps: [
      ['ivo://ivoa.net/std/UMS#login-0.1', '/ac/login', []],
      ['ivo://ivoa.net/std/UMS#whoami-0.1', '/ac/whoami', [COOKIE, TOKEN, CERT]], // standardID (?)
      ['ivo://ivoa.net/std/UMS#users-0.1', '/ac/users', [COOKIE, TOKEN, CERT]], // standardID (?)
    ],
  },
  { path: 'vault', resourceID: 'ivo://cadc.nrc.ca/vault', caps: vospaceCaps('vault') },
  { path: 'arc', resourceID: 'ivo://cadc.nrc.ca/arc', caps: vospaceCaps('arc') },
  { path: 'youcat', resourceID: 'ivo://cadc.nrc.ca/youcat', caps: [['ivo://ivoa.net/std/TAP', '/youcat', [COOKIE, TOKEN, CERT]]] },
  {
    path: 'skaha',
    resourceID: 'ivo://cadc.nrc.ca/skaha',
    caps: [
      ['http://www.opencadc.org/std/platform#session-1', '/skaha/v1/session', [COOKIE, TOKEN, CERT]],
      ['http://www.opencadc.org/std/platform#context-1', '/skaha/v1/context', [COOKIE, TOKEN, CERT]],
      ['http://www.opencadc.org/std/platform#image-1', '/skaha/v1/image', [COOKIE, TOKEN, CERT]],
      ['http://www.opencadc.org/std/platform#repository-1', '/skaha/v1/repository', [COOKIE, TOKEN, CERT]],
    ],
  },
  { path: 'minoc', resourceID: 'ivo://cadc.nrc.ca/cadc/minoc', caps: [['http://www.opencadc.org/std/storage#files-1.0', '/minoc/files', [COOKIE, TOKEN, CERT]]] }, // standardID (?)
  { path: 'luskan', resourceID: 'ivo://cadc.nrc.ca/cadc/luskan', caps: [['ivo://ivoa.net/std/TAP', '/luskan', [COOKIE, TOKEN, CERT]]] },
  { path: 'raven', resourceID: 'ivo://cadc.nrc.ca/global/raven', caps: [['http://www.opencadc.org/std/storage#locate-1.0', '/raven/locate', [COOKIE, TOKEN, CERT]]] }, // standardID (?)
  { path: 'bifrost', resourceID: 'ivo://cadc.nrc.ca/bifrost', caps: [['ivo://ivoa.net/std/DataLink#links-1.1', '/bifrost/links', [COOKIE, TOKEN, CERT]]] }, // resourceID (?)
];

/** `/reg/applications` entries: feature id → page path (§1.3). */
const APPLICATIONS: Array<[string, string]> = [
  ['ivo://cadc.nrc.ca/login', '/en/login.html'],
  ['ivo://cadc.nrc.ca/search', '/en/search'],
  ['ivo://cadc.nrc.ca/download', '/en/download'],
  ['ivo://cadc.nrc.ca/groups', '/en/groups/'],
  ['ivo://cadc.nrc.ca/passreset', '/en/auth/resetPassword.html'],
  ['ivo://cadc.nrc.ca/acctrequest', '/en/auth/request.html'],
  ['ivo://cadc.nrc.ca/canfar-dashboard', '/'],
];


export function resourceCaps(origin: string): string {
  const lines = [
    '# perfpulse-journeys replica registry: resourceID = capabilities URL (cadc-reference.md §1.3)',
    `# generated ${new Date().toISOString()}`,
    ...VOSI_SERVICES.filter((s) => s.resourceID).map((s) => `${s.resourceID} = ${origin}/${s.path}/capabilities`),
  ];
  return `${lines.join('\n')}\n`;
}

function applications(origin: string): string {
  return `# perfpulse-journeys replica applications: feature id = page URL\n${APPLICATIONS.map(([id, p]) => `${id} = ${origin}${p}`).join('\n')}\n`;
}

/** A service in maintenance mode (§10): `available=false`, with a note and when it is back. */
export interface Downtime {
  note?: string;
  backAt?: string;
}

/** Per replica: services switched to maintenance mode with `PUT /__replica/vosi/{svc}`. */
const downtimes = new WeakMap<ReplicaContext, Map<string, Downtime>>();

function downtimeOf(ctx: ReplicaContext): Map<string, Downtime> {
  let m = downtimes.get(ctx);
  if (!m) downtimes.set(ctx, (m = new Map()));
  return m;
}

/**
 * VOSI availability (§7): XML, or with `?detail=min` the heartbeat only: an empty 200, or an
 * empty 503 while the service is down. A route fault (`status:503`) still overrides both.
 */
export function availability(res: ServerResponse, url: URL, down?: Downtime): void {
  if (url.searchParams.get('detail') === 'min') return send(res, down ? 503 : 200, 'text/plain', '');
  const extra = down
    ? `${down.backAt ? `\n  <vosi:backAt>${escapeXml(down.backAt)}</vosi:backAt>` : ''}\n  <vosi:note>${escapeXml(down.note ?? 'service is down for maintenance')}</vosi:note>`
    : '\n  <vosi:note>service is accepting requests</vosi:note>';
  send(
    res,
    200,
    XML,
    `<?xml version="1.0" encoding="UTF-8"?>
<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">
  <vosi:available>${down ? 'false' : 'true'}</vosi:available>${extra}
</vosi:availability>
<!-- <clientip>127.0.0.1</clientip> -->
`,
  );
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function capabilityXml(standardID: string, accessUrl: string, security: string[]): string {
  const sec = security.length ? security.map((s) => `      <securityMethod standardID="${s}"/>`).join('\n') : '      <securityMethod/>';
  return `  <capability standardID="${escapeXml(standardID)}">
    <interface xsi:type="vs:ParamHTTP" role="std">
      <accessURL use="base">${escapeXml(accessUrl)}</accessURL>
${sec}
    </interface>
  </capability>`;
}

export function capabilities(origin: string, svc: Service): string {
  const base = `${origin}/${svc.path}`;
  const caps = [
    capabilityXml('ivo://ivoa.net/std/VOSI#capabilities', `${base}/capabilities`, []),
    capabilityXml('ivo://ivoa.net/std/VOSI#availability', `${base}/availability`, []),
    ...svc.caps.map(([id, p, sec]) => capabilityXml(id, `${origin}${p}`, sec)),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
${caps.join('\n')}
</vosi:capabilities>
`;
}

export function vosiRoutes(ctx: ReplicaContext): Route[] {
  const down = downtimeOf(ctx);
  return [
    // replica-only: maintenance mode per service; body {"note": "...", "backAt": "<UTC>"}, DELETE ends it
    {
      key: 'PUT /__replica/vosi/{svc}',
      handler: ({ res, params, body }) => {
        down.set(params.svc ?? '', JSON.parse(body || '{}') as Downtime);
        send(res, 204, TEXT, '');
      },
    },
    {
      key: 'DELETE /__replica/vosi/{svc}',
      handler: ({ res, params }) => {
        down.delete(params.svc ?? '');
        send(res, 204, TEXT, '');
      },
    },
    { key: 'GET /reg/resource-caps', handler: ({ req, res }) => send(res, 200, TEXT, resourceCaps(originOf(req))) },
    { key: 'GET /reg/applications', handler: ({ req, res }) => send(res, 200, TEXT, applications(originOf(req))) },
    // /access has only availability (§7)
    { key: 'GET /access/availability', handler: ({ res, url }) => availability(res, url, down.get('access')) },
    ...VOSI_SERVICES.flatMap((svc): Route[] => [
      { key: `GET /${svc.path}/availability`, handler: ({ res, url }) => availability(res, url, down.get(svc.path)) },
      { key: `GET /${svc.path}/capabilities`, handler: ({ req, res }) => send(res, 200, XML, capabilities(originOf(req), svc)) },
    ]),
  ];
}
