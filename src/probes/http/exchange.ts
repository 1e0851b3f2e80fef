/**
 * One request of the CADC service probes on a connection of its own, timed by phase the way
 * blackbox_exporter's http prober times its requests (prober/http.go, `probe_http_duration_seconds
 * {phase}`), with the TLS chain the server presented and the HTTP version it negotiated.
 *
 *   dns         the host name looked up (getaddrinfo, as a browser or curl does); absent for an IP
 *               literal, where nothing is looked up (blackbox's `resolve`, which it reports as 0)
 *   connect     TCP connect to the first address that accepts, failed attempts included
 *   tls         the TLS handshake (https only): ClientHello to the chain received and checked
 *   first_byte  the request written until the status line and headers are in: the server's time
 *               plus one round trip (blackbox's `processing`: connection ready → first response byte)
 *   transfer    the body read to its end (absent when the probe does not read it)
 *
 * They follow each other without gaps: their sum is the request's time up to the body's last byte.
 *
 * Why not fetch, with ../connect-timing.ts: undici's diagnostics channels give one connect figure
 * (DNS + TCP + TLS together), Node's bundled fetch never offers HTTP/2, and it takes a custom CA
 * only through an undici Agent from a package of its own (docs/decisions.md 8, as for the
 * Pushgateway). Here node:net, node:tls, node:http and node:http2 give each step's end as an
 * event: ALPN offers h2 and http/1.1, as a browser does, and the chain is read even when it does
 * not verify. A chain that does not verify (or does not name the host) ends the request there,
 * before anything is sent: no credential ever goes over a connection that is not the host's.
 */
import { X509Certificate } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { HttpErrorClass, HttpPhase, HttpPhases, TlsSeen } from '../../results/probes.ts';

/** What is sent: the method (GET), request headers, a body. */
export interface RequestSpec {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ExchangeOptions {
  /** Hard deadline of the whole exchange, look-up to last byte. */
  timeoutMs: number;
  /** PEM certificate(s) trusted besides the system's (the profile's `probes.http.ca`). */
  ca?: string;
  /** false: stop after the headers (a redirect's empty body, a file not to download). */
  readBody?: boolean;
}

/** An answer, how long it took, its phases, and what the connection was. */
export interface Exchange {
  status: number;
  headers: Headers;
  /** The body, decoded (gzip, deflate, br), as text; empty when not read. */
  body: string;
  /** Wall time, start to body decoded (or headers, when not read). */
  ms: number;
  phases: HttpPhases;
  /** https only. */
  tls?: TlsSeen;
  /** `http_1_1`, `http_1_0` or `http_2`, as the `version` label spells it. */
  httpVersion: string;
}

/** No answer: the class (issue 16's taxonomy), a one-line reason, and what was measured until then. */
export class ExchangeFailed extends Error {
  readonly errorClass: HttpErrorClass;
  readonly detail: string;
  readonly ms: number;
  readonly phases: HttpPhases;
  readonly tls?: TlsSeen;
  constructor(errorClass: HttpErrorClass, detail: string, ms: number, phases: HttpPhases, tlsSeen?: TlsSeen) {
    super(detail);
    this.name = 'ExchangeFailed';
    this.errorClass = errorClass;
    this.detail = detail;
    this.ms = ms;
    this.phases = phases;
    this.tls = tlsSeen;
  }
}

/** Connect errors after which the next address of the host is tried. */
const NEXT_ADDRESS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);
/** Bodies above this are read to the end (the transfer is timed) but not kept. */
const MAX_BODY = 8 * 1024 * 1024;
const DECODERS: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

const codeOf = (err: unknown): string | undefined => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The TLS context verifying against the system's CAs (Node's default set) plus `ca`, made once per
 * CA: parsing some 150 roots takes tens of ms, which must not land in the `tls` phase.
 */
const contexts = new Map<string, tls.SecureContext>();
function trusting(ca: string): tls.SecureContext {
  let ctx = contexts.get(ca);
  if (!ctx) {
    const defaults = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates];
    ctx = tls.createSecureContext({ ca: [...defaults, ca] });
    contexts.set(ca, ctx);
  }
  return ctx;
}

/**
 * The earliest notAfter (epoch ms) of the chain the server presented: the certificates it sent,
 * and the issuer Node completes the chain with from the trusted set (as blackbox's
 * probe_ssl_earliest_cert_expiry reads PeerCertificates).
 */
function earliestNotAfterMs(socket: tls.TLSSocket): number | undefined {
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  if (!cert || !cert.raw) return undefined;
  const seen = new Set<string>();
  let earliest: number | undefined;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const notAfter = new X509Certificate(cert.raw).validToDate.getTime();
    if (earliest === undefined || notAfter < earliest) earliest = notAfter;
    cert = cert.issuerCertificate;
  }
  return earliest;
}

/** `HTTP/1.1` → `http_1_1`; h2 → `http_2`. */
const versionLabel = (v: string) => `http_${v.replace(/\./g, '_')}`;

function headersOf(raw: IncomingHttpHeaders | http2.IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith(':') || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) h.append(k, one);
  }
  return h;
}

