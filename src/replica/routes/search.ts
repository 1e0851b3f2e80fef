/**
 * Advanced Search (cadc-reference.md §3, §11 overrides): the page, its service lookup on its own
 * URL, `/search/find`, the target resolver, the Download Manager chooser (§4.3), and the argus TAP
 * service (`POST /argus/sync` → 303 → `/argus/sync/{id}/run`) that answers the page's TAP_SCHEMA and
 * data-train queries and the searches `/search/find` builds.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { mjdToIso, resolveTarget, type Observation } from '../data.ts';
import { redirect, send, type Route } from '../http.ts';
import { SEARCH_JS, searchPage } from '../search-page.ts';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const TAP_ID = 'ivo://cadc.nrc.ca/argus';
const TAP_STD = 'ivo://ivoa.net/std/TAP';
/** Search radius around a resolved target, degrees (?). */
const TARGET_RADIUS_DEG = 0.5;

export interface TapJob {
  id: string;
  query: string;
  format: string;
  maxrec: number;
  runId: string;
  createdAtMs: number;
}

/** The origin the caller used to reach us (the replica serves every host role from one origin). */
export function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

/** Credentialed CORS, as the real TAP service answers the search page's XHRs (§3.2). */
function cors(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
}

const csvCell = (v: string | number): string => (typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);

/** Minimal multipart/form-data reader for the text fields `/search/find` receives. */
export function multipartFields(req: IncomingMessage, body: string): Array<[string, string]> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return [...new URLSearchParams(body)];
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) return [];
  const out: Array<[string, string]> = [];
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/.exec(part.slice(0, split))?.[1];
    if (name === undefined) continue;
    out.push([name, part.slice(split + 4).replace(/\r\n$/, '')]);
  }
  return out;
}

const RESULT_HEADER = [
  'Preview', 'Collection', 'Obs. ID', 'Product ID', 'RA (J2016)', 'Dec. (J2016)', 'Start Date', 'Instrument', 'Int. Time',
  'Target Name', 'Filter', 'Cal. Lev.', 'Obs. Type', 'caom2:Plane.publisherID.downloadable',
];

function resultRow(o: Observation): string {
  return [
    `caom:${o.collection}/${o.observationID}`, o.collection, o.observationID, o.productID, o.ra, o.dec, mjdToIso(o.startMjd),
    o.instrument, o.exposure, o.targetName, o.filter, o.calibrationLevel, o.type, o.publisherID,
  ]
    .map(csvCell)
    .join(',');
}

/** Runs the ADQL the replica's `/search/find` writes: a CIRCLE around a target and/or collections. */
function runSearchQuery(all: readonly Observation[], query: string, maxrec: number): Observation[] {
  const circle = /CIRCLE\('ICRS',\s*([-\d.]+),\s*([-\d.]+),\s*([\d.]+)\)/i.exec(query);
  const collections = /Observation\.collection IN \(([^)]*)\)/i.exec(query)?.[1]?.match(/'([^']*)'/g)?.map((s) => s.slice(1, -1));
  const observationID = /Observation\.observationID = '([^']*)'/i.exec(query)?.[1];
  return all
    .filter((o) => {
      if (collections && !collections.includes(o.collection)) return false;
      if (observationID !== undefined && o.observationID !== observationID) return false;
      if (circle) {
        const [ra, dec, r] = [Number(circle[1]), Number(circle[2]), Number(circle[3])];
        const dRa = (o.ra - ra) * Math.cos((dec * Math.PI) / 180);
        if (Math.hypot(dRa, o.dec - dec) > r) return false;
      }
      return true;
    })
    .sort((a, b) => b.startMjd - a.startMjd)
    .slice(0, maxrec);
}

