/**
 * CADC service probes (`perfpulse-journeys probe http`): for each service of the env profile, VOSI
 * availability (parsed) and capabilities, plus the registry's resource-caps, the `ac` token login,
 * a tiny TAP sync query, the `/data/pub` redirect and the skaha session list, each with the real
 * paths of cadc-reference.md. Every call has a hard deadline and does not follow redirects (a
 * redirect is part of what is measured). Passwords and tokens never reach a log line or a label.
 */
import pLimit from 'p-limit';
import { Registry } from 'prom-client';
import { gaugeOf } from '../../metrics/instruments.ts';
import type { Credentials } from '../../config/credentials.ts';
import type { EnvProfile, UrlRole } from '../../config/profile.ts';
import { API_PROBES_JOB, PROBE_METRICS } from '../../metrics/catalog-probes.ts';
import type { Deliver, ProbeDelivery } from '../deliver.ts';
import { capabilityIds, parseAvailability, parseRegistry } from './vosi.ts';

/** Services the probes know: the `service` label → host role and path (cadc-reference.md §1, §7). */
export const HTTP_SERVICES: Record<string, { role: UrlRole; path: string; capabilities: boolean }> = {
  access: { role: 'www', path: '/access', capabilities: false }, // /access has only /availability (§7)
  reg: { role: 'ws', path: '/reg', capabilities: true },
  argus: { role: 'ws', path: '/argus', capabilities: true },
  data: { role: 'ws', path: '/data', capabilities: true },
  ac: { role: 'ws_cadc', path: '/ac', capabilities: true },
  skaha: { role: 'ws_uv', path: '/skaha', capabilities: true },
  arc: { role: 'ws_uv', path: '/arc', capabilities: true },
  youcat: { role: 'ws_uv', path: '/youcat', capabilities: true },
};

export const DEFAULT_HTTP_SERVICES = ['access', 'reg', 'argus', 'data', 'ac', 'skaha', 'arc'];
/** The production example of §4.1; a profile's `probes.http.data_file` overrides it. */
export const DEFAULT_DATA_FILE = 'CFHT/1722795p.fits.fz';
/** A tiny ADQL query every CAOM TAP service answers. */
export const TAP_QUERY = "SELECT TOP 1 column_name FROM TAP_SCHEMA.columns WHERE table_name = 'caom2.Observation'";

export type ProbeName = 'availability' | 'capabilities' | 'resource_caps' | 'token_login' | 'tap_sync_query' | 'data_pub_redirect' | 'session_list';

export interface ProbeOutcome {
  service: string;
  probe: ProbeName;
  /** Undefined when the probe was skipped (no credentials, route not on the replica). */
  ok?: boolean;
  ms?: number;
  /** VOSI availability as read (availability probe only). */
  available?: boolean;
  detail: string;
}

export interface HttpProbeOptions {
  profile: EnvProfile;
  services: string[];
  credentials?: Credentials;
  dataFile: string;
  timeoutMs: number;
  concurrency: number;
  deliver: Deliver;
  log: (line: string) => void;
  /**
   * When the targets are a bundled replica: does it serve `METHOD path`? Probes of routes it lacks
   * are skipped (logged), so they start running as soon as the replica grows the route.
   */
  replicaServes?: (method: string, path: string) => boolean;
}

export interface HttpProbeReport {
  outcomes: ProbeOutcome[];
  deliveries: ProbeDelivery[];
  failures: number;
}

interface Timed {
  res: Response;
  body: string;
  ms: number;
}

/** One request, no redirects followed, body read (or dropped), with a hard deadline. */
async function timedFetch(url: string, init: RequestInit, timeoutMs: number, readBody = true): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  let body = '';
  if (readBody) body = await res.text();
  else await res.body?.cancel();
  return { res, body, ms: performance.now() - t0 };
}

function describeError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer before the timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

const oneLine = (s: string, n = 160) => s.replace(/\s+/g, ' ').trim().slice(0, n);

