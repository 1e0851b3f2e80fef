/**
 * Advanced Search (cadc-reference.md §3, §11, §12): the page, its service lookup on its own URL,
 * `/search/find`, the target resolver, the Download Manager chooser (§4.3), and the argus TAP
 * service (`POST /argus/sync` → 303 → `/argus/sync/{id}/run`) that answers the page's TAP_SCHEMA and
 * data-train queries and the searches `/search/find` builds. Where the reference and caom2ui's code
 * (opencadc/caom2ui@1214fb8) or the Download Manager's (opencadc/apps@515b1ef) differ, the code wins;
 * the comments name the file.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ReplicaContext } from '../context.ts';
import { resolveTarget, type Observation } from '../data.ts';
import { originOf, redirect, send, type Route } from '../http.ts';
import { SEARCH_JS, searchPage } from '../search-page.ts';

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';
const TAP_ID = 'ivo://cadc.nrc.ca/argus';
const TAP_STD = 'ivo://ivoa.net/std/TAP';
/**
 * Search radius around a resolved target, degrees: the resolver's radius is 0, which Shape1.isValid
 * turns into 1 arcminute (caom2-search-server/…/search/form/Shape1.java:291-296).
 */
export const TARGET_RADIUS_DEG = 1 / 60;

export interface TapJob {
  id: string;
  query: string;
  format: string;
  maxrec: number;
  runId: string;
  createdAtMs: number;
  /** The parameters as posted, names and order kept (the UWS job echoes them). */
  parameters: Array<[string, string]>;
}

/** The origin the caller used to reach us (../http.ts; the routes that imported it from here still do). */
export { originOf };

/** Credentialed CORS, as the real TAP service answers the search page's XHRs (§3.2). */
function cors(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
}

/** A CSV cell: numbers bare, strings quoted, NULL empty. */
const csvCell = (v: string | number | null): string => (v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);

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

/**
 * Plane.position_bounds of every replica observation: a circle of this radius (degrees) around its
 * centre, the size of a MegaPrime-like field. `INTERSECTS(CIRCLE(…), Plane.position_bounds)` is
 * evaluated against it.
 */
export const FOOTPRINT_RADIUS_DEG = 0.25;

/**
 * The value of one SELECT-list expression for an observation, as the TAP service (argus) would
 * compute it; null (an empty CSV cell) for what the replica does not model. Keys are the expression
 * with spaces removed, lower case.
 */
const COLUMN_VALUES: Record<string, (o: Observation) => string | number | null> = {
  'observation.observationuri': (o) => `caom:${o.collection}/${o.observationID}`,
  'observation.uri': (o) => `caom:${o.collection}/${o.observationID}`,
  'observation.collection': (o) => o.collection,
  'observation.observationid': (o) => o.observationID,
  'observation.sequencenumber': (o) => (/^\d+$/.test(o.observationID) ? Number(o.observationID) : null),
  'plane.productid': (o) => o.productID,
  'coord1(centroid(plane.position_bounds))': (o) => o.ra,
  'coord2(centroid(plane.position_bounds))': (o) => o.dec,
  'observation.target_name': (o) => o.targetName,
  'plane.time_bounds_lower': (o) => o.startMjd,
  'plane.time_bounds_upper': (o) => Number((o.startMjd + o.exposure / 86_400).toFixed(5)),
  'plane.time_exposure': (o) => o.exposure,
  'observation.instrument_name': (o) => o.instrument,
  'plane.energy_bandpassname': (o) => o.filter,
  'plane.calibrationlevel': (o) => o.calibrationLevel,
  'observation.type': (o) => o.type,
  'observation.intent': () => 'science',
  'plane.dataproducttype': (o) => o.dataProductType,
  'plane.energy_emband': (o) => o.emBand,
  'area(plane.position_bounds)': () => Number((Math.PI * FOOTPRINT_RADIUS_DEG ** 2).toFixed(6)),
  // argus' isDownloadable(): the publisherID when the caller may download the plane, else null.
  'isdownloadable(plane.publisherid)': (o) => o.publisherID,
  'plane.publisherid': (o) => o.publisherID,
};

