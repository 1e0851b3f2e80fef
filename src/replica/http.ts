/**
 * The replica's plumbing: route matching, fault injection and small response helpers. The routes
 * themselves live in ./routes/*.ts, one module per portal area, each a function of the shared
 * ReplicaContext returning Route[].
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.ts';

export interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The request body as UTF-8 text (forms, JSON, XML). */
  body: string;
  /** The request body's bytes as sent (a file PUT). */
  raw: Buffer;
  /** The fault the table holds for this route, for handlers whose fault changes what they do (`stuck`). */
  fault?: Fault;
}

export interface Route {
  /**
   * Fault key and documentation: `"METHOD /path"`, `{name}` for a path segment parameter,
   * `{name+}` (last) for the rest of the path, slashes included.
   */
  key: string;
  handler: (r: Request) => void | Promise<void>;
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    const [rm, rp = ''] = route.key.split(' ');
    if (rm !== m) continue;
    const names: string[] = [];
    const pattern = rp.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)((?:\\\+)?)\}/g, (_s, n: string, rest: string) => {
      names.push(n);
      return rest ? '(.+)' : '([^/]+)';
    });
    const hit = new RegExp(`^${pattern}$`).exec(path);
    if (hit) {
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1] ?? '')));
      return { route, params };
    }
  }
  return undefined;
}

/**
 * The origin the caller used to reach us (the replica serves every host role from one origin):
 * https on the HTTPS replica, and the authority of an HTTP/2 request, which has no Host header.
 */
export function originOf(req: IncomingMessage): string {
  const scheme = (req.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
  const authority = req.headers.host ?? (req.headers as Record<string, string | undefined>)[':authority'] ?? '127.0.0.1';
  return `${scheme}://${authority}`;
}

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

export function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The value of a cookie, quotes removed. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=').replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}