function tapSchemaColumns(): string {
  const cols = [
    ['caom2.Observation', 'collection', 'caom2:Observation.collection', 'char'],
    ['caom2.Observation', 'observationID', 'caom2:Observation.observationID', 'char'],
    ['caom2.Observation', 'instrument_name', 'caom2:Observation.instrument.name', 'char'],
    ['caom2.Plane', 'productID', 'caom2:Plane.productID', 'char'],
    ['caom2.Plane', 'position_bounds', 'caom2:Plane.position.bounds', 'double'],
    ['caom2.Plane', 'time_bounds_lower', 'caom2:Plane.time.bounds.lower', 'double'],
    ['caom2.Plane', 'energy_bandpassName', 'caom2:Plane.energy.bandpassName', 'char'],
    ['caom2.Plane', 'calibrationLevel', 'caom2:Plane.calibrationLevel', 'int'],
    ['caom2.Plane', 'publisherID', 'caom2:Plane.publisherID', 'char'],
  ];
  const rows = cols.map((c) => `<TR>${c.map((v) => `<TD>${v}</TD>`).join('')}</TR>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.3" version="1.3">
<RESOURCE type="results"><INFO name="QUERY_STATUS" value="OK"/>
<TABLE><FIELD name="table_name" datatype="char" arraysize="*"/><FIELD name="column_name" datatype="char" arraysize="*"/>
<FIELD name="utype" datatype="char" arraysize="*"/><FIELD name="datatype" datatype="char" arraysize="*"/>
<DATA><TABLEDATA>
${rows}
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
`;
}

function dataTrainCsv(all: readonly Observation[]): string {
  const counts = new Map<string, number>();
  for (const o of all) {
    const key = [o.emBand, o.collection, o.instrument, o.filter, o.calibrationLevel, o.dataProductType, o.type].map(csvCell).join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `energy_emBand,collection,instrument_name,energy_bandpassName,calibrationLevel,dataProductType,type,cs\n${[...counts].map(([k, n]) => `${k},${n}`).join('\n')}\n`;
}

function obsCoreTrainCsv(all: readonly Observation[]): string {
  const seen = new Set(all.map((o) => [o.dataProductType, o.collection, o.collection, o.instrument].map(csvCell).join(',')));
  return `dataproduct_type,obs_collection,facility_name,instrument_name,cs\n${[...seen].map((k) => `${k},1`).join('\n')}\n`;
}

const xmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function searchRoutes(ctx: ReplicaContext): Route[] {
  const jobs = new Map<string, TapJob>();
  const observations = ctx.data.observations;

  return [
    {
      // §11: the page looks the TAP service up on its own URL with ?serviceID=&standardID=.
      key: 'GET /en/search/',
      handler: ({ req, res, url }) => {
        const serviceID = url.searchParams.get('serviceID');
        if (serviceID === null) return send(res, 200, HTML, searchPage());
        const standardID = url.searchParams.get('standardID');
        if (!serviceID) return send(res, 400, JSON_TYPE, JSON.stringify({ error: { message: 'missing serviceID', parameter: 'serviceID' } }));
        if (serviceID !== TAP_ID || standardID !== TAP_STD) {
          return send(res, 404, JSON_TYPE, JSON.stringify({ error: { message: `not found: ${serviceID}`, parameter: 'serviceID' } }));
        }
        send(res, 200, JSON_TYPE, JSON.stringify({ serviceURL: `${originOf(req)}/argus` }));
      },
    },
    { key: 'GET /en/search', handler: ({ res, url }) => redirect(res, 301, `/en/search/${url.search}`) },
    { key: 'GET /search/js/cadc.search.replica.js', handler: ({ res }) => send(res, 200, 'text/javascript', SEARCH_JS) },
    {
      key: 'GET /en/search/json/tooltips_en.json',
      handler: ({ res }) =>
        send(res, 200, JSON_TYPE, JSON.stringify({ 'Plane.position.bounds': { tipHTML: 'Object name or coordinates' }, 'Observation.collection': { tipHTML: 'Data collection' } })),
    },
    { key: 'GET /cadcVOTV/images/{image}', handler: ({ res }) => send(res, 200, 'image/gif', Buffer.from('R0lGODlhAQABAAAAACw=', 'base64')) },
    {
      // §11: the resolver URL has a double slash and a double-encoded term; 425 = unresolved.
      key: 'GET /search/unitconversion//{field}',
      handler: ({ res, url }) => {
        const raw = url.searchParams.get('term') ?? '';
        let term = raw;
        try {
          term = decodeURIComponent(raw);
        } catch {
          /* keep raw */
        }
        const t = resolveTarget(term);
        if (!t) return send(res, 425, TEXT, 'NOT_FOUND');
        send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify({
            resolveStatus: 'GOOD',
            resolveValue: `target: ${t.name}\nRA: ${t.ra}\nDec: ${t.dec}\nRadius: 0.0\ncoordsys: ICRS\nservice: ${t.service}`,
            resolveTarget: t.name,
          }),
        );
      },
    },
    {
      key: 'POST /search/find',
      handler: async ({ req, res, body }) => {
        const fields = multipartFields(req, body);
        const get = (name: string) => fields.find(([k]) => k === name)?.[1]?.trim() ?? '';
        const where: string[] = [];
        const target = get('Plane.position.bounds@Shape1.value');
        if (target) {
          const coords = /^([-+]?\d+(?:\.\d+)?)[\s,]+([-+]?\d+(?:\.\d+)?)$/.exec(target);
          const resolved = coords ? { ra: Number(coords[1]), dec: Number(coords[2]) } : resolveTarget(target);
          if (!resolved) {
            // (?) wording: the real validation message for an unresolvable target is not quoted.
            return send(res, 200, JSON_TYPE, JSON.stringify({ errorMessage: `Could not resolve target name "${target}".` }));
          }
          where.push(`INTERSECTS( CIRCLE('ICRS', ${resolved.ra}, ${resolved.dec}, ${TARGET_RADIUS_DEG}), Plane.position_bounds ) = 1`);
        }
        const collections = fields.filter(([k]) => k === 'Observation.collection').map(([, v]) => v);
        if (collections.length) where.push(`Observation.collection IN ( ${collections.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ')} )`);
        const obsId = get('Observation.observationID@Text');
        if (obsId) where.push(`Observation.observationID = '${obsId.replace(/'/g, "''")}'`);
        const maxRecords = Number(get('MaxRecords')) || 11000;
        const query = `SELECT ${get('SelectList') || '*'} FROM caom2.Plane AS Plane JOIN caom2.Observation AS Observation ON Plane.obsID = Observation.obsID${where.length ? ` WHERE ( ${where.join(' AND ')} )` : ''}`;
        const runId = randomBytes(8).toString('hex');
        // The server POSTs TAP sync itself, does not follow the 303, and forwards the caller's cookie (§3.4).
        const tap = await fetch(`${originOf(req)}/argus/sync`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(req.headers.cookie ? { cookie: req.headers.cookie } : {}) },
          body: new URLSearchParams({ LANG: 'ADQL', FORMAT: 'csv', QUERY: query, MAXREC: String(maxRecords), RUNID: runId }).toString(),
        });
        const location = tap.headers.get('location');
        if (tap.status !== 303 || !location) return send(res, 500, TEXT, `Internal Server Error: TAP answered ${tap.status}`);
        send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify({
            results_url: location,
            job_url: location.replace(/\/run$/, ''),
            run_id: runId,
            display_units: { 'caom2:Plane.time.exposure': 's' },
            ...(target ? { pos: target } : {}),
          }),
        );
      },
    },
    {
      key: 'POST /argus/sync',
      handler: ({ req, res, body }) => {
        cors(req, res);
        const form = new URLSearchParams(body);
        const query = form.get('QUERY') ?? '';
        if ((form.get('LANG') ?? 'ADQL').toUpperCase() !== 'ADQL' || !query) return send(res, 400, TEXT, 'missing or unsupported LANG/QUERY');
        const job: TapJob = {
          id: randomBytes(10).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x'),
          query,
          format: (form.get('FORMAT') ?? 'votable').toLowerCase(),
          maxrec: Number(form.get('MAXREC')) || 11000,
          runId: form.get('RUNID') ?? '',
          createdAtMs: Date.now(),
        };
        jobs.set(job.id, job);
        redirect(res, 303, `${originOf(req)}/argus/sync/${job.id}/run`);
      },
    },
    {
      key: 'GET /argus/sync/{id}/run',
      handler: ({ req, res, params }) => {
        cors(req, res);
        const job = jobs.get(params.id ?? '');
        if (!job) return send(res, 404, TEXT, 'job not found');
        if (/TAP_SCHEMA\.columns/i.test(job.query)) return send(res, 200, 'application/x-votable+xml', tapSchemaColumns());
        if (/caom2\.obscoreenumfield/i.test(job.query)) return send(res, 200, 'text/csv', obsCoreTrainCsv(observations));
        if (/caom2\.enumfield/i.test(job.query)) return send(res, 200, 'text/csv', dataTrainCsv(observations));
        const rows = runSearchQuery(observations, job.query, job.maxrec);
        send(res, 200, 'text/csv', `${RESULT_HEADER.map(csvCell).join(',')}\n${rows.map(resultRow).join('\n')}${rows.length ? '\n' : ''}`);
      },
    },
    {
      key: 'GET /argus/sync/{id}',
      handler: ({ req, res, params }) => {
        cors(req, res);
        const job = jobs.get(params.id ?? '');
        if (!job) return send(res, 404, TEXT, 'job not found');
        send(
          res,
          200,
          'text/xml',
          `<?xml version="1.0" encoding="UTF-8"?>
<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0">
  <uws:jobId>${job.id}</uws:jobId>
  <uws:runId>${xmlEscape(job.runId)}</uws:runId>
  <uws:phase>COMPLETED</uws:phase>
  <uws:creationTime>${new Date(job.createdAtMs).toISOString()}</uws:creationTime>
  <uws:parameters>
    <uws:parameter id="LANG">ADQL</uws:parameter>
    <uws:parameter id="FORMAT">${xmlEscape(job.format)}</uws:parameter>
    <uws:parameter id="query">${xmlEscape(job.query)}</uws:parameter>
  </uws:parameters>
</uws:job>
`,
        );
      },
    },
    {
      // §4.3: without `method`, the Download Manager renders its chooser.
      key: 'POST /downloadManager/download',
      handler: ({ req, res, body }) => {
        const fields = multipartFields(req, body);
        const uris = fields.filter(([k]) => k === 'uri' || k === 'tuple').map(([, v]) => v);
        const runid = fields.find(([k]) => k === 'runid')?.[1] ?? '';
        const method = fields.find(([k]) => k === 'method')?.[1];
        if (!uris.length) return send(res, 400, TEXT, 'No URIs given.');
        if (method === 'URL List') return send(res, 200, TEXT, `${uris.map((u) => `${originOf(req)}/data/pub/${u.replace(/^ivo:\/\/cadc\.nrc\.ca\/([^?]+)\?[^/]+\/(.+)$/, '$1/$2')}.fits.fz`).join('\n')}\n`);
        if (method) return send(res, 501, TEXT, `${method}: not served by the replica`);
        send(res, 200, HTML, chooserPage(uris, runid));
      },
    },
  ];
}

function chooserPage(uris: string[], runid: string): string {
  const hidden = uris.map((u) => `<input type="hidden" name="tuple" value="${xmlEscape(u)}">`).join('\n  ');
  const methods = ['TAR', 'ZIP', 'Shell Script', 'URL List', 'HTML List'];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CADC Download Manager</title></head>
<body>
<h1>Download Manager</h1>
<p>Choose a download method for ${uris.length} file(s).</p>
<form id="downloadChooser" method="post" action="/downloadManager/download">
  ${hidden}
  <input type="hidden" name="runid" value="${xmlEscape(runid)}">
  ${methods.map((m) => `<button type="submit" name="method" value="${m}">${m}</button>`).join('\n  ')}
</form>
</body></html>
`;
}
