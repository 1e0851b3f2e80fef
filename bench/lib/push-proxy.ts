/**
 * A counting, fault-injecting proxy in front of a real Pushgateway, on 127.0.0.1 and a free port:
 * it forwards every request and counts, per push group, the pushes the gateway accepted (2xx). While
 * `failing` is set it answers every push (PUT/POST/DELETE) 503 itself, without forwarding: a gateway outage.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface PushProxy {
  url: string;
  /** Pushes the gateway accepted, by the group's path (`/metrics/job/<job>/<label>/<value>…`). */
  accepted: Map<string, number>;
  /** Pushes answered 503 by the proxy's own outage. */
  refused: number;
  /** Pushes the gateway itself answered with something other than 2xx. */
  rejected: number;
  failing: boolean;
  stop(): Promise<void>;
}

/** The group's labels from a push path, `/metrics/job/<job>/<name>/<value>…` (`<name>@base64` decoded). */
export function groupLabels(path: string): Record<string, string> {
  const parts = path.split('?')[0]?.split('/').slice(2) ?? []; // after "/metrics"
  const labels: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const name = decodeURIComponent(parts[i] ?? '');
    const value = decodeURIComponent(parts[i + 1] ?? '');
    if (name.endsWith('@base64')) labels[name.slice(0, -7)] = value === '=' ? '' : Buffer.from(value, 'base64url').toString('utf8');
    else labels[name] = value;
  }
  return labels;
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startPushProxy(gateway: string): Promise<PushProxy> {
  const proxy: PushProxy = { url: '', accepted: new Map(), refused: 0, rejected: 0, failing: false, stop: async () => undefined };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const isPush = req.method === 'PUT' || req.method === 'POST' || req.method === 'DELETE';
      if (isPush && proxy.failing) {
        proxy.refused++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('soak: gateway outage\n');
        return;
      }
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'content-encoding', 'accept', 'authorization']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      try {
        const answer = await fetch(`${gateway}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body.length && req.method !== 'GET' && req.method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
          signal: AbortSignal.timeout(10_000),
        });
        const out = Buffer.from(await answer.arrayBuffer());
        if (isPush && req.url?.startsWith('/metrics/job/')) {
          if (answer.ok) {
            const group = req.url.split('?')[0] ?? req.url;
            proxy.accepted.set(group, (proxy.accepted.get(group) ?? 0) + 1);
          } else proxy.rejected++;
        }
        const type = answer.headers.get('content-type');
        res.writeHead(answer.status, type ? { 'content-type': type } : {}).end(out);
      } catch (err) {
        if (isPush) proxy.rejected++;
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`soak proxy: ${(err as Error).message}\n`);
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
