/**
 * One run of the CADC service probes (`perfpulse-journeys probe http`, or a run's `probes.http`):
 * the probes of ./registry.ts on the selected services of the env profile, with the real paths
 * of cadc-reference.md, a bounded number of requests at once, a line each on the log. It returns
 * what they found (src/results/probes.ts); the metrics are made of that (src/metrics/probe-bodies.ts)
 * and delivered by src/push.
 */
import pLimit from 'p-limit';
import type { Credentials } from '../../config/credentials.ts';
import { URL_ROLES, type EnvProfile, type UrlRole } from '../../config/profile.ts';
import type { HttpPhases, HttpProbeOutcome, HttpProbeResults, TlsSeen } from '../../results/probes.ts';
import { exchange, ExchangeFailed, type RequestSpec } from './exchange.ts';
import { statusErrorClass, thrownErrorClass } from '../../results/error-class.ts';
import type { HttpProbe, HttpProbeContext, Measured, Timed } from './probe.ts';
import { HTTP_PROBES } from './registry.ts';
import { HTTP_SERVICES } from './services.ts';

export interface HttpProbeOptions {
  profile: EnvProfile;
  /** Selected services (./services.ts parseServices). */
  services: string[];
  credentials?: Credentials;
  /** Values of the probes' options (e.g. `dataFile`); an absent one takes the probe's default. */
  options?: Record<string, string | undefined>;
  timeoutMs: number;
  concurrency: number;
  log: (line: string) => void;
  /**
   * When the targets are a bundled replica: does it serve `METHOD path`? Probes of routes it lacks
   * are skipped (logged), so they start running as soon as the replica grows the route.
   */
  replicaServes?: (method: string, path: string) => boolean;
  /** The probes to run; default all of ./registry.ts. */
  probes?: readonly HttpProbe[];
  /** PEM certificate(s) to trust besides the system's (the profile's `probes.http.ca`). */
  ca?: string;
}

function describeError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer before the timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