/** `expr [AS "Label"]` items of a SELECT list, split at top-level commas. */
export function selectItems(list: string): Array<{ expr: string; label: string }> {
  const items: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (const c of list) {
    if (c === '"') quote = !quote;
    if (!quote && c === '(') depth++;
    if (!quote && c === ')') depth--;
    if (!quote && depth === 0 && c === ',') {
      items.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) items.push(cur);
  return items.map((item) => {
    const m = /^\s*([\s\S]*?)\s+AS\s+"([^"]*)"\s*$/i.exec(item);
    const expr = (m ? (m[1] as string) : item).trim();
    return { expr, label: m ? (m[2] as string) : expr.slice(expr.lastIndexOf('.') + 1) };
  });
}

/** The SELECT list of a query, `*` as the default columns. */
function columnsOf(query: string): Array<{ label: string; value: (o: Observation) => string | number | null }> {
  const list = /^\s*SELECT\s+([\s\S]*?)\s+FROM\s/i.exec(query)?.[1] ?? '*';
  const items = list.trim() === '*' ? selectItems(DEFAULT_SELECT) : selectItems(list);
  return items.map(({ expr, label }) => ({ label, value: COLUMN_VALUES[expr.replace(/\s+/g, '').toLowerCase()] ?? (() => null) }));
}

/** The page's default CAOM-2 select list, shortened (what `SELECT *` returns here). */
const DEFAULT_SELECT =
  'Observation.observationURI AS "Preview", Observation.collection AS "Collection", Observation.observationID AS "Obs. ID", Plane.productID AS "Product ID", ' +
  'Plane.time_bounds_lower AS "Start Date", isDownloadable(Plane.publisherID) AS "DOWNLOADABLE", Plane.publisherID AS "Publisher ID"';

/** Runs the ADQL the replica's `/search/find` writes: a CIRCLE around a target, a target name, data-train values. */
function runSearchQuery(all: readonly Observation[], query: string, maxrec: number): Observation[] {
  const circle = /CIRCLE\('ICRS',\s*([-\d.]+),\s*([-\d.]+),\s*([\d.]+)\)/i.exec(query);
  const targetName = /lower\(Observation\.target_name\) = '((?:[^']|'')*)'/i.exec(query)?.[1]?.replace(/''/g, "'");
  const observationID = /Observation\.observationID = '((?:[^']|'')*)'/i.exec(query)?.[1]?.replace(/''/g, "'");
  const enumerated = [...query.matchAll(/(\w+\.\w+) IN \(([^)]*)\)/gi)].map((m) => ({
    field: HIERARCHY_FIELDS[(m[1] as string).toLowerCase()],
    values: ((m[2] as string).match(/'((?:[^']|'')*)'/g) ?? []).map((v) => v.slice(1, -1).replace(/''/g, "'")),
  }));
  return all
    .filter((o) => {
      for (const { field, values } of enumerated) if (field && !values.includes(String(o[field]))) return false;
      if (observationID !== undefined && o.observationID !== observationID) return false;
      if (targetName !== undefined && o.targetName.toLowerCase() !== targetName.toLowerCase()) return false;
      if (circle) {
        const [ra, dec, r] = [Number(circle[1]), Number(circle[2]), Number(circle[3])];
        const dRa = (o.ra - ra) * Math.cos((dec * Math.PI) / 180);
        if (Math.hypot(dRa, o.dec - dec) > r + FOOTPRINT_RADIUS_DEG) return false;
      }
      return true;
    })
    .slice(0, maxrec); // no ORDER BY: the TAP service answers in its own order (caom2ui sorts in the grid)
}

/** The data train's utypes → ADQL column (Plane.x_y / Observation.x_y) → Observation field. */
const HIERARCHY: Array<[utype: string, column: string, field: keyof Observation]> = [
  ['Plane.energy.emBand', 'Plane.energy_emBand', 'emBand'],
  ['Observation.collection', 'Observation.collection', 'collection'],
  ['Observation.instrument.name', 'Observation.instrument_name', 'instrument'],
  ['Plane.energy.bandpassName', 'Plane.energy_bandpassName', 'filter'],
  ['Plane.calibrationLevel', 'Plane.calibrationLevel', 'calibrationLevel'],
  ['Plane.dataProductType', 'Plane.dataProductType', 'dataProductType'],
  ['Observation.type', 'Observation.type', 'type'],
];
const HIERARCHY_FIELDS: Record<string, keyof Observation> = Object.fromEntries(HIERARCHY.map(([, c, f]) => [c.toLowerCase(), f]));