/** Sends `spec` to `url` on a new connection and reads the answer, all within `o.timeoutMs`. */
export async function exchange(url: string, spec: RequestSpec, o: ExchangeOptions): Promise<Exchange> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (isHttps ? 443 : 80));
  const secureContext = isHttps && o.ca ? trusting(o.ca) : undefined; // before the clock starts
  const t0 = performance.now();
  const at: Partial<Record<'dns' | 'connect' | 'tls' | 'firstByte' | 'end', number>> = {};
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
  const { signal } = deadline;
  /** What to destroy at the end; errors after the awaits that watch them (a destroy at the deadline) are dropped. */
  const open: Array<{ destroy(): void }> = [];
  const track = <T extends { destroy(): void; on(event: 'error', fn: () => void): unknown }>(x: T): T => {
    x.on('error', () => undefined);
    open.push(x);
    return x;
  };
  let tlsSeen: TlsSeen | undefined;

  const phases = (): HttpPhases => {
    const p: HttpPhases = {};
    const span = (phase: HttpPhase, from: number | undefined, to: number | undefined) => {
      if (from !== undefined && to !== undefined) p[phase] = Math.max(0, to - from);
    };
    span('dns', at.dns === undefined ? undefined : t0, at.dns);
    span('connect', at.dns ?? t0, at.connect);
    span('tls', at.connect, at.tls);
    span('first_byte', at.tls ?? at.connect, at.firstByte);
    span('transfer', at.firstByte, at.end);
    return p;
  };
  const failed = (errorClass: HttpErrorClass, detail: string) => new ExchangeFailed(errorClass, detail, performance.now() - t0, phases(), tlsSeen);
  /** A promise that loses to the deadline. */
  const beforeDeadline = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([p, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))]);

  try {
    // dns
    let addresses: Array<{ address: string; family: number }>;
    if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
    else {
      try {
        addresses = await beforeDeadline(lookup(host, { all: true }));
      } catch (err) {
        if (signal.aborted) throw err;
        throw failed('navigation', `DNS: ${codeOf(err) ?? 'lookup failed'}`);
      }
      at.dns = performance.now();
    }

    // connect
    let socket: net.Socket | undefined;
    for (const [i, a] of addresses.entries()) {
      const s = track(net.connect({ host: a.address, port, family: a.family }));
      try {
        await once(s, 'connect', { signal });
        socket = s;
        break;
      } catch (err) {
        s.destroy();
        if (signal.aborted) throw err;
        const code = codeOf(err) ?? 'connect failed';
        if (i < addresses.length - 1 && NEXT_ADDRESS.has(code)) continue;
        throw failed('navigation', code);
      }
    }
    if (!socket) throw failed('navigation', 'DNS: no address');
    at.connect = performance.now();

    // tls
    let alpn: string | false | null = false;
    if (isHttps) {
      const t = track(tls.connect({
        socket,
        host,
        servername: net.isIP(host) ? undefined : host,
        ALPNProtocols: ['h2', 'http/1.1'],
        ...(secureContext ? { secureContext } : {}),
        // checked below: the chain is read even when it does not verify, then nothing is sent
        rejectUnauthorized: false,
      }));
      try {
        await once(t, 'secureConnect', { signal });
      } catch (err) {
        if (signal.aborted) throw err;
        throw failed('navigation', `TLS: ${codeOf(err) ?? oneLineOf(err)}`);
      }
      at.tls = performance.now();
      const error = t.authorized ? undefined : String(t.authorizationError ?? 'not verified');
      tlsSeen = { valid: t.authorized, error, earliestNotAfterMs: earliestNotAfterMs(t), protocol: t.getProtocol() ?? undefined };
      if (!t.authorized) throw failed('navigation', `TLS: ${error}`);
      alpn = t.alpnProtocol;
      socket = t;
    }

    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...lowerKeys(spec.headers ?? {}) };
    const payload = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
    if (payload) headers['content-length'] = String(payload.length);
    const method = spec.method ?? 'GET';
    const path = `${u.pathname}${u.search}`;

    // first_byte
    let status: number;
    let rawHeaders: IncomingHttpHeaders | http2.IncomingHttpHeaders;
    let stream: Readable;
    let version: string;
    if (alpn === 'h2') {
      const connected = socket;
      const session = track(http2.connect(`https://${u.host}`, { createConnection: () => connected }));
      const req = track(session.request({ ':method': method, ':path': path, ...headers }, { endStream: !payload }));
      if (payload) req.end(payload);
      const [h] = (await once(req, 'response', { signal })) as [http2.IncomingHttpHeaders];
      status = Number(h[':status']);
      rawHeaders = h;
      stream = req;
      version = '2';
    } else {
      const connected = socket;
      const req = track(http.request({ method, path, headers: { host: u.host, ...headers }, setHost: false, createConnection: () => connected }));
      req.end(payload);
      const [res] = (await once(req, 'response', { signal })) as [http.IncomingMessage];
      status = res.statusCode ?? 0;
      rawHeaders = res.headers;
      stream = res;
      version = res.httpVersion;
    }
    at.firstByte = performance.now();

    // transfer
    let body = '';
    if (o.readBody !== false) {
      const chunks: Buffer[] = [];
      let size = 0;
      const onAbort = () => stream.destroy(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const chunk of stream) {
          const b = chunk as Buffer;
          if (size + b.length <= MAX_BODY) chunks.push(b);
          size += b.length;
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      at.end = performance.now();
      let bytes: Buffer = Buffer.concat(chunks);
      const encoding = String(rawHeaders['content-encoding'] ?? '').trim().toLowerCase();
      const decode = DECODERS[encoding];
      if (decode && bytes.length) bytes = await decode(bytes);
      body = bytes.toString('utf8');
    }
    return { status, headers: headersOf(rawHeaders), body, ms: performance.now() - t0, phases: phases(), tls: tlsSeen, httpVersion: versionLabel(version) };
  } catch (err) {
    if (err instanceof ExchangeFailed) throw err;
    if (signal.aborted) throw failed('timeout', 'no answer before the timeout');
    const code = codeOf(err);
    throw failed('navigation', code ?? oneLineOf(err));
  } finally {
    clearTimeout(timer);
    for (const one of open.reverse()) one.destroy();
  }
}

const oneLineOf = (err: unknown) => String(err instanceof Error ? err.message : err).replace(/\s+/g, ' ').trim().slice(0, 200);

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