export async function runHttpProbes(o: HttpProbeOptions): Promise<HttpProbeResults> {
  const startedAtMs = Date.now();
  const probes = o.probes ?? HTTP_PROBES;
  const state: { token?: string } = {};

  /** What the requests of one probe call measured: phases summed, the last TLS and version kept. */
  interface Seen {
    phases?: HttpPhases;
    tls?: TlsSeen;
    httpVersion?: string;
    /** The status of the last answer read (not part of the outcome: a failed probe's class comes from it). */
    lastStatus?: number;
  }
  const add = (seen: Seen, phases: HttpPhases, tls?: TlsSeen, httpVersion?: string) => {
    const sum: HttpPhases = { ...seen.phases };
    for (const [phase, ms] of Object.entries(phases) as Array<[keyof HttpPhases, number]>) sum[phase] = (sum[phase] ?? 0) + ms;
    seen.phases = sum;
    if (tls) seen.tls = tls;
    if (httpVersion) seen.httpVersion = httpVersion;
  };
  const fetchTimed = async (seen: Seen, url: string, init: RequestSpec = {}, readBody = true): Promise<Timed> => {
    try {
      const x = await exchange(url, init, { timeoutMs: o.timeoutMs, ca: o.ca, readBody });
      add(seen, x.phases, x.tls, x.httpVersion);
      return { res: { status: x.status, ok: x.status >= 200 && x.status < 300, headers: x.headers }, body: x.body, ms: x.ms, phases: x.phases, tls: x.tls, httpVersion: x.httpVersion };
    } catch (err) {
      if (err instanceof ExchangeFailed) add(seen, err.phases, err.tls);
      throw err;
    }
  };
  /** The part of `seen` that belongs to the outcome: phases, TLS and version (lastStatus stays the scheduler's). */
  const measuredBy = ({ phases, tls, httpVersion }: Seen): Pick<Measured, 'phases' | 'tls' | 'httpVersion'> => ({ ...(phases ? { phases } : {}), ...(tls ? { tls } : {}), ...(httpVersion ? { httpVersion } : {}) });
  const attempt = async (seen: Seen, method: string, url: string, fn: () => Promise<Measured>): Promise<Measured> => {
    if (o.replicaServes) {
      const path = new URL(url).pathname;
      if (!o.replicaServes(method, path)) return { detail: `skipped: the replica has no route ${method} ${path}` };
    }
    const t0 = performance.now();
    try {
      const measured = await fn(); // fn's requests fill `seen` as they go
      return { ...measuredBy(seen), ...measured };
    } catch (err) {
      if (err instanceof ExchangeFailed) return { ...measuredBy(seen), ok: false, ms: performance.now() - t0, errorClass: err.errorClass, detail: err.detail };
      return { ...measuredBy(seen), ok: false, ms: performance.now() - t0, detail: describeError(err), errorClass: thrownErrorClass(err) };
    }
  };
  const contextFor = (probe: HttpProbe, seen: Seen): HttpProbeContext => ({
    base: (service) => {
      const s = HTTP_SERVICES[service];
      if (!s) throw new Error(`probe ${probe.name}: unknown service ${service}`);
      return `${o.profile.urls[s.role]}${s.path}`;
    },
    origin: (role) => o.profile.urls[role],
    credentials: o.credentials,
    option: (name) => {
      const declared = probe.options?.[name];
      if (!declared) throw new Error(`probe ${probe.name} declares no option ${name}`);
      return o.options?.[name] ?? declared.default;
    },
    get token() {
      return state.token;
    },
    set token(value) {
      state.token = value;
    },
    fetch: async (url, init, readBody) => {
      const timed = await fetchTimed(seen, url, init, readBody);
      seen.lastStatus = timed.res.status;
      return timed;
    },
    attempt: (method, url, fn) => attempt(seen, method, url, fn),
  });
  // a failed probe's class: what its request threw, else the status of the last answer it read
  const classed = (out: Measured, seen: Seen): Measured => {
    const errorClass = out.ok === false ? (out.errorClass ?? statusErrorClass(seen.lastStatus)) : undefined;
    return { ...out, ...(errorClass ? { errorClass } : {}) };
  };
  const measure = async (probe: HttpProbe, service: string): Promise<HttpProbeOutcome> => {
    const seen: Seen = {};
    return { service, probe: probe.name, ...classed(await probe.run(contextFor(probe, seen), service), seen) };
  };
  const measureRole = async (probe: HttpProbe, role: UrlRole): Promise<HttpProbeOutcome> => {
    const seen: Seen = {};
    return { role, probe: probe.name, ...classed(await probe.run(contextFor(probe, seen), role), seen) };
  };

  // Schedule: each service's `each` probes in turn, then the single-service probes in registry
  // order; a probe that `needs` another waits for it, and a needed probe runs even unselected.
  const limit = pLimit(Math.max(1, o.concurrency));
  const selected = (p: HttpProbe) => o.services.includes(p.service);
  const jobs: Array<Promise<HttpProbeOutcome>> = [];
  for (const service of o.services) {
    const def = HTTP_SERVICES[service];
    for (const p of probes) if (p.service === 'each' && def && (p.appliesTo?.(def) ?? true)) jobs.push(limit(() => measure(p, service)));
  }
  for (const p of probes) if (p.service === 'each_role') for (const role of URL_ROLES) jobs.push(limit(() => measureRole(p, role)));
  const started = new Map<string, Promise<HttpProbeOutcome>>();
  for (const p of probes) {
    if (p.service === 'each' || p.service === 'each_role') continue;
    const needed = probes.some((q) => q.needs === p.name && selected(q));
    if (!selected(p) && !needed) continue;
    const first = p.needs ? started.get(p.needs) : undefined;
    if (p.needs && !first) throw new Error(`probe ${p.name} needs ${p.needs}, which must come before it in the registry`);
    const job = first ? first.then(() => limit(() => measure(p, p.service))) : limit(() => measure(p, p.service));
    started.set(p.name, job);
    if (selected(p)) jobs.push(job);
  }
  const outcomes = await Promise.all(jobs);
  await Promise.all(started.values()); // a needed probe that is not reported has ended too
  delete state.token;

  let failures = 0;
  for (const out of outcomes) {
    const target = out.service ?? out.role;
    if (out.ok === undefined) {
      o.log(`http: ${target} ${out.probe}: ${out.detail}`);
      continue;
    }
    if (!out.ok) failures++;
    o.log(`http: ${target} ${out.probe}: ${out.ok ? 'ok' : `FAILED (${out.errorClass ?? 'assertion'})`}${out.ms !== undefined ? ` ${(out.ms / 1000).toFixed(3)} s` : ''}, ${out.detail}`);
  }
  return { env: o.profile.name, startedAtMs, outcomes, failures };
}