export async function runHttpProbes(o: HttpProbeOptions): Promise<HttpProbeReport> {
  const started = Date.now();
  const base = (service: string) => {
    const s = HTTP_SERVICES[service] as (typeof HTTP_SERVICES)[string];
    return `${o.profile.urls[s.role]}${s.path}`;
  };
  const has = (service: string) => o.services.includes(service);
  const skip = (service: string, probe: ProbeName, method: string, url: string): ProbeOutcome | undefined => {
    if (!o.replicaServes) return undefined;
    const path = new URL(url).pathname;
    return o.replicaServes(method, path) ? undefined : { service, probe, detail: `skipped: the replica has no route ${method} ${path}` };
  };

  /** Runs one probe body, turning a throw into a failed outcome. */
  const attempt = async (
    service: string,
    probe: ProbeName,
    method: string,
    url: string,
    fn: () => Promise<Omit<ProbeOutcome, 'service' | 'probe'>>,
  ): Promise<ProbeOutcome> => {
    const skipped = skip(service, probe, method, url);
    if (skipped) return skipped;
    const t0 = performance.now();
    try {
      return { service, probe, ...(await fn()) };
    } catch (err) {
      return { service, probe, ok: false, ms: performance.now() - t0, detail: describeError(err) };
    }
  };

  const availability = (service: string) => {
    const url = `${base(service)}/availability`;
    return attempt(service, 'availability', 'GET', url, async () => {
      const { res, body, ms } = await timedFetch(url, { headers: { accept: 'text/xml' } }, o.timeoutMs);
      if (res.status >= 500) return { ok: false, ms, available: false, detail: `${res.status}: not available` };
      const parsed = res.ok ? parseAvailability(body) : undefined;
      if (!parsed) return { ok: false, ms, detail: `${res.status}: not a VOSI availability document` };
      return { ok: true, ms, available: parsed.available, detail: `available=${parsed.available}${parsed.note ? ` (${oneLine(parsed.note)})` : ''}` };
    });
  };

  const capabilities = (service: string) => {
    const url = `${base(service)}/capabilities`;
    return attempt(service, 'capabilities', 'GET', url, async () => {
      const { res, body, ms } = await timedFetch(url, { headers: { accept: 'text/xml' } }, o.timeoutMs);
      const ids = res.ok ? capabilityIds(body) : [];
      return ids.length ? { ok: true, ms, detail: `${ids.length} capabilities` } : { ok: false, ms, detail: `${res.status}: no VOSI capabilities` };
    });
  };

  const resourceCaps = () => {
    const url = `${base('reg')}/resource-caps`;
    return attempt('reg', 'resource_caps', 'GET', url, async () => {
      const { res, body, ms } = await timedFetch(url, {}, o.timeoutMs);
      const entries = res.ok ? parseRegistry(body) : new Map<string, string>();
      const ivo = [...entries.keys()].filter((k) => k.startsWith('ivo://')).length;
      return ivo ? { ok: true, ms, detail: `${ivo} resourceIDs` } : { ok: false, ms, detail: `${res.status}: no ivo:// entries` };
    });
  };

  let token: string | undefined;
  const tokenLogin = () => {
    const url = `${base('ac')}/login`;
    if (!o.credentials) return Promise.resolve<ProbeOutcome>({ service: 'ac', probe: 'token_login', detail: 'skipped: no credentials (PERFPULSE_USERNAME and PERFPULSE_PASSWORD[_FILE])' });
    const creds = o.credentials;
    return attempt('ac', 'token_login', 'POST', url, async () => {
      const form = new URLSearchParams({ username: creds.username, password: creds.password }).toString();
      const { res, body, ms } = await timedFetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }, o.timeoutMs);
      if (res.status === 200 && body.trim()) {
        token = body.trim();
        return { ok: true, ms, detail: `200, token for ${res.headers.get('x-vo-authenticated') ? 'the user' : 'an unnamed user'}` };
      }
      return { ok: false, ms, detail: `${res.status}: login refused` }; // body may echo input: not logged
    });
  };

  const tapSync = () => {
    const url = `${base('argus')}/sync`;
    return attempt('argus', 'tap_sync_query', 'POST', url, async () => {
      const form = new URLSearchParams({ LANG: 'ADQL', FORMAT: 'csv', MAXREC: '1', QUERY: TAP_QUERY }).toString();
      const post = await timedFetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }, o.timeoutMs);
      const location = post.res.headers.get('location');
      if (post.res.status !== 303 || !location) return { ok: false, ms: post.ms, detail: `${post.res.status}: expected 303 to the job's /run` };
      const run = await timedFetch(new URL(location, url).toString(), {}, o.timeoutMs);
      const ms = post.ms + run.ms;
      return run.res.ok ? { ok: true, ms, detail: `303 then ${run.res.status}, ${run.body.length} bytes` } : { ok: false, ms, detail: `303 then ${run.res.status}` };
    });
  };

  const dataPub = () => {
    const url = `${base('data')}/pub/${o.dataFile.replace(/^\/+/, '')}`;
    return attempt('data', 'data_pub_redirect', 'GET', url, async () => {
      const { res, ms } = await timedFetch(url, {}, o.timeoutMs, false);
      const location = res.headers.get('location') ?? '';
      if (res.status >= 300 && res.status < 400 && location) {
        return { ok: true, ms, detail: `${res.status} to ${/\/minoc\/files\//.test(location) ? 'minoc' : 'elsewhere'}` };
      }
      return { ok: false, ms, detail: `${res.status}: expected a redirect to minoc` };
    });
  };

  const sessionList = () => {
    const url = `${base('skaha')}/v1/session`;
    return attempt('skaha', 'session_list', 'GET', url, async () => {
      if (!token) return { detail: 'skipped: no token (token_login did not succeed)' };
      const headers = { authorization: `Bearer ${token}`, 'x-skaha-authentication-type': 'RUNTIME-TOKEN', accept: 'application/json' };
      const { res, body, ms } = await timedFetch(url, { headers }, o.timeoutMs);
      let list: unknown;
      try {
        list = JSON.parse(body);
      } catch {
        list = undefined;
      }
      return res.ok && Array.isArray(list) ? { ok: true, ms, detail: `${list.length} sessions` } : { ok: false, ms, detail: `${res.status}: expected a JSON array` };
    });
  };

  const limit = pLimit(Math.max(1, o.concurrency));
  const jobs: Array<Promise<ProbeOutcome>> = [];
  for (const s of o.services) {
    jobs.push(limit(() => availability(s)));
    if (HTTP_SERVICES[s]?.capabilities) jobs.push(limit(() => capabilities(s)));
  }
  if (has('reg')) jobs.push(limit(resourceCaps));
  if (has('argus')) jobs.push(limit(tapSync));
  if (has('data')) jobs.push(limit(dataPub));
  // the session list needs the token the login gives
  const login = has('ac') || has('skaha') ? limit(tokenLogin) : undefined;
  if (login && has('ac')) jobs.push(login);
  if (has('skaha')) jobs.push((login ?? Promise.resolve()).then(() => limit(sessionList)));
  const outcomes = await Promise.all(jobs);
  token = undefined;

  const registry = new Registry();
  const gauge = (k: keyof typeof PROBE_METRICS) => gaugeOf(registry, PROBE_METRICS[k]);
  const available = gauge('vosiAvailable');
  const duration = gauge('apiProbeDuration');
  const success = gauge('apiProbeSuccess');
  const stamp = gauge('apiProbeRunTimestamp');
  const env = o.profile.name;
  let failures = 0;
  for (const out of outcomes) {
    const labels = { env, service: out.service, probe: out.probe };
    if (out.ok === undefined) {
      o.log(`http: ${out.service} ${out.probe}: ${out.detail}`);
      continue;
    }
    if (!out.ok) failures++;
    success.set(labels, out.ok ? 1 : 0);
    if (out.ms !== undefined) duration.set(labels, out.ms / 1000);
    if (out.available !== undefined) available.set({ env, service: out.service }, out.available ? 1 : 0);
    o.log(`http: ${out.service} ${out.probe}: ${out.ok ? 'ok' : 'FAILED'}${out.ms !== undefined ? ` ${(out.ms / 1000).toFixed(3)} s` : ''}, ${out.detail}`);
  }
  stamp.set({ env }, started / 1000);
  const deliveries = [await o.deliver(API_PROBES_JOB, { env }, await registry.metrics())];
  return { outcomes, deliveries, failures };
}

/** The summary table printed at the end. */
export function httpSummary(report: HttpProbeReport): string {
  const rows = [['service', 'probe', 'result', 'seconds'], ...report.outcomes.map((o) => [o.service, o.probe, o.ok === undefined ? 'skipped' : o.ok ? 'ok' : 'failed', o.ms !== undefined ? (o.ms / 1000).toFixed(3) : '-'])];
  const widths = rows[0]?.map((_c, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
