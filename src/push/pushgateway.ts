/**
 * Sends exposition text to a Prometheus Pushgateway, one attempt. HTTP only: building the text is
 * the metric layer's job; retries are retry.ts's, the spool spool.ts's. We do our own HTTP
 * rather than prom-client's Pushgateway because the latter has no hard deadline (its timeout is a
 * socket-idle timeout), does not base64-encode grouping values and sends no Content-Type
 * (docs/decisions.md).
 */
import { UserError } from '../errors.ts';
import http from 'node:http';
import { isTlsCertificateError } from '../net.ts';
import { ExchangeError, exchange, type GatewayAccess } from './http.ts';

export interface PushRequest {
  /** Gateway base URL, e.g. http://127.0.0.1:9091; user-info becomes Basic auth and is never printed. */
  gateway: string;
  job: string;
  /** Grouping labels after the job, in order, e.g. {env: 'prod', journey: 'login'}. */
  grouping: Record<string, string>;
  /** Prometheus text exposition format. */
  body: string;
  /** PUT replaces the whole group (our default); POST replaces only the names sent. */
  method?: 'PUT' | 'POST';
  /** Hard deadline for the whole exchange, body included. */
  deadlineMs?: number;
  /** Credentials and TLS settings (src/push/access.ts). */
  access?: GatewayAccess;
  /** Aborts the exchange at once. */
  signal?: AbortSignal;
}

export interface PushOutcome {
  ok: boolean;
  /** HTTP status, or undefined when no answer came. */
  status?: number;
  /** One line for people: the gateway's reason or the network error. */
  message: string;
  /** Whether trying again may help: no answer, a deadline, 5xx or 429 (never 4xx or a TLS trust problem). */
  retryable?: boolean;
  /** Seconds from a Retry-After header, when the gateway sent one. */
  retryAfterS?: number;
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const DEFAULT_DEADLINE_MS = 10_000;

/** `label/value` path segment; values that are empty or contain `/` use the `@base64` form. */
function groupingSegment(name: string, value: string): string {
  if (value === '' || value.includes('/')) {
    return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}`;
  }
  return `${name}/${encodeURIComponent(value)}`;
}

/** The group's URL without credentials, e.g. http://gw/metrics/job/j/env/prod. */
export function groupUrl(gateway: string, job: string, grouping: Record<string, string>): string {
  const base = new URL(gateway);
  base.username = '';
  base.password = '';
  const path = [groupingSegment('job', job), ...Object.entries(grouping).map(([k, v]) => groupingSegment(k, v))];
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/metrics/${path.join('/')}`;
}

/** A URL safe to print: user-info removed. Returns the input unchanged when it is not a URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url.replace(/\/+$/, '');
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/** Basic auth from the URL's user-info, if any. */
export function userInfoAuthorization(gateway: string): string | undefined {
  const u = new URL(gateway);
  if (!u.username && !u.password) return undefined;
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** Pushes one group once, within one hard deadline. Never throws: the outcome says what happened. */
export async function pushGroup(req: PushRequest): Promise<PushOutcome> {
  const deadlineMs = req.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const access: GatewayAccess = { ...req.access };
  access.authorization ??= userInfoAuthorization(req.gateway);
  try {
    const res = await exchange(new URL(groupUrl(req.gateway, req.job, req.grouping)), {
      method: req.method ?? 'PUT',
      headers: { 'content-type': CONTENT_TYPE },
      body: req.body,
      deadlineMs,
      access,
      signal: req.signal,
    });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, message: `${res.status}` };
    const text = res.text.replace(/\s+/g, ' ').trim().slice(0, 300);
    const retryAfter = Number(res.headers['retry-after']);
    return {
      ok: false,
      status: res.status,
      message: `${res.status} ${text || (http.STATUS_CODES[res.status] ?? '')}`.trim(),
      retryable: res.status >= 500 || res.status === 429,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterS: retryAfter } : {}),
    };
  } catch (err) {
    const e = err as ExchangeError;
    const code = e.code ?? 'ERR';
    return { ok: false, message: e.message, retryable: code !== 'aborted' && !isTlsCertificateError(code) };
  }
}

/**
 * The gateway URL if it is an http(s) base URL, else bad input naming it without its user-info.
 * A path prefix is kept (a gateway behind a proxy, `--web.route-prefix`), but a path that already
 * holds the push or API part (`/metrics/job/…`, `/api/v1/…`), a query or a fragment is a mistake:
 * the harness adds those itself.
 */
export function checkGatewayUrl(url: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  const shown = JSON.stringify(redactUrl(url));
  if (!u || !['http:', 'https:'].includes(u.protocol)) throw new UserError(`--pushgateway must be an http(s) URL such as http://pushgateway:9091 (got ${shown})`);
  if (/\/(metrics|api)(\/|$)/.test(u.pathname) || u.search || u.hash) {
    throw new UserError(`--pushgateway must be the gateway's base URL such as http://pushgateway:9091, without /metrics/job/..., /api/... or a query (got ${shown})`);
  }
  return url;
}