/**
 * argus' TAP_SCHEMA.columns rows for the CAOM-2 columns the page selects: `[table, column, utype,
 * datatype]`. The page builds its result grid's metadata from these rows, one field per utype it knows
 * (cadc.search.form.js FormConfiguration.addField), and reads the CSV by position; a utype missing
 * here shifts every later column. RA, Dec and field of view come from `Plane.position.bounds`, the
 * downloadable flag from `Plane.publisherID` (addField's two special cases).
 */
const TAP_SCHEMA_COLUMNS: Array<[string, string, string, string]> = [
  ...(
    [
      ['observationURI', 'uri', 'char'],
      ['collection', 'collection', 'char'],
      ['observationID', 'observationID', 'char'],
      ['sequenceNumber', 'sequenceNumber', 'int'],
      ['algorithm_name', 'algorithm.name', 'char'],
      ['type', 'type', 'char'],
      ['intent', 'intent', 'char'],
      ['proposal_id', 'proposal.id', 'char'],
      ['proposal_pi', 'proposal.pi', 'char'],
      ['proposal_project', 'proposal.project', 'char'],
      ['proposal_title', 'proposal.title', 'char'],
      ['proposal_keywords', 'proposal.keywords', 'char'],
      ['target_name', 'target.name', 'char'],
      ['target_type', 'target.type', 'char'],
      ['target_standard', 'target.standard', 'int'],
      ['target_moving', 'target.moving', 'int'],
      ['target_keywords', 'target.keywords', 'char'],
      ['instrument_name', 'instrument.name', 'char'],
      ['instrument_keywords', 'instrument.keywords', 'char'],
      ['requirements_flag', 'requirements.flag', 'char'],
    ] as const
  ).map(([c, u, t]): [string, string, string, string] => ['caom2.Observation', c, `caom2:Observation.${u}`, t]),
  ...(
    [
      ['productID', 'productID', 'char'],
      ['publisherID', 'publisherID', 'char'],
      ['dataRelease', 'dataRelease', 'char'],
      ['dataProductType', 'dataProductType', 'char'],
      ['calibrationLevel', 'calibrationLevel', 'int'],
      ['provenance_name', 'provenance.name', 'char'],
      ['provenance_version', 'provenance.version', 'char'],
      ['provenance_project', 'provenance.project', 'char'],
      ['provenance_runID', 'provenance.runID', 'char'],
      ['provenance_lastExecuted', 'provenance.lastExecuted', 'char'],
      ['position_bounds', 'position.bounds', 'double'],
      ['position_resolution', 'position.resolution', 'double'],
      ['position_sampleSize', 'position.sampleSize', 'double'],
      ['energy_emBand', 'energy.emBand', 'char'],
      ['energy_bounds_lower', 'energy.bounds.lower', 'double'],
      ['energy_bounds_upper', 'energy.bounds.upper', 'double'],
      ['energy_bandpassName', 'energy.bandpassName', 'char'],
      ['energy_resolvingPower', 'energy.resolvingPower', 'double'],
      ['energy_restwav', 'energy.restwav', 'double'],
      ['energy_transition_species', 'energy.transition.species', 'char'],
      ['energy_transition_transition', 'energy.transition.transition', 'char'],
      ['time_bounds_lower', 'time.bounds.lower', 'double'],
      ['time_bounds_upper', 'time.bounds.upper', 'double'],
      ['time_exposure', 'time.exposure', 'double'],
    ] as const
  ).map(([c, u, t]): [string, string, string, string] => ['caom2.Plane', c, `caom2:Plane.${u}`, t]),
];

