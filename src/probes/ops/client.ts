/**
 * What the probes that act for the user (./vospace.ts, ./headless.ts) share: one timed request with
 * a hard deadline and no redirect followed, the user's token from `POST /ac/login`
 * (cadc-reference.md §2.1), a service's capability URL through the registry as the CADC clients find
 * it (§1.3: `/reg/resource-caps` → `<svc>/capabilities` → the capability's accessURL), and the
 * failure class of what went wrong (src/results/probes.ts FAILURE_CLASSES). Passwords and tokens
 * never reach a failure line.
 */
import type { Credentials } from '../../config/credentials.ts';
import type { EnvProfile } from '../../config/profile.ts';
import type { FailureClass, ProbeFailure } from '../../results/probes.ts';
import { parseRegistry } from '../http/vosi.ts';

/** A failed step of a probe: its class and one line. Thrown inside a probe, caught where it reports. */
export class OpFailure extends Error {
  readonly class: FailureClass;
  constructor(cls: FailureClass, line: string) {
    super(line);
    this.class = cls;
  }
  toFailure(): ProbeFailure {
    return { class: this.class, line: this.message };
  }
}

/** What a request's answer status says about it: auth (401/403), http_4xx, http_5xx. */
export function statusClass(status: number): FailureClass {
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'assertion';
}

/** A thrown fetch error as a failure: timeout, or navigation (refused, reset, DNS, TLS). */
export function errorFailure(err: unknown, what: string, signal?: AbortSignal): OpFailure {
  if (err instanceof OpFailure) return err;
  if (signal?.aborted) return new OpFailure('interrupted', `${what}: interrupted`);
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new OpFailure('timeout', `${what}: no answer before the timeout`);
  const code = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  if (e?.name === 'TypeError' || e?.cause) return new OpFailure('navigation', `${what}: ${code}`);
  return new OpFailure('harness', `${what}: ${code}`);
}

/** The first line of a service's answer body, bounded: what it said (`NodeNotFound: …`). */
export const said = (body: string): string => {
  const line = body.replace(/<[^>]+>/g, ' ').split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

export interface Answer {
  res: Response;
  /** The body's bytes (read whole), or empty when not read. */
  bytes: Buffer;
  text(): string;
  /** Wall time from the request leaving to the body read, ms. */
  ms: number;
}

export interface OpsClientOptions {
  profile: EnvProfile;
  credentials?: Credentials;
  timeoutMs: number;
  /** Stops waiting when the run is interrupted. */
  signal?: AbortSignal;
}

/** One user's session with the CADC services of a profile. */
export class OpsClient {
  private token?: string;
  readonly o: OpsClientOptions;

  constructor(o: OpsClientOptions) {
    this.o = o;
  }

  /**
   * One request, no redirect followed, the body read, the run's deadline (or a shorter one). A
   * clean-up request (`cleanup`) is not stopped by the run's interruption: it must still happen.
   */
  async request(url: string, init: RequestInit = {}, timeoutMs = this.o.timeoutMs, cleanup = false): Promise<Answer> {
    const signals = [AbortSignal.timeout(Math.max(1, timeoutMs)), ...(this.o.signal && !cleanup ? [this.o.signal] : [])];
    const headers = new Headers(init.headers);
    if (this.token && !headers.has('authorization')) headers.set('authorization', `Bearer ${this.token}`);
    const t0 = performance.now();
    const res = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.any(signals) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const ms = performance.now() - t0;
    return { res, bytes, text: () => bytes.toString('utf8'), ms };
  }

  /** `request`, with a thrown error turned into an OpFailure naming `what`. */
  async call(what: string, url: string, init: RequestInit = {}, timeoutMs?: number, cleanup = false): Promise<Answer> {
    try {
      return await this.request(url, init, timeoutMs, cleanup);
    } catch (err) {
      throw errorFailure(err, what, cleanup ? undefined : this.o.signal);
    }
  }

  /** The user's name, when the run has credentials. */
  get username(): string | undefined {
    return this.o.credentials?.username;
  }

  /** POST /ac/login: the token every later request carries (`Authorization: Bearer`), never printed. */
  async login(): Promise<void> {
    const c = this.o.credentials;
    if (!c) throw new OpFailure('auth', 'no credentials');
    if (this.token) return;
    const form = new URLSearchParams({ username: c.username, password: c.password }).toString();
    const a = await this.call('login', `${this.o.profile.urls.ws_cadc}/ac/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    const token = a.text().trim();
    if (a.res.status !== 200 || !token) throw new OpFailure(a.res.status === 401 ? 'auth' : statusClass(a.res.status), `login: POST /ac/login answered ${a.res.status}`);
    this.token = token;
  }

  /** Forgets the token. */
  logout(): void {
    delete this.token;
  }

  private registry?: Map<string, string>;

  /**
   * The accessURL of `standardID` in the capabilities of `resourceID`, found through the
   * registry of the profile's `ws` host, as vos/vcp find a VOSpace service's endpoints.
   */
  async capability(resourceID: string, standardID: string): Promise<string> {
    if (!this.registry) {
      const a = await this.call('registry', `${this.o.profile.urls.ws}/reg/resource-caps`);
      if (!a.res.ok) throw new OpFailure(statusClass(a.res.status), `registry: GET /reg/resource-caps answered ${a.res.status}`);
      this.registry = parseRegistry(a.text());
    }
    const capsUrl = this.registry.get(resourceID);
    if (!capsUrl) throw new OpFailure('assertion', `registry: no ${resourceID} in /reg/resource-caps`);
    const a = await this.call(`${resourceID} capabilities`, capsUrl);
    if (!a.res.ok) throw new OpFailure(statusClass(a.res.status), `${resourceID} capabilities answered ${a.res.status}`);
    const cap = new RegExp(`<capability\\b[^>]*\\bstandardID="${standardID.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</capability>`).exec(a.text());
    const url = cap ? /<accessURL\b[^>]*>\s*([^<\s]+)\s*<\/accessURL>/.exec(cap[1] ?? '')?.[1] : undefined;
    if (!url) throw new OpFailure('assertion', `${resourceID} has no capability ${standardID}`);
    return url.replace(/&amp;/g, '&');
  }
}
