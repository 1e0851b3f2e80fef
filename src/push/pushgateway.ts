/**
 * Sends exposition text to a Prometheus Pushgateway. HTTP only: building the text is the metric
 * layer's job. We use fetch rather than prom-client's Pushgateway because the latter has no hard
 * deadline (its timeout is a socket-idle timeout), does not base64-encode grouping values and
 * sends no Content-Type (docs/decisions.md).
 */

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
}

export interface PushOutcome {
  ok: boolean;
  /** HTTP status, or undefined when no answer came. */
  status?: number;
  /** One line for people: the gateway's reason or the network error. */
  message: string;
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

function authHeader(gateway: string): Record<string, string> {
  const u = new URL(gateway);
  if (!u.username && !u.password) return {};
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** Pushes one group once. Never throws: the outcome says what happened. */
export async function pushGroup(req: PushRequest): Promise<PushOutcome> {
  const url = groupUrl(req.gateway, req.job, req.grouping);
  const signal = AbortSignal.timeout(req.deadlineMs ?? DEFAULT_DEADLINE_MS);
  try {
    const res = await fetch(url, {
      method: req.method ?? 'PUT',
      headers: { 'content-type': CONTENT_TYPE, ...authHeader(req.gateway) },
      body: req.body,
      signal,
    });
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    if (res.ok) return { ok: true, status: res.status, message: `${res.status}` };
    return { ok: false, status: res.status, message: `${res.status} ${text || res.statusText}`.trim() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (signal.aborted) return { ok: false, message: `no answer within ${req.deadlineMs ?? DEFAULT_DEADLINE_MS} ms` };
    return { ok: false, message: e.cause?.code ?? e.cause?.message ?? e.message };
  }
}