function tapSchemaColumns(): string {
  const rows = TAP_SCHEMA_COLUMNS.map((c) => `<TR>${c.map((v) => `<TD>${v}</TD>`).join('')}</TR>`).join('\n');
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

const ENUM_COLUMNS: Record<string, (o: Observation) => string | number> = {
  energy_emband: (o) => o.emBand,
  collection: (o) => o.collection,
  instrument_name: (o) => o.instrument,
  energy_bandpassname: (o) => o.filter,
  calibrationlevel: (o) => o.calibrationLevel,
  dataproducttype: (o) => o.dataProductType,
  type: (o) => o.type,
  dataproduct_type: (o) => o.dataProductType,
  obs_collection: (o) => o.collection,
  facility_name: (o) => o.collection,
};

/**
 * The data-train query hierarchy.js sends (`SELECT <columns>, (CASE WHEN <max date> >= <mjd> THEN 1
 * ELSE 0 END) as cs FROM caom2.enumfield GROUP BY <columns>, cs`): one row per distinct combination,
 * `cs` 1 when its newest observation starts at or after the threshold (a "fresh" instrument).
 */
function dataTrainCsv(all: readonly Observation[], query: string): string {
  const columns = (/^\s*SELECT\s+([\s\S]*?)\s*,\s*\(\s*CASE/i.exec(query)?.[1] ?? '').split(',').map((c) => c.trim());
  const threshold = Number(/>=\s*([\d.]+)/.exec(query)?.[1] ?? Infinity);
  const newest = new Map<string, number>();
  for (const o of all) {
    const key = columns.map((c) => csvCell(ENUM_COLUMNS[c.toLowerCase()]?.(o) ?? '')).join(',');
    newest.set(key, Math.max(newest.get(key) ?? -Infinity, o.startMjd));
  }
  const rows = [...newest].map(([k, mjd]) => `${k},${mjd >= threshold ? 1 : 0}`);
  return `${[...columns, 'cs'].join(',')}\n${rows.join('\n')}\n`;
}

const xmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The Download Manager's method buttons (opencadc/apps cadc-download-manager-server chooser.jsp:187-234, downloadManagerBundle_en.properties). */
export const CHOOSER_METHODS: Array<[value: string, label: string]> = [
  ['TAR', 'TAR file'],
  ['ZIP', 'ZIP file'],
  ['Java Webstart', 'Java Webstart'],
  ['Shell Script', 'Shell Script access'],
  ['URL List', 'URL list in a file'],
  ['HTML List', 'URL list on an HTML page'],
];

export function searchRoutes(ctx: ReplicaContext): Route[] {
  const jobs = new Map<string, TapJob>();
  const observations = ctx.data.observations;

  const download: Route['handler'] = ({ req, res, body }) => {
    const fields = multipartFields(req, body);
    // DLMInputHandler: `uri` from an external post, `tuple` (uri{pos}{band}{label}) from the chooser.
    const uris = fields.flatMap(([k, v]) => (k === 'uri' ? [v] : k === 'tuple' ? [v.replace(/\{[^}]*\}\{[^}]*\}\{[^}]*\}$/, '')] : []));
    const runid = fields.find(([k]) => k === 'runid')?.[1];
    const method = fields.find(([k]) => k === 'method')?.[1];
    if (!uris.length) return send(res, 200, HTML, emptySubmitPage());
    if (method === 'URL List') return send(res, 200, TEXT, `${uris.map((u) => `${originOf(req)}/data/pub/${u.replace(/^ivo:\/\/cadc\.nrc\.ca\/([^?]+)\?[^/]+\/(.+)$/, '$1/$2')}.fits.fz`).join('\n')}\n`);
    if (method && CHOOSER_METHODS.some(([v]) => v === method)) return send(res, 501, TEXT, `${method}: not served by the replica`);
    send(res, 200, HTML, chooserPage(uris, runid));
  };

  return [
    {
      // §11: the page looks the TAP service up on its own URL with ?serviceID=&standardID=; the
      // answers are CookieServiceLocatorServlet's (caom2-search-server/…/CookieServiceLocatorServlet.java:165-220).
      key: 'GET /en/search/',
      handler: ({ req, res, url }) => {
        const serviceID = url.searchParams.get('serviceID');
        if (serviceID === null) return send(res, 200, HTML, searchPage());
        const standardID = url.searchParams.get('standardID');
        const missing = (parameter: string) => send(res, 400, JSON_TYPE, JSON.stringify({ error: { message: 'Missing parameter.', parameter } }));
        if (!serviceID.trim()) return missing('serviceID');
        if (!standardID?.trim()) return missing('standardID');
        if (serviceID !== TAP_ID || standardID !== TAP_STD) {
          return send(res, 404, JSON_TYPE, JSON.stringify({ error: { message: `No service URL found for serviceID=${serviceID} and standardID=${standardID}.` } }));
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
    { key: 'GET /en/search/cadcVOTV/images/{image}', handler: ({ res }) => send(res, 200, 'image/gif', Buffer.from('R0lGODlhAQABAAAAACw=', 'base64')) },
    {
      // UnitConversionServlet.writeJSON (…/search/UnitConversionServlet.java:133-160): an empty term is
      // `[]`; a target is resolved (writeTargetResolution, :502-521), GOOD or NOT_FOUND, always 200.
      // The page's URL has a double slash (`/search/unitconversion/` + `/` + id) and a double-encoded term.
      key: 'GET /search/unitconversion/{field+}',
      handler: ({ res, url, params }) => {
        const field = (params.field ?? '').replace(/^\/+/, '');
        const raw = url.searchParams.get('term') ?? '';
        let term = raw;
        try {
          term = decodeURIComponent(raw);
        } catch {
          /* keep raw */
        }
        if (!term.trim()) return send(res, 200, JSON_TYPE, '[]');
        if (field !== 'Plane.position.bounds' && field !== 'Char.SpatialAxis.Coverage.Support.Area') {
          return send(res, 200, JSON_TYPE, JSON.stringify([term])); // unit conversions are not modelled: the value as typed
        }
        const t = resolveTarget(term);
        if (!t) return send(res, 200, JSON_TYPE, JSON.stringify({ resolveStatus: 'NOT_FOUND', resolveValue: '', resolveTarget: '' }));
        send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify({
            resolveStatus: 'GOOD',
            resolveValue: `target: ${t.name}\nDec: ${t.dec}\nRA: ${t.ra}\nRadius: N/A\ncoordsys: ICRS\nservice: ${t.service}`,
            resolveTarget: t.name,
          }),
        );
      },
    },
    {
      // The search job (SyncPostAction → AdvancedRunner → TAPSearcher.runSearch, …/tap/TAPSearcher.java:173-226).
      key: 'POST /search/find',
      handler: async ({ req, res, body }) => {
        const fields = multipartFields(req, body);
        const get = (name: string) => fields.find(([k]) => k === name)?.[1]?.trim() ?? '';
        const where: string[] = [];
        // An invalid constraint makes TAPSearcher.search (:131-155) answer 200 {errorMessage: FormErrors.toString()},
        // e.g. `Plane.time.bounds.samples@Date[<DateParser's message> ] ` (FormErrors.java:190-211, Date.java:254-270).
        // Which dates DateParser takes is not modelled: ISO dates, MJDs and `a..b` ranges pass (and do not
        // constrain the replica's search), anything else is refused with "Unable to parse <value>".
        const date = get('Plane.time.bounds.samples@Date.value');
        if (date && !/^(\s*(\d{4}-\d{2}-\d{2}([ T][\d:.]+)?|\d+(\.\d+)?)?\s*(\.\.)?\s*)+$/.test(date)) {
          return send(res, 200, JSON_TYPE, JSON.stringify({ errorMessage: `Plane.time.bounds.samples@Date[Unable to parse ${date} ] ` }));
        }
        const target = get('Plane.position.bounds@Shape1.value');
        const resolver = get('Plane.position.bounds@Shape1Resolver.value') || 'ALL';
        if (target) {
          const coords = /^([-+]?\d+(?:\.\d+)?)[\s,]+([-+]?\d+(?:\.\d+)?)$/.exec(target);
          const resolved = coords ? { ra: Number(coords[1]), dec: Number(coords[2]) } : resolver === 'NONE' ? undefined : resolveTarget(target);
          // Shape1.isValid (:250-316): a name the resolvers do not know is still valid and becomes a
          // plain target-name search (Shape1.java:228-233), not an error.
          if (resolved) where.push(`INTERSECTS( CIRCLE('ICRS', ${resolved.ra}, ${resolved.dec}, ${TARGET_RADIUS_DEG}), Plane.position_bounds ) = 1`);
          else where.push(`lower(Observation.target_name) = '${target.toLowerCase().replace(/'/g, "''")}'`);
        }
        for (const [utype, column] of HIERARCHY) {
          const values = fields.filter(([k, v]) => k === utype && v !== '').map(([, v]) => v);
          if (values.length) where.push(`${column} IN ( ${values.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ')} )`);
        }
        const obsId = get('Observation.observationID');
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
        // `pos` only when a spatial cutout is asked for (TAPSearcher.java:205-219).
        const cutout = get('Plane.position.DOWNLOADCUTOUT') === 'on' && target;
        send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify({
            results_url: location,
            job_url: location.slice(0, location.indexOf('/run')),
            run_id: runId,
            display_units: {},
            ...(cutout ? { pos: target } : {}),
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
          parameters: [...form],
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
        if (/caom2\.(obscore)?enumfield/i.test(job.query)) return send(res, 200, 'text/csv', dataTrainCsv(observations, job.query));
        const rows = runSearchQuery(observations, job.query, job.maxrec);
        const columns = columnsOf(job.query);
        const lines = [columns.map((c) => csvCell(c.label)), ...rows.map((o) => columns.map((c) => csvCell(c.value(o))))].map((r) => r.join(','));
        send(res, 200, 'text/csv', `${lines.join('\n')}\n`);
      },
    },
    {
      key: 'GET /argus/sync/{id}',
      handler: ({ req, res, params }) => {
        cors(req, res);
        const job = jobs.get(params.id ?? '');
        if (!job) return send(res, 404, TEXT, 'job not found');
        // UWS job parameters keep the names they were posted with (`QUERY`, `LANG`, …):
        // cadc.search.uws.js:202-205 and cadc.search.app.js:304 read `QUERY`.
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
${job.parameters.map(([k, v]) => `    <uws:parameter id="${xmlEscape(k)}">${xmlEscape(v)}</uws:parameter>`).join('\n')}
  </uws:parameters>
</uws:job>
`,
        );
      },
    },
    {
      // The search app's DataLink proxy (cadc-reference.md §4.2; cadc.search.columns.js asks it for each
      // row's previews and one-click link): one `#this` link per plane, to its /data/pub file.
      key: 'GET /search/datalink',
      handler: ({ req, res, url }) => {
        const id = url.searchParams.get('id') ?? '';
        const o = observations.find((x) => x.publisherID === id);
        const fields = ['ID', 'access_url', 'service_def', 'error_message', 'semantics', 'local_semantics', 'description', 'content_type', 'content_length', 'content_qualifier', 'link_auth', 'link_authorized'];
        const row = o
          ? [id, `${originOf(req)}/data/pub/${o.collection}/${o.productID}.fits.fz`, '', '', '#this', '', 'file', 'application/fits', '', '', 'false', 'true']
          : [id, '', '', `NotFoundFault: ${id}`, '#this', '', '', '', '', '', 'false', 'false'];
        send(
          res,
          200,
          'application/x-votable+xml;content=datalink',
          `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.3" version="1.3">
<RESOURCE type="results"><TABLE>
${fields.map((f) => `<FIELD name="${f}" datatype="char" arraysize="*"/>`).join('\n')}
<DATA><TABLEDATA><TR>${row.map((v) => `<TD>${xmlEscape(v)}</TD>`).join('')}</TR></TABLEDATA></DATA>
</TABLE></RESOURCE></VOTABLE>
`,
        );
      },
    },
    // §4.3; opencadc/apps DispatcherServlet.doPost: no `method` → chooser.jsp; the chooser's form posts to
    // DOWNLOAD_LINK (/en/download/, downloadManagerBundle_en.properties:3), the same dispatcher.
    { key: 'POST /downloadManager/download', handler: download },
    { key: 'POST /en/download/', handler: download },
  ];
}

/** chooser.jsp (opencadc/apps cadc-download-manager-server/…/chooser.jsp:150-244), without the site skin. */
function chooserPage(uris: string[], runid: string | undefined): string {
  const hidden = uris.map((u) => `<input type="hidden" name="tuple" value="${xmlEscape(u)}{}{}{}" />`).join('\n      ');
  const buttons = CHOOSER_METHODS.map(
    ([value, label]) => `<div class="span-4">
        <button class="button font-medium" name="method" value="${value}" type="submit">${label}</button>
      </div>`,
  ).join('\n      ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Download Manager</title></head>
<body>
  <h1 id="wb-cont" class="wb-invisible">Download Manager</h1>
  <h2>Choose one of the following download methods:</h2>
  <br/>
  <form action="/en/download/" method="POST">
      ${hidden}
      ${runid !== undefined ? `<input type="hidden" name="runid" value="${xmlEscape(runid)}" />` : ''}
    <div class="grid-12">
      ${buttons}
    </div>
  </form>
</body></html>
`;
}

/** emptySubmit.jsp (opencadc/apps cadc-download-manager-server/…/emptySubmit.jsp): no file was selected. */
function emptySubmitPage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Download Manager</title></head>
<body>
<h2>No datasets found</h2>
<p>You have not selected any datasets to download, or there are validation errors such that no valid datasets can be found.</p>
</body></html>
`;
}
