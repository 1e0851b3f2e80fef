/**
 * Measures the TCP+TLS connect time of each request that opens a new connection, from undici's
 * diagnostics channels (client-node 2.x and Node's fetch both use undici). A latency figure can
 * then be split into "connection" and "the rest" without changing how the client connects.
 *
 * beforeConnect → connected gives the connect time of a socket; the first request sent on that
 * socket (sendHeaders) claims it under its URL. Callers look their URL up after the call.
 */
import diagnostics from 'node:diagnostics_channel';

interface ConnectMessage {
  connector: object;
  socket?: object;
}
interface SendHeadersMessage {
  request: { origin?: unknown; path?: string };
  socket: object;
}

const started = new WeakMap<object, number>();
const socketCost = new WeakMap<object, number>();
const byUrl = new Map<string, number>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('undici:client:beforeConnect', (m) => {
    started.set((m as ConnectMessage).connector, performance.now());
  });
  diagnostics.subscribe('undici:client:connected', (m) => {
    const { connector, socket } = m as ConnectMessage;
    const t0 = started.get(connector);
    if (t0 !== undefined && socket) socketCost.set(socket, performance.now() - t0);
  });
  diagnostics.subscribe('undici:client:sendHeaders', (m) => {
    const { request, socket } = m as SendHeadersMessage;
    const cost = socketCost.get(socket);
    if (cost === undefined) return; // a reused connection: nothing to claim
    socketCost.delete(socket);
    const key = urlKey(`${String(request.origin ?? '')}${request.path ?? ''}`);
    if (key) byUrl.set(key, cost);
    if (byUrl.size > 1000) byUrl.delete(byUrl.keys().next().value as string);
  });
}

function urlKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search}`;
  } catch {
    return undefined;
  }
}

/** Call once before the requests to be timed. */
export function startConnectTiming(): void {
  subscribe();
}

/** The connect time (ms) of the new connection the last request to `url` opened, and forgets it. */
export function takeConnectMs(url: string): number | undefined {
  const key = urlKey(url);
  if (!key) return undefined;
  const v = byUrl.get(key);
  byUrl.delete(key);
  return v;
}
