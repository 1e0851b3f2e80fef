/**
 * `host_check`: what a blackbox prober tells of every host the env profile names: one GET of the
 * host's landing document on a new connection (./exchange.ts), timed by phase (DNS, connect, TLS,
 * first byte, transfer), with the earliest expiry of the certificate chain it serves, whether that
 * chain verified (against the system's CAs and the profile's `probes.http.ca`), and the HTTP
 * version it negotiated. It runs once per URL role (the `role` label), not per service; an answer
 * of any status below 400 counts (a redirect is an answer: it is not followed).
 */
import type { UrlRole } from '../../config/profile.ts';
import type { HttpProbe } from './probe.ts';

/**
 * The document fetched on each host role: pages users open first on the portals, the cheapest
 * VOSI heartbeat (`?detail=min`: 200 or 503, no body, cadc-reference.md §7) on the service hosts.
 */
export const HOST_PATHS: Record<UrlRole, string> = {
  www: '/en/', // the CADC site's home page (§1.1)
  canfar: '/science-portal', // the Science Portal (§5.1)
  ws_cadc: '/ac/availability?detail=min',
  ws: '/reg/availability?detail=min',
  ws_uv: '/skaha/availability?detail=min',
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const hostCheck: HttpProbe = {
  name: 'host_check',
  service: 'each_role',
  run(ctx, role) {
    const url = `${ctx.origin(role as UrlRole)}${HOST_PATHS[role as UrlRole]}`;
    return ctx.attempt('GET', url, async () => {
      const { res, ms, tls, httpVersion } = await ctx.fetch(url, { headers: { accept: 'text/html,application/xml;q=0.9,*/*;q=0.8' } });
      const cert = tls?.earliestNotAfterMs !== undefined ? `, ${tls.protocol ?? 'TLS'}, chain valid until ${day(tls.earliestNotAfterMs)}` : '';
      const what = `${res.status} over ${httpVersion}${cert}`;
      if (res.status >= 500) return { ok: false, ms, errorClass: 'http_5xx', detail: what };
      if (res.status >= 400) return { ok: false, ms, errorClass: 'http_4xx', detail: what };
      return { ok: true, ms, detail: what };
    });
  },
};
