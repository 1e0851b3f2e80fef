/**
 * One HTTP exchange with a Pushgateway, over node:http / node:https, with a HARD deadline that
 * covers connecting, sending, the headers and the whole answer body: a server that trickles one
 * byte a second is cut off at the deadline exactly like one that never answers.
 *
 * node:https rather than fetch: Node's fetch takes a custom CA or `rejectUnauthorized: false` only
 * through an undici `Agent` from the separate `undici` package (a new dependency whose version must
 * track Node's bundled one), while node:https takes `ca` and `rejectUnauthorized` per request.
 * NODE_EXTRA_CA_CERTS would work too, but only for the whole process and only when set at start.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isTlsCertificateError } from '../net.ts';

/** How to reach a gateway beyond its URL. Never printed. */
export interface GatewayAccess {
  /** Full Authorization header value (`Basic …` or `Bearer …`). */
  authorization?: string;
  /** PEM text of CA certificates to trust for an https gateway (instead of the system's). */
  ca?: string;
  /** Accept any certificate (test set-ups only). */
  insecureSkipTlsVerify?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The answer body, cut at 64 KiB. */
  text: string;
}

/** Why no answer came. `code` is a Node error code, `deadline` or `aborted`. */
export class ExchangeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ExchangeError';
    this.code = code;
  }
}

const MAX_BODY = 64 * 1024;

function describe(code: string, message: string, deadlineMs: number): string {
  if (code === 'deadline') return `no complete answer within ${deadlineMs} ms`;
  if (isTlsCertificateError(code)) {
    return `TLS: the gateway's certificate is not trusted (${code}); pass --pushgateway-ca <file> with the CA that signed it, or --insecure-skip-tls-verify`;
  }
  return code && code !== 'ERR' ? code : message;
}

/**
 * Sends `body` to `url` and reads the whole answer, all within `deadlineMs`. Rejects with an
 * ExchangeError when no complete answer came; any HTTP status resolves.
 */
export function exchange(
  url: URL,
  opts: {
    method: string;
    headers?: Record<string, string>;
    body?: string;
    deadlineMs: number;
    access?: GatewayAccess;
    signal?: AbortSignal;
    /** Bytes of the answer kept (default 64 KiB: error answers); more where the whole answer is parsed. */
    maxBody?: number;
  },
): Promise<HttpAnswer> {
  const maxBody = opts.maxBody ?? MAX_BODY;
  return new Promise((resolve, reject) => {
    const access = opts.access ?? {};
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (access.authorization) headers.authorization = access.authorization;
    const payload = opts.body === undefined ? undefined : Buffer.from(opts.body, 'utf8');
    if (payload) headers['content-length'] = String(payload.length);
    const isHttps = url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: opts.method,
      headers,
      agent: false, // one connection per exchange: nothing lingers after a deadline
      ...(isHttps ? { ca: access.ca, rejectUnauthorized: !access.insecureSkipTlsVerify } : {}),
    };
    let settled = false;
    const finish = (err: ExchangeError | undefined, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer as HttpAnswer);
    };
    const req = (isHttps ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        if (size < maxBody) chunks.push(d);
        size += d.length;
      });
      res.on('end', () =>
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8').slice(0, maxBody) }),
      );
      res.on('close', () => finish(new ExchangeError('ECONNRESET', 'ECONNRESET: the gateway closed the connection mid-answer')));
      res.on('error', (e: NodeJS.ErrnoException) => finish(new ExchangeError(e.code ?? 'ERR', describe(e.code ?? 'ERR', e.message, opts.deadlineMs))));
    });
    const timer = setTimeout(() => finish(new ExchangeError('deadline', describe('deadline', '', opts.deadlineMs))), opts.deadlineMs);
    const onAbort = () => finish(new ExchangeError('aborted', 'aborted'));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => finish(new ExchangeError(e.code ?? 'ERR', describe(e.code ?? 'ERR', e.message, opts.deadlineMs))));
    req.end(payload);
  });
}
